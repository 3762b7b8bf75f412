// Read-only views of the engine for the UI and the printers, computed once per refresh, never
// per operation (nothing in the hot paths keeps figures only a view needs). Main entries: cacheStats() (slabinfo and sysfs figures of
// every live cache), slabStates() and slabMap() (one cache in detail), statCounters(),
// memoryStats().
//
// /proc/slabinfo semantics: num_objs = Σ objects over all slabs; active_objs = num_objs − free
// objects on the node partial lists (free objects on CPU slabs and CPU partial slabs count as
// active); active_slabs = num_slabs.

import {MAX_PAGE_ORDER, NIL, PAGE_SHIFT} from './constants.js';
import {type Engine, SlabState, allocCount, freeCount, statSum} from './engine.js';
import {flagNames} from './flags.js';
import type {Layout} from './layout.js';
import {buddyInfo, unusableFreeIndex} from './page-alloc.js';
import {STAT_COUNT, STAT_NAMES, Stat} from './stats.js';

export type CacheStats = {
	id: number;
	name: string;
	sysfsName: string;
	aliases: readonly string[];
	layout: Readonly<Layout>;
	flagNames: readonly string[];
	ctorName: string | null;
	refcount: number;
	usersize: number;
	sheafCapacity: number;
	// /proc/slabinfo
	activeObjs: number;
	numObjs: number;
	activeSlabs: number;
	numSlabs: number;
	// sysfs
	partial: number; // node partial slabs
	objectsPartial: number; // inuse summed over node partial slabs
	cpuSlabs: number; // CPUs with a cpu slab, each + its partial count
	cpuPartialSlabs: number; // slabs on all CPU partial lists
	full: number; // slabs on no list that are full (derived)
	// accounting
	inUse: number; // allocations − frees: objects really handed out (not those waiting in sheaves)
	/** kmem_cache_alloc() calls that succeeded (for a cache with sheaves: not the objects refills took). */
	allocs: number;
	/** kmem_cache_free() calls (for a cache with sheaves: not the objects flushes gave back). */
	frees: number;
	failures: number;
	pages: number; // pages held by the cache's slabs
};

/** Figures of every live cache, in /proc/slabinfo order (newest first). */
export function cacheStats(e: Engine): CacheStats[] {
	const out: CacheStats[] = [];
	for (let k = e.cacheOrderList.length - 1; k >= 0; k--) out.push(oneCacheStats(e, e.cacheOrderList[k]));
	return out;
}

export function oneCacheStats(e: Engine, id: number): CacheStats {
	const c = e.caches[id];
	let objectsPartial = 0;
	let partialObjects = 0;
	for (let s = e.cachePartialHead[id]; s !== NIL; s = e.pgNext[s]) {
		objectsPartial += e.pgInuse[s];
		partialObjects += e.pgObjects[s];
	}
	const nrPartial = e.cacheNrPartial[id];
	let cpuSlabs = 0; // sysfs cpu_slabs: CPUs with a cpu slab count it and their partial slabs
	let cpuPartialSlabs = 0;
	let cpuSlabCount = 0;
	for (let cpu = 0; cpu < e.cpus; cpu++) {
		const idx = id * e.cpus + cpu;
		const head = e.cpuPartial[idx];
		const count = head === NIL ? 0 : e.pgPrev[head];
		cpuPartialSlabs += count;
		if (e.cpuState[idx * 2 + 1] !== NIL) {
			cpuSlabCount++;
			cpuSlabs += 1 + count;
		}
	}
	const numObjs = e.cacheTotalObjects[id];
	const numSlabs = e.cacheNrSlabs[id];
	const full = numSlabs - nrPartial - cpuPartialSlabs - cpuSlabCount;
	// The slab layer's counts include what sheaf refills took and flushes gave back; callers
	// see objects through the sheaves instead (ALLOC_PCS, FREE_PCS).
	let allocs = allocCount(e, id);
	let frees = freeCount(e, id);
	if (e.sheaves[id] !== null) {
		allocs += statSum(e, id, Stat.AllocPcs) - statSum(e, id, Stat.SheafRefill);
		frees += statSum(e, id, Stat.FreePcs) - statSum(e, id, Stat.SheafFlush);
	}
	return {
		id,
		name: c.name,
		sysfsName: c.sysfsName,
		aliases: c.aliases,
		layout: c.layout,
		flagNames: flagNames(c.layout.flags),
		ctorName: c.ctor?.name ?? null,
		refcount: c.refcount,
		usersize: c.usersize,
		sheafCapacity: c.sheafCapacity,
		activeObjs: numObjs - (partialObjects - objectsPartial),
		numObjs,
		activeSlabs: numSlabs,
		numSlabs,
		partial: nrPartial,
		objectsPartial,
		cpuSlabs,
		cpuPartialSlabs,
		full,
		inUse: allocs - frees,
		allocs,
		frees,
		failures: c.failures,
		pages: cachePages(e, id),
	};
}

/** Pages held by a cache's slabs (order fallbacks included). */
function cachePages(e: Engine, id: number): number {
	const c = e.caches[id];
	const nominal = e.cacheNrSlabs[id] * (1 << c.layout.order);
	// Slabs with the fallback geometry hold fewer objects: derive their number from the counts.
	const objs = e.cacheTotalObjects[id];
	const {objects, minObjects, order, minOrder} = c.layout;
	if (objects === minObjects || order === minOrder) return nominal;
	const fallback = (e.cacheNrSlabs[id] * objects - objs) / (objects - minObjects);
	return nominal - fallback * ((1 << order) - (1 << minOrder));
}

