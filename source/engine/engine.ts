// The simulated machine: physical memory, its memmap (per-frame struct page / struct slab
// fields as parallel typed arrays), the buddy allocator's free areas, the caches (hot fields
// as typed arrays indexed by cache id, cold ones in KmemCache records) and the event log.
// Main entry: createEngine(config). Operations live in page-alloc.ts, slab.ts, alloc.ts,
// free.ts, cache.ts, shrink.ts; read-only views in snapshot.ts; invariants in check.ts.
//
// Slab states (pgState, on the slab's first frame) and what moves a slab between them:
//
//   state        frozen  on list              enters by                       leaves by
//   CPU_SLAB     yes     none (c.slab)        new slab, refill from a list    deactivate/flush, bypass when full
//   CPU_PARTIAL  no      a CPU partial list   full slab's first remote free,  taken as cpu slab, drained/flushed
//                                             refill from node partial
//   NODE_PARTIAL no      node partial list    deactivate, drain, debug free   taken by a CPU, discarded when empty
//   FULL         no      none (node.full      cpu slab dropped when full,     first free returns it to a list
//                        with STORE_USER)     debug slab filled up
//
// Invariants (checked by check.ts):
//   inuse + |slab freelist| == objects                    for every slab
//   (a CPU slab's lockless c.freelist counts in inuse: allocated = inuse − |c.freelist|)
//   allocs − frees == Σ inuse − Σ |c.freelist|            per cache
//   every frame is either in one free buddy block or in exactly one slab

import {
	DEFAULT_CPUS,
	DEFAULT_MEMORY_BYTES,
	MAX_CPUS,
	MAX_MEMORY_BYTES,
	MAX_PAGE_ORDER,
	NIL,
	PAGE_SIZE,
} from './constants.js';
import {EngineError} from './errors.js';
import type {Layout} from './layout.js';
import {STAT_COUNT, Stat} from './stats.js';
import {initFreeAreas} from './page-alloc.js';
import type {TraceSink} from './trace.js';
import type {CacheSheaves} from './sheaf.js';

/** pgState values (slab state, on a slab's first frame). */
export const SlabState = {
	None: 0, // not a slab head (free frame or tail frame)
	CpuSlab: 1,
	CpuPartial: 2,
	NodePartial: 3,
	Full: 4,
} as const;

/** A constructor: runs on each object of a new slab (never on each allocation). */
export type Ctor = {
	name: string;
	run: (e: Engine, object: number) => void;
};

/** Cold per-cache fields (struct kmem_cache); hot ones are typed arrays on Engine. */
export type KmemCache = {
	id: number;
	name: string; // first creator's name (slabinfo row)
	sysfsName: string; // directory name: own name, or `:A-0000192` for mergeable caches
	aliases: string[]; // every creator name, first included, for mergeable caches; else []
	refcount: number; // creators sharing it; -1 for boot caches (never merge targets)
	layout: Layout; // geometry; objectSize raised by merges
	ctor: Ctor | null;
	useroffset: number;
	usersize: number;
	sheafCapacity: number;
	isDebug: boolean; // any of F Z P U T: the debug alloc/free paths
	randomSeq: Int32Array | null; // CONFIG_SLAB_FREELIST_RANDOM: per-cache object order, or null
	isAlive: boolean; // false once destroyed
	failures: number; // allocation failures (ENOMEM)
	/** Objects SLUB's debug checks took out of use (counted in use by their slab, held by nobody). */
	isolated: number;
	/** Errors SLUB reported for this cache: each BUG, overwritten range and FIX (what slub_kunit counts). */
	errors: number;
};

export type EngineEventKind = 'alloc-failure' | 'debug-report' | 'warning' | 'info';

export type EngineEvent = {
	seq: number;
	tick: number;
	kind: EngineEventKind;
	cache: string;
	/** First line: the headline. Further lines: the kernel's report text. */
	text: string;
};

