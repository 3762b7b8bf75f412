// The operation trace: what each kmem_cache_alloc / kmem_cache_free (and kmalloc / kfree) did,
// step by step, as the kernel's kmem tracepoints plus the SLUB path it took. Main entries:
// openTrace() / closeTrace() (the engine's `trace` sink: null when closed, so the hot path pays
// one well-predicted check), traceRecords(), traceTickEnd() and describePath().
//
// How the steps are found: every slow-path step of mm/slub.c bumps a SLUB_STATS counter
// (slab.ts stat()), so the sink hears each counter as it is bumped (traceStep) and keeps them
// in a scratch list. The alloc and free entries (alloc.ts, free.ts, bulk.ts) then close the
// operation (traceAlloc / traceFree): the scratch list becomes the record's steps, with the
// object, its slab and the slab's state after the operation. kmem_cache_shrink closes its own
// record (traceShrink). The fast paths bump their counters inline, so they say so themselves.
//
// Sampling: the sink keeps one operation in `every`; traceTickEnd() raises `every` when a tick
// had more operations than TRACE_BUDGET_PER_TICK (and lowers it again when it calms down), unless
// the sink was opened with a fixed `every` (--trace FILE keeps everything).

import {NIL, PAGE_SHIFT, PAGE_SIZE} from './constants.js';
import {type Engine, SlabState} from './engine.js';
import {SLAB_ACCOUNT} from './flags.js';
import {Stat} from './stats.js';

export type TraceOp = 'alloc' | 'free' | 'shrink';

/** One traced operation. `steps` are Stat values in the order the kernel bumps them. */
export type TraceRecord = {
	seq: number;
	tick: number;
	/** Operations in the same tick before this one (the timestamp's microseconds). */
	opInTick: number;
	op: TraceOp;
	cache: number;
	cacheName: string;
	objectSize: number;
	slotSize: number;
	isKmalloc: boolean;
	/** Charged to a memory cgroup: SLAB_ACCOUNT caches and kmalloc-cg-* (GFP_ACCOUNT). */
	isAccounted: boolean;
	cpu: number;
	/** Object address, or NIL (an allocation that failed; shrink). */
	ptr: number;
	/** The object's slab (first frame) and its order and state after the operation, or NIL / -1. */
	slab: number;
	order: number;
	slabState: number;
	slabInuse: number;
	slabObjects: number;
	steps: readonly Stat[];
	/** Objects freed with it in one kmem_cache_free_bulk chain (1 for a single free). */
	chain: number;
	/** Slabs kmem_cache_shrink released from the node partial list (shrink records only). */
	shrinkFreed: number;
	callSite: string;
	/** kmalloc() allocations: the size asked for and the gfp flags (kmalloc.ts); else the object size, GFP_KERNEL. */
	bytesReq?: number;
	gfpFlags?: string;
	/** A large kmalloc or its kfree: pages from the buddy allocator (order in `order`), no cache, no slab. */
	isLarge?: true;
};

export type TraceSink = {
	/** Keep one operation in `every`. */
	every: number;
	readonly isFixedEvery: boolean;
	/** Only this cache (id), or -1 for every cache. */
	cacheFilter: number;
	readonly capacity: number;
	/** Ring of the newest records: `ring[(start + i) % capacity]` for i < length, oldest first. */
	ring: Array<TraceRecord | null>;
	start: number;
	length: number;
	seq: number;
	/** Operations seen (kept or not) in total and in the current tick. */
	ops: number;
	opsThisTick: number;
	/** Operations since the last traceTickEnd() (the sampling window). */
	opsWindow: number;
	tick: number;
	/** Operations left out by sampling since the sink opened. */
	skipped: number;
	onRecord: ((r: TraceRecord) => void) | null;
	scratch: Int32Array;
	nScratch: number;
	/**
	 * Inside a sheaf operation (alloc_from_pcs, free_to_pcs) or a shrink: the slab layer's own
	 * allocations and frees (a sheaf refill or flush) add their steps to the enclosing operation
	 * and make no record of their own (no kmem tracepoint fires for them).
	 */
	depth: number;
	/** The kmalloc() call now allocating (kmalloc.ts sets it around allocObject), or null. */
	request: {bytesReq: number; gfpFlags: string} | null;
};

export type TraceOptions = {
	/** Cache name to trace alone (null: every cache). */
	cacheName?: string | null;
	/** Keep one operation in `every`; given, it stays fixed (no automatic sampling). */
	every?: number;
	capacity?: number;
	/** Called with every kept record, as it is made (--trace FILE). */
	onRecord?: (r: TraceRecord) => void;
};

/** Records kept per tick before the sink starts sampling. */
export const TRACE_BUDGET_PER_TICK = 200;
const DEFAULT_CAPACITY = 5000;
const SCRATCH = 256;

