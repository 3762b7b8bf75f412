// The engine's public surface: a simulated Linux SLUB allocator over a buddy page allocator.
// Plain TypeScript: no React, Ink or Node I/O. Deterministic: same config and operations give
// the same numbers. See engine.ts for the state and slab-state table.

export {
	NIL,
	PAGE_SIZE,
	PAGE_SHIFT,
	DEFAULT_CPUS,
	DEFAULT_MEMORY_BYTES,
	MAX_CPUS,
	MAX_MEMORY_BYTES,
} from './constants.js';
export {
	createEngine,
	setTick,
	eventsSince,
	pushEvent,
	SlabState,
	allocCount,
	freeCount,
	liveObjects,
} from './engine.js';
export type {Engine, EngineConfig, EngineEvent, EngineEventKind, KmemCache, Ctor} from './engine.js';
export {EngineError, type EngineErrorCode, type EngineResult} from './errors.js';
export * from './flags.js';
export {computeLayout, type Layout, type LayoutRequest} from './layout.js';
export {
	createCache,
	destroyCache,
	findCache,
	uniqueId,
	isMergeable,
	NAME_RE as CACHE_NAME_RE,
	type CacheRequest,
} from './cache.js';
export {allocObject, allocFullSlabs, slabAllocObject, zallocObject} from './alloc.js';
export {
	freeChecked,
	kfree,
	kfreeOwned,
	freeObject,
	slabFreeObject,
	slabFreeRun,
	isObjectFree,
	isObjectStart,
	FreeStatus,
} from './free.js';
export {allocBulk, freeBulk, freeBulkOwned, slabFreeBulk} from './bulk.js';
export {
	MAX_FULL_SHEAVES,
	PCS_BATCH_MAX,
	sheafObjects,
	sheafView,
	type SheafView,
	type Barn,
	type CacheSheaves,
	type PercpuSheaves,
	type Sheaf,
} from './sheaf.js';
export {shrinkCache, type ShrinkResult} from './shrink.js';
export {flushAll} from './slab.js';
export {allocPages, freePages, buddyInfo, buddyInfoLine} from './page-alloc.js';
export {setCaller} from './debug.js';
export {validateEngine, validateCache, validateSlabCache, checkCacheModel} from './check.js';
export * from './snapshot.js';
export {Stat, STAT_COUNT, STAT_NAMES} from './stats.js';
export {
	openTrace,
	closeTrace,
	traceRecords,
	traceTickEnd,
	TRACE_BUDGET_PER_TICK,
	type TraceRecord,
	type TraceSink,
	type TraceOptions,
	type TraceOp,
} from './trace.js';
export {
	tracePipeLine,
	tracepointText,
	tracepointName,
	describePath,
	traceTimestamp,
	kernelPointer,
	matchesPathFilter,
	TRACE_PATH_FILTERS,
	TRACE_PATH_FILTER_NAMES,
	type TracePathFilter,
} from './trace-format.js';
export {
	slabObjects,
	slotLayout,
	FREE_POINTER_SIZE,
	type SlabObjects,
	type SlabObjectCell,
	type SlabObjectState,
	type SlotLayout,
} from './slab-objects.js';
export * from './kmalloc.js';