export type EngineConfig = {
	memoryBytes?: number;
	cpus?: number;
	/** Merge compatible caches as SLUB does (boot option slab_nomerge turns it off). */
	isMergeEnabled?: boolean;
	/** slab_debug= style: debug flags added to caches at creation, for all or named caches. */
	debugFlags?: number;
	debugCaches?: readonly string[];
	/** Free pages at the tail of their list when the merged block's buddy is free too. */
	isBuddyMergeTail?: boolean;
	/** Keep at most this many events. */
	eventCapacity?: number;
	/**
	 * CONFIG_SLAB_FREELIST_RANDOM with this seed: each cache gets a random object order and
	 * every new slab threads its freelist from a random point of it. Off (address order) when
	 * undefined, as the model's default.
	 */
	freelistRandomSeed?: number;
};

export type Engine = {
	readonly cpus: number;
	readonly memoryBytes: number;
	readonly nrFrames: number;
	readonly isMergeEnabled: boolean;
	readonly debugFlags: number;
	readonly debugCaches: readonly string[];
	readonly isBuddyMergeTail: boolean;
	readonly isFreelistRandom: boolean;
	/** xorshift32 state for freelist randomisation (the engine's only randomness). */
	randomState: number;

	// Simulated physical memory: addresses are byte offsets into it.
	readonly mem8: Uint8Array;
	readonly mem32: Int32Array; // free pointers: mem32[(object + offset) >> 2]

	// memmap: one entry per 4 KiB frame.
	readonly pgNext: Int32Array; // list link: buddy free list, node partial/full list, CPU partial list
	readonly pgPrev: Int32Array; // list link; on a CPU partial list head: the list's slab count
	readonly pgBuddy: Uint8Array; // order + 1 if the frame heads a free buddy block, else 0
	readonly pgHead: Int32Array; // first frame of the slab holding this frame (valid where pgCache >= 0)
	readonly pgCache: Int16Array; // owning cache id on every frame of a slab, 0 otherwise (id 0 is never a cache)
	readonly pgFreelist: Int32Array; // the slab's own freelist head (object address) or NIL
	readonly pgInuse: Uint16Array; // objects not on the slab freelist (all, for a CPU slab)
	readonly pgObjects: Uint16Array; // capacity of the slab
	readonly pgOrder: Uint8Array; // order of the slab's page block
	readonly pgState: Uint8Array; // SlabState
	readonly pgCpu: Int8Array; // CPU owning it as cpu slab / on its partial list, else -1
	readonly pgDirty: Uint8Array; // 1 once the frame has been freed after use: its memory may hold old bytes

	// Buddy allocator (one zone).
	readonly freeHead: Int32Array; // per order: first free block (frame) or NIL
	readonly freeTail: Int32Array;
	readonly freeCount: Int32Array; // per order: nr_free (as /proc/buddyinfo)
	nrFreePages: number;
	/** Never-used order-10 blocks [untouchedFrom, untouchedEnd): free, counted in freeCount[10], not listed. */
	untouchedFrom: number;
	untouchedEnd: number;

	// Caches: hot fields indexed by cache id (capacity grows by doubling).
	cacheCap: number;
	caches: KmemCache[];
	cacheSize: Int32Array; // slot stride
	cacheOffset: Int32Array; // free-pointer offset
	cacheRedLeftPad: Int32Array;
	cacheObjects: Int32Array; // oo.objects
	cacheOrder: Int32Array; // oo.order
	cacheMinPartial: Int32Array;
	cacheCpuPartialSlabs: Int32Array;
	cachePartialHead: Int32Array; // node partial list
	cachePartialTail: Int32Array;
	cacheNrPartial: Int32Array;
	cacheFullHead: Int32Array; // node full list (debug caches with STORE_USER)
	cacheFullTail: Int32Array;
	cacheNrFull: Int32Array;
	cacheNrSlabs: Float64Array; // node nr_slabs
	cacheTotalObjects: Float64Array; // node total_objects
	cacheBulkFreeExtra: Float64Array; // objects freed beyond one per FREE_SLOWPATH (bulk chains)
	cacheFlags: Int32Array;
	cacheIsDebug: Uint8Array;
	// Per cache and CPU (idx = cache * cpus + cpu).
	// [idx * 2] lockless freelist of the cpu slab (c->freelist), [idx * 2 + 1] the cpu slab
	// (c->slab) or NIL: side by side, as in struct kmem_cache_cpu, so the fast paths touch one array.
	cpuState: Int32Array;
	cpuPartial: Int32Array; // CPU partial list head or NIL
	stats: Float64Array; // SLUB_STATS: ((cache * cpus) + cpu) * STAT_COUNT + Stat.X
	/** Per cache id: its per-CPU sheaves and barn (caches created with a sheaf capacity), else null. */
	sheaves: Array<CacheSheaves | null>;

	/** Cache list in creation order (ids); the merge search walks it oldest first. */
	cacheOrderList: number[];
	/** Creator name → cache id, for every live cache and alias. */
	byName: Map<string, number>;

	/** Large kmallocs (above KMALLOC_MAX_CACHE_SIZE): first frame of the compound page → bytes asked for. */
	largeKmalloc: Map<number, number>;
	/** Pages the large kmallocs hold (Σ 2^order). */
	largeKmallocPages: number;

	tick: number;
	/** Call sites recorded by STORE_USER tracks ("Allocated in <caller>"): names, ids, current. */
	callers: string[];
	callerIds: Map<string, number>;
	currentCaller: number;
	events: EngineEvent[];
	eventSeq: number;
	readonly eventCapacity: number;
	/** The operation trace (trace.ts), or null when closed: the only cost then is this check. */
	trace: TraceSink | null;
};