/** Open (or reopen) the engine's trace. */
export function openTrace(e: Engine, options: TraceOptions = {}): TraceSink {
	const cache = options.cacheName == null ? -1 : (e.byName.get(options.cacheName) ?? -2);
	const sink: TraceSink = {
		every: Math.max(1, Math.floor(options.every ?? 1)),
		isFixedEvery: options.every !== undefined,
		cacheFilter: cache,
		capacity: Math.max(1, options.capacity ?? DEFAULT_CAPACITY),
		ring: new Array<TraceRecord | null>(Math.max(1, options.capacity ?? DEFAULT_CAPACITY)).fill(null),
		start: 0,
		length: 0,
		seq: 0,
		ops: 0,
		opsThisTick: 0,
		opsWindow: 0,
		tick: e.tick,
		skipped: 0,
		onRecord: options.onRecord ?? null,
		scratch: new Int32Array(SCRATCH),
		nScratch: 0,
		depth: 0,
		request: null,
	};
	e.trace = sink;
	return sink;
}

export function closeTrace(e: Engine): void {
	e.trace = null;
}

/** A SLUB_STATS counter was bumped inside the current operation (slab.ts stat()). */
export function traceStep(t: TraceSink, cache: number, s: Stat): void {
	if (t.nScratch < SCRATCH) t.scratch[t.nScratch++] = cache * STEP_STRIDE + s;
}

/** Scratch entries are cache * STEP_STRIDE + stat, so a step of another cache is never mixed in. */
const STEP_STRIDE = 64;

/** Decide whether the operation now ending is kept; always resets the scratch list. */
function take(e: Engine, t: TraceSink, cache: number): Stat[] | null {
	if (t.tick !== e.tick) {
		t.tick = e.tick;
		t.opsThisTick = 0;
	}
	t.opsThisTick++;
	t.opsWindow++;
	const n = t.nScratch;
	t.nScratch = 0;
	if (t.cacheFilter !== -1 && t.cacheFilter !== cache) return null;
	if (t.ops++ % t.every !== 0) {
		t.skipped++;
		return null;
	}
	const steps: Stat[] = [];
	for (let i = 0; i < n; i++) {
		const v = t.scratch[i];
		if (Math.floor(v / STEP_STRIDE) === cache) steps.push(v % STEP_STRIDE);
	}
	return steps;
}

function push(t: TraceSink, r: TraceRecord): void {
	if (t.length < t.capacity) {
		t.ring[(t.start + t.length++) % t.capacity] = r;
	} else {
		t.ring[t.start] = r;
		t.start = (t.start + 1) % t.capacity;
	}
	if (t.onRecord !== null) t.onRecord(r);
}

/** The call site a record names: the caller set with setCaller(), else the simulator's own. */
function callSiteOf(e: Engine, op: TraceOp): string {
	const caller = e.callers[e.currentCaller];
	return caller === undefined || caller === 'unknown' ? defaultCallSite(op) : caller;
}

function record(
	e: Engine,
	t: TraceSink,
	op: TraceOp,
	cache: number,
	cpu: number,
	ptr: number,
	steps: Stat[],
	chain: number,
	shrinkFreed: number,
): void {
	const c = e.caches[cache];
	const kind = cacheKind(c.name, c.layout.flags);
	const slab = ptr === NIL ? NIL : e.pgHead[ptr >> PAGE_SHIFT];
	const isSlab = slab !== NIL && e.pgCache[slab] === cache;
	push(t, {
		seq: ++t.seq,
		tick: e.tick,
		opInTick: t.opsThisTick - 1,
		op,
		cache,
		cacheName: c.name,
		objectSize: c.layout.objectSize,
		slotSize: c.layout.size,
		isKmalloc: (kind & KMALLOC) !== 0,
		isAccounted: (kind & ACCOUNTED) !== 0,
		cpu,
		ptr,
		slab: isSlab ? slab : NIL,
		order: isSlab ? e.pgOrder[slab] : -1,
		slabState: isSlab ? e.pgState[slab] : -1,
		slabInuse: isSlab ? handedOut(e, cache, slab) : 0,
		slabObjects: isSlab ? e.pgObjects[slab] : 0,
		steps,
		chain,
		shrinkFreed,
		callSite: callSiteOf(e, op),
		...(op === 'alloc' && t.request !== null ? t.request : {}),
	});
}

const KMALLOC = 1;
const ACCOUNTED = 2;

/** kmalloc caches trace as kmalloc/kfree; SLAB_ACCOUNT and kmalloc-cg-* allocations are charged to a memcg. */
function cacheKind(name: string, flags: number): number {
	const isKmalloc = name.startsWith('kmalloc-') || name.startsWith('dma-kmalloc-');
	const isAccounted = (flags & SLAB_ACCOUNT) !== 0 || name.startsWith('kmalloc-cg-');
	return (isKmalloc ? KMALLOC : 0) | (isAccounted ? ACCOUNTED : 0);
}