export type SlabInfo = {
	slab: number; // first frame
	address: number;
	inuse: number; // objects handed out (for a CPU slab: minus its CPU freelist)
	objects: number;
	cpu: number; // owning CPU for cpu slabs and CPU partial slabs, else -1
};

export type SlabStates = {
	cpuSlab: Array<SlabInfo | null>; // per CPU
	cpuFreelistLength: number[]; // per CPU: objects on the lockless freelist
	cpuPartial: SlabInfo[][]; // per CPU, list order
	nodePartial: SlabInfo[]; // list order (head first)
	full: number; // full slabs (on no list unless STORE_USER)
};

function freelistLength(e: Engine, cache: number, head: number): number {
	const off = e.cacheOffset[cache];
	let n = 0;
	for (let p = head; p !== NIL && n <= 65535; p = e.mem32[(p + off) >> 2]) n++;
	return n;
}

function slabInfo(e: Engine, slab: number, inuse: number): SlabInfo {
	return {slab, address: slab << PAGE_SHIFT, inuse, objects: e.pgObjects[slab], cpu: e.pgCpu[slab]};
}

/** The slabs of one cache by state: per-CPU active, per-CPU partial, node partial, full. */
export function slabStates(e: Engine, cache: number): SlabStates {
	const cpuSlab: Array<SlabInfo | null> = [];
	const cpuFreelistLength: number[] = [];
	const cpuPartial: SlabInfo[][] = [];
	for (let cpu = 0; cpu < e.cpus; cpu++) {
		const idx = cache * e.cpus + cpu;
		const slab = e.cpuState[idx * 2 + 1];
		const fl = freelistLength(e, cache, e.cpuState[idx * 2]);
		cpuFreelistLength.push(fl);
		// A CPU slab's inuse counts its lockless freelist: handed out = inuse − that list.
		cpuSlab.push(slab === NIL ? null : slabInfo(e, slab, e.pgInuse[slab] - fl));
		const list: SlabInfo[] = [];
		for (let s = e.cpuPartial[idx]; s !== NIL; s = e.pgNext[s]) list.push(slabInfo(e, s, e.pgInuse[s]));
		cpuPartial.push(list);
	}
	const nodePartial: SlabInfo[] = [];
	for (let s = e.cachePartialHead[cache]; s !== NIL; s = e.pgNext[s]) nodePartial.push(slabInfo(e, s, e.pgInuse[s]));
	let onLists = nodePartial.length;
	for (let cpu = 0; cpu < e.cpus; cpu++) onLists += cpuPartial[cpu].length + (cpuSlab[cpu] === null ? 0 : 1);
	return {cpuSlab, cpuFreelistLength, cpuPartial, nodePartial, full: e.cacheNrSlabs[cache] - onLists};
}

/**
 * Every slab of a cache in address order with its fullness (objects handed out / capacity)
 * and state: for the detail view's slab map. Walks the memmap once.
 */
export function slabMap(e: Engine, cache: number): Array<{slab: number; used: number; objects: number; state: number}> {
	const out: Array<{slab: number; used: number; objects: number; state: number}> = [];
	for (let f = 0; f < e.nrFrames; f++) {
		if (e.pgCache[f] !== cache || e.pgHead[f] !== f) continue;
		const state = e.pgState[f];
		// A CPU slab's inuse counts its lockless freelist: handed out = inuse − that list.
		const used =
			state === SlabState.CpuSlab
				? e.pgInuse[f] - freelistLength(e, cache, e.cpuState[(cache * e.cpus + e.pgCpu[f]) * 2])
				: e.pgInuse[f];
		out.push({slab: f, used, objects: e.pgObjects[f], state: state === SlabState.None ? SlabState.Full : state});
	}
	return out;
}

export type StatCounter = {name: string; total: number; perCpu: number[]};

/** SLUB_STATS of a cache, sysfs names, totals and per CPU. */
export function statCounters(e: Engine, cache: number): StatCounter[] {
	const out: StatCounter[] = [];
	for (let s = 0; s < STAT_COUNT; s++) {
		const perCpu: number[] = [];
		let total = 0;
		for (let cpu = 0; cpu < e.cpus; cpu++) {
			const v = e.stats[(cache * e.cpus + cpu) * STAT_COUNT + s];
			perCpu.push(v);
			total += v;
		}
		out.push({name: STAT_NAMES[s], total, perCpu});
	}
	return out;
}

/** A sysfs stat file's text: `total C0=n C1=n` (CPUs with non-zero counts). */
export function statFileText(c: StatCounter): string {
	let s = String(c.total);
	c.perCpu.forEach((v, cpu) => {
		if (v !== 0) s += ` C${cpu}=${v}`;
	});
	return s;
}

export type MemoryStats = {
	totalPages: number;
	freePages: number;
	slabPages: number;
	/** Pages held by large kmallocs (compound pages straight from the buddy allocator). */
	largeKmallocPages: number;
	/** Large kmallocs live. */
	largeKmallocs: number;
	freeBlocks: number[]; // nr_free per order 0..10 (/proc/buddyinfo)
	/** Share of free memory unusable for an order-k request, per order. */
	unusable: number[];
};

export function memoryStats(e: Engine): MemoryStats {
	let slabPages = 0;
	for (const id of e.cacheOrderList) slabPages += cachePages(e, id);
	const unusable: number[] = [];
	for (let order = 0; order <= MAX_PAGE_ORDER; order++) unusable.push(unusableFreeIndex(e, order));
	return {
		totalPages: e.nrFrames,
		freePages: e.nrFreePages,
		slabPages,
		largeKmallocPages: e.largeKmallocPages,
		largeKmallocs: e.largeKmalloc.size,
		freeBlocks: buddyInfo(e),
		unusable,
	};
}