const INITIAL_CACHES = 64;

/** Build a machine: all frames free in the buddy allocator, no caches. Throws EngineError on bad config. */
export function createEngine(config: EngineConfig = {}): Engine {
	const memoryBytes = config.memoryBytes ?? DEFAULT_MEMORY_BYTES;
	const cpus = config.cpus ?? DEFAULT_CPUS;
	if (!Number.isInteger(cpus) || cpus < 1 || cpus > MAX_CPUS) {
		throw new EngineError('bad-config', `CPU count must be 1..${MAX_CPUS}, not ${cpus}`);
	}
	const minBytes = PAGE_SIZE << MAX_PAGE_ORDER;
	if (!Number.isInteger(memoryBytes) || memoryBytes < minBytes || memoryBytes > MAX_MEMORY_BYTES) {
		throw new EngineError(
			'bad-config',
			`memory must be between ${minBytes >> 20} MiB and ${MAX_MEMORY_BYTES / 2 ** 30} GiB, not ${memoryBytes} bytes`,
		);
	}
	const nrFrames = Math.floor(memoryBytes / PAGE_SIZE);
	const buffer = new ArrayBuffer(nrFrames * PAGE_SIZE);
	const e: Engine = {
		cpus,
		memoryBytes: nrFrames * PAGE_SIZE,
		nrFrames,
		isMergeEnabled: config.isMergeEnabled ?? true,
		debugFlags: config.debugFlags ?? 0,
		debugCaches: config.debugCaches ?? [],
		isBuddyMergeTail: config.isBuddyMergeTail ?? false,
		isFreelistRandom: config.freelistRandomSeed !== undefined,
		randomState: (config.freelistRandomSeed ?? 1) >>> 0 || 0x9e3779b9,
		mem8: new Uint8Array(buffer),
		mem32: new Int32Array(buffer),
		// Zero-filled and written only when a frame joins a list or a slab, so the pages of these
		// arrays stay untouched (not resident) for memory never used.
		pgNext: new Int32Array(nrFrames),
		pgPrev: new Int32Array(nrFrames),
		pgBuddy: new Uint8Array(nrFrames),
		pgHead: new Int32Array(nrFrames),
		pgCache: new Int16Array(nrFrames),
		pgFreelist: new Int32Array(nrFrames),
		pgInuse: new Uint16Array(nrFrames),
		pgObjects: new Uint16Array(nrFrames),
		pgOrder: new Uint8Array(nrFrames),
		pgState: new Uint8Array(nrFrames),
		pgCpu: new Int8Array(nrFrames),
		pgDirty: new Uint8Array(nrFrames),
		freeHead: new Int32Array(MAX_PAGE_ORDER + 1).fill(NIL),
		freeTail: new Int32Array(MAX_PAGE_ORDER + 1).fill(NIL),
		freeCount: new Int32Array(MAX_PAGE_ORDER + 1),
		nrFreePages: 0,
		untouchedFrom: 0,
		untouchedEnd: 0,
		cacheCap: 0,
		caches: [],
		cacheSize: new Int32Array(0),
		cacheOffset: new Int32Array(0),
		cacheRedLeftPad: new Int32Array(0),
		cacheObjects: new Int32Array(0),
		cacheOrder: new Int32Array(0),
		cacheMinPartial: new Int32Array(0),
		cacheCpuPartialSlabs: new Int32Array(0),
		cachePartialHead: new Int32Array(0),
		cachePartialTail: new Int32Array(0),
		cacheNrPartial: new Int32Array(0),
		cacheFullHead: new Int32Array(0),
		cacheFullTail: new Int32Array(0),
		cacheNrFull: new Int32Array(0),
		cacheNrSlabs: new Float64Array(0),
		cacheTotalObjects: new Float64Array(0),
		cacheBulkFreeExtra: new Float64Array(0),
		cacheFlags: new Int32Array(0),
		cacheIsDebug: new Uint8Array(0),
		cpuState: new Int32Array(0),
		cpuPartial: new Int32Array(0),
		stats: new Float64Array(0),
		sheaves: [null],
		cacheOrderList: [],
		byName: new Map(),
		largeKmalloc: new Map(),
		largeKmallocPages: 0,
		tick: 0,
		callers: ['unknown'],
		callerIds: new Map([['unknown', 0]]),
		currentCaller: 0,
		events: [],
		eventSeq: 0,
		eventCapacity: config.eventCapacity ?? 2000,
		trace: null,
	};
	growCaches(e, INITIAL_CACHES);
	e.caches.push(placeholderCache());
	initFreeAreas(e);
	return e;
}