/** Objects of `slab` really handed out: a cpu slab's inuse also counts its CPU freelist. */
function handedOut(e: Engine, cache: number, slab: number): number {
	if (e.pgState[slab] !== SlabState.CpuSlab) return e.pgInuse[slab];
	const offset = e.cacheOffset[cache];
	const limit = e.pgObjects[slab];
	let n = 0;
	for (let p = e.cpuState[(cache * e.cpus + e.pgCpu[slab]) * 2]; p !== NIL && n < limit; p = e.mem32[(p + offset) >> 2])
		n++;
	return e.pgInuse[slab] - n;
}

function defaultCallSite(op: TraceOp): string {
	return op === 'alloc' ? 'sim_alloc+0x0/0x0' : 'sim_free+0x0/0x0';
}

/** kmem_cache_alloc() returned `obj` (NIL: it failed); `isFast`: the fast path served it. */
export function traceAlloc(e: Engine, t: TraceSink, cache: number, cpu: number, obj: number, isFast: boolean): void {
	if (t.depth > 0) {
		if (isFast) traceStep(t, cache, Stat.AllocFastpath);
		return;
	}
	const steps = take(e, t, cache);
	if (steps === null) return;
	if (isFast) steps.unshift(Stat.AllocFastpath);
	record(e, t, 'alloc', cache, cpu, obj, steps, 1, 0);
}

/** kmem_cache_free() of `obj` ended; `isFast`: pushed onto this CPU's freelist. */
export function traceFree(
	e: Engine,
	t: TraceSink,
	cache: number,
	cpu: number,
	obj: number,
	isFast: boolean,
	chain = 1,
): void {
	if (t.depth > 0) {
		if (isFast) traceStep(t, cache, Stat.FreeFastpath);
		return;
	}
	const steps = take(e, t, cache);
	if (steps === null) return;
	if (isFast) steps.unshift(Stat.FreeFastpath);
	record(e, t, 'free', cache, cpu, obj, steps, chain, 0);
}

/**
 * A large kmalloc (__kmalloc_large_node: a compound page of `order`, `ptr` NIL when it failed)
 * or its kfree (free_large_kmalloc): traced as kmalloc / kfree, as the kernel traces them, with
 * no cache. A trace of one cache leaves them out.
 */
export function traceLargeKmalloc(
	e: Engine,
	t: TraceSink,
	op: 'alloc' | 'free',
	cpu: number,
	ptr: number,
	order: number,
	request: {bytesReq: number; gfpFlags: string; isAccounted: boolean},
): void {
	const steps = take(e, t, LARGE_KMALLOC);
	if (steps === null) return;
	push(t, {
		seq: ++t.seq,
		tick: e.tick,
		opInTick: t.opsThisTick - 1,
		op,
		cache: LARGE_KMALLOC,
		cacheName: '',
		objectSize: request.bytesReq,
		slotSize: PAGE_SIZE << order,
		isKmalloc: true,
		isAccounted: request.isAccounted,
		cpu,
		ptr,
		slab: NIL,
		order,
		slabState: -1,
		slabInuse: 0,
		slabObjects: 0,
		steps,
		chain: 1,
		shrinkFreed: 0,
		callSite: callSiteOf(e, op),
		...(op === 'alloc' ? {bytesReq: request.bytesReq, gfpFlags: request.gfpFlags} : {}),
		isLarge: true,
	});
}

/** The `cache` of a large kmalloc's record: none (no cache id is negative). */
const LARGE_KMALLOC = -1;

/** kmem_cache_shrink() ended: `freed` slabs released in all (the flush's included). */
export function traceShrink(e: Engine, t: TraceSink, cache: number, freed: number): void {
	const steps = take(e, t, cache);
	if (steps === null) return;
	let flushFreed = 0;
	for (const s of steps) if (s === Stat.FreeSlab) flushFreed++;
	record(e, t, 'shrink', cache, 0, NIL, steps, 0, freed - flushFreed);
}

/**
 * End of a tick: with automatic sampling, keep about TRACE_BUDGET_PER_TICK operations per tick
 * (every = ops of the last tick / budget, rounded up; back to 1 when it is quiet).
 */
export function traceTickEnd(t: TraceSink): void {
	const ops = t.opsWindow;
	t.opsWindow = 0;
	if (!t.isFixedEvery) t.every = Math.max(1, Math.ceil(ops / TRACE_BUDGET_PER_TICK));
}

/** Records newer than `afterSeq`, oldest first. */
export function traceRecords(t: TraceSink, afterSeq = 0): TraceRecord[] {
	const out: TraceRecord[] = [];
	for (let i = 0; i < t.length; i++) {
		const r = t.ring[(t.start + i) % t.capacity];
		if (r !== null && r.seq > afterSeq) out.push(r);
	}
	return out;
}