/** Cache id 0: never a real cache, so a zero pgCache entry means "not a slab". */
function placeholderCache(): KmemCache {
	const layout: Layout = {
		objectSize: 8,
		size: 8,
		align: 8,
		inuse: 8,
		offset: 0,
		redLeftPad: 0,
		isFreePointerAfter: false,
		order: 0,
		objects: 512,
		minOrder: 0,
		minObjects: 512,
		minPartial: 5,
		cpuPartial: 0,
		cpuPartialSlabs: 0,
		flags: 0,
	};
	return {
		id: 0,
		name: '(none)',
		sysfsName: '(none)',
		aliases: [],
		refcount: -1,
		layout,
		ctor: null,
		useroffset: 0,
		usersize: 0,
		sheafCapacity: 0,
		isDebug: false,
		randomSeq: null,
		isAlive: false,
		failures: 0,
		isolated: 0,
		errors: 0,
	};
}

function grownI32(old: Int32Array, n: number, fill: number): Int32Array {
	const a = new Int32Array(n).fill(fill);
	a.set(old);
	return a;
}

function grownF64(old: Float64Array, n: number): Float64Array {
	const a = new Float64Array(n);
	a.set(old);
	return a;
}

/** Make room for at least `cap` caches (slow path: only at cache creation). */
export function growCaches(e: Engine, cap: number): void {
	if (cap <= e.cacheCap) return;
	const n = Math.max(cap, e.cacheCap * 2);
	const c = e.cpus;
	e.cacheSize = grownI32(e.cacheSize, n, 0);
	e.cacheOffset = grownI32(e.cacheOffset, n, 0);
	e.cacheRedLeftPad = grownI32(e.cacheRedLeftPad, n, 0);
	e.cacheObjects = grownI32(e.cacheObjects, n, 0);
	e.cacheOrder = grownI32(e.cacheOrder, n, 0);
	e.cacheMinPartial = grownI32(e.cacheMinPartial, n, 0);
	e.cacheCpuPartialSlabs = grownI32(e.cacheCpuPartialSlabs, n, 0);
	e.cachePartialHead = grownI32(e.cachePartialHead, n, NIL);
	e.cachePartialTail = grownI32(e.cachePartialTail, n, NIL);
	e.cacheNrPartial = grownI32(e.cacheNrPartial, n, 0);
	e.cacheFullHead = grownI32(e.cacheFullHead, n, NIL);
	e.cacheFullTail = grownI32(e.cacheFullTail, n, NIL);
	e.cacheNrFull = grownI32(e.cacheNrFull, n, 0);
	e.cacheNrSlabs = grownF64(e.cacheNrSlabs, n);
	e.cacheTotalObjects = grownF64(e.cacheTotalObjects, n);
	e.cacheBulkFreeExtra = grownF64(e.cacheBulkFreeExtra, n);
	e.cacheFlags = grownI32(e.cacheFlags, n, 0);
	const debug = new Uint8Array(n);
	debug.set(e.cacheIsDebug);
	e.cacheIsDebug = debug;
	e.cpuState = grownI32(e.cpuState, n * c * 2, NIL);
	e.cpuPartial = grownI32(e.cpuPartial, n * c, NIL);
	e.stats = grownF64(e.stats, n * c * STAT_COUNT);
	e.cacheCap = n;
}

/** Record an event (slow paths only). Keeps the newest eventCapacity events. */
export function pushEvent(e: Engine, kind: EngineEventKind, cache: string, text: string): EngineEvent {
	const ev: EngineEvent = {seq: ++e.eventSeq, tick: e.tick, kind, cache, text};
	e.events.push(ev);
	if (e.events.length > e.eventCapacity) e.events.splice(0, e.events.length - e.eventCapacity);
	return ev;
}

/** Events newer than `afterSeq`, oldest first. */
export function eventsSince(e: Engine, afterSeq: number): EngineEvent[] {
	const out: EngineEvent[] = [];
	for (const ev of e.events) if (ev.seq > afterSeq) out.push(ev);
	return out;
}

/** The simulated clock: workloads and the UI advance it; tracks record it. */
export function setTick(e: Engine, tick: number): void {
	e.tick = tick;
}

/** A SLUB_STATS counter of a cache, summed over its CPUs. */
export function statSum(e: Engine, cache: number, s: Stat): number {
	let sum = 0;
	for (let cpu = 0; cpu < e.cpus; cpu++) sum += e.stats[(cache * e.cpus + cpu) * STAT_COUNT + s];
	return sum;
}

// Allocation and free counts are derived from the SLUB_STATS counters rather than kept twice:
// every successful allocation is one ALLOC_FASTPATH or one ALLOC_SLOWPATH that did not fail;
// every free is one FREE_FASTPATH (bulk: +n) or one FREE_SLOWPATH (bulk chains: + the extra).
/** Successful allocations from a cache since it was created. */
export function allocCount(e: Engine, cache: number): number {
	return statSum(e, cache, Stat.AllocFastpath) + statSum(e, cache, Stat.AllocSlowpath) - e.caches[cache].failures;
}

/** Objects freed to a cache since it was created. */
export function freeCount(e: Engine, cache: number): number {
	return statSum(e, cache, Stat.FreeFastpath) + statSum(e, cache, Stat.FreeSlowpath) + e.cacheBulkFreeExtra[cache];
}

/** Objects of the cache still allocated (allocations − frees). */
export function liveObjects(e: Engine, cache: number): number {
	return allocCount(e, cache) - freeCount(e, cache);
}

/** Next value of the engine's seeded xorshift32 (freelist randomisation only). */
export function nextRandom(e: Engine): number {
	let x = e.randomState;
	x ^= x << 13;
	x >>>= 0;
	x ^= x >>> 17;
	x ^= x << 5;
	x >>>= 0;
	e.randomState = x;
	return x;
}
