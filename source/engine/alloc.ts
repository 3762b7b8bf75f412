// Allocation (mm/slub.c slab_alloc_node, ___slab_alloc): the fast path pops this CPU's lockless freelist;
// everything else is allocSlow(). Main entries: allocObject(), zallocObject(). Bulk: bulk.ts.

import {NIL, PAGE_SHIFT} from './constants.js';
import {debugCheckBeforeAlloc, debugOnAlloc, isWildFreelistSafe, markAllObjectsUsed} from './debug.js';
import {type Engine, SlabState} from './engine.js';
import {
	addFull,
	addPartial,
	incSlabsNode,
	newSlab,
	putCpuPartial,
	removePartial,
	reportOutOfMemory,
	stat,
} from './slab.js';
import {STAT_COUNT, Stat} from './stats.js';
import {traceAlloc, type TraceSink} from './trace.js';
import {allocFromPcs, type CacheSheaves} from './sheaf.js';

/**
 * kmem_cache_alloc(cache) on `cpu`: an object address, or NIL when out of memory (ENOMEM:
 * an alloc-failure event is recorded and the cache's failure count goes up). A cache with
 * sheaves tries this CPU's sheaves first (alloc_from_pcs, sheaf.ts).
 */
export function allocObject(e: Engine, cache: number, cpu: number): number {
	const sheaves = e.sheaves[cache];
	if (sheaves !== null) return allocPcs(e, cache, cpu, sheaves);
	return slabAllocObject(e, cache, cpu);
}

/**
 * allocObject() on a cache with sheaves: the sheaves, else the slab layer. With the trace open,
 * one record for the call, the refill's slab-layer steps in it. (Apart from allocObject, so the
 * trace test stays off the path of caches without sheaves.)
 */
function allocPcs(e: Engine, cache: number, cpu: number, sheaves: CacheSheaves): number {
	const t = e.trace;
	if (t !== null) t.depth++;
	let obj = allocFromPcs(e, cache, cpu, sheaves);
	if (obj === NIL) obj = slabAllocObject(e, cache, cpu);
	if (t !== null) {
		t.depth--;
		traceAlloc(e, t, cache, cpu, obj, false);
	}
	return obj;
}

/**
 * __slab_alloc_node(): an object from the CPU slab layer (CPU freelist, then ___slab_alloc), as
 * kmem_cache_alloc() takes it for a cache without sheaves and as a sheaf refill takes each
 * object; NIL when out of memory.
 */
export function slabAllocObject(e: Engine, cache: number, cpu: number): number {
	const idx = cache * e.cpus + cpu;
	const obj = e.cpuState[idx * 2];
	if (obj !== NIL && e.cpuState[idx * 2 + 1] !== NIL && e.trace === null) {
		e.cpuState[idx * 2] = e.mem32[(obj + e.cacheOffset[cache]) >> 2]; // the free pointer inside the object
		e.stats[idx * STAT_COUNT + Stat.AllocFastpath]++;
		return obj;
	}
	return e.trace === null ? allocSlow(e, cache, cpu) : allocTraced(e, e.trace, cache, cpu);
}

/** allocObject() with the operation trace open: the same paths, each allocation recorded. */
function allocTraced(e: Engine, t: TraceSink, cache: number, cpu: number): number {
	const idx = cache * e.cpus + cpu;
	const obj = e.cpuState[idx * 2];
	if (obj !== NIL && e.cpuState[idx * 2 + 1] !== NIL) {
		e.cpuState[idx * 2] = e.mem32[(obj + e.cacheOffset[cache]) >> 2];
		e.stats[idx * STAT_COUNT + Stat.AllocFastpath]++;
		traceAlloc(e, t, cache, cpu, obj, true);
		return obj;
	}
	const got = allocSlow(e, cache, cpu);
	traceAlloc(e, t, cache, cpu, got, false);
	return got;
}

/**
 * ___slab_alloc(): the CPU freelist is empty or there is no CPU slab. In order:
 *  1. the CPU slab's own freelist (objects other CPUs freed into it): ALLOC_REFILL; if that is
 *     empty too the full slab leaves the CPU on no list: DEACTIVATE_BYPASS;
 *  2. the head of this CPU's partial list: CPU_PARTIAL_ALLOC;
 *  3. the node partial list from its head: ALLOC_FROM_PARTIAL, plus up to
 *     cpu_partial_slabs / 2 + 1 more slabs onto the CPU partial list: CPU_PARTIAL_NODE;
 *  4. a new slab from the page allocator: ALLOC_SLAB;
 *  5. none: NIL and the kernel's "SLUB: Unable to allocate memory" warning.
 * Debug caches take allocDebug() instead (no CPU slab, no CPU partial list).
 */
export function allocSlow(e: Engine, cache: number, cpu: number): number {
	stat(e, cache, cpu, Stat.AllocSlowpath);
	if (e.cacheIsDebug[cache]) return allocDebug(e, cache, cpu);
	const idx = cache * e.cpus + cpu;
	let slab = e.cpuState[idx * 2 + 1];
	if (slab !== NIL) {
		const freelist = e.pgFreelist[slab];
		if (freelist !== NIL) {
			e.pgFreelist[slab] = NIL;
			e.pgInuse[slab] = e.pgObjects[slab];
			stat(e, cache, cpu, Stat.AllocRefill);
			return loadFreelist(e, cache, idx, freelist);
		}
		e.cpuState[idx * 2 + 1] = NIL;
		e.cpuState[idx * 2] = NIL;
		e.pgState[slab] = SlabState.Full;
		e.pgCpu[slab] = -1;
		stat(e, cache, cpu, Stat.DeactivateBypass);
	}
	slab = e.cpuPartial[idx];
	if (slab !== NIL) {
		e.cpuPartial[idx] = e.pgNext[slab];
		stat(e, cache, cpu, Stat.CpuPartialAlloc);
		return loadFreelist(e, cache, idx, freezeSlab(e, slab, cpu, idx));
	}
	slab = getPartialNode(e, cache, cpu);
	if (slab !== NIL) return loadFreelist(e, cache, idx, freezeSlab(e, slab, cpu, idx));
	slab = newSlab(e, cache, cpu);
	if (slab === NIL) {
		reportOutOfMemory(e, cache, cpu);
		return NIL;
	}
	stat(e, cache, cpu, Stat.AllocSlab);
	incSlabsNode(e, cache, slab);
	return loadFreelist(e, cache, idx, freezeSlab(e, slab, cpu, idx));
}

/** Make `slab` this CPU's slab and take its whole freelist (all objects count as in use). */
function freezeSlab(e: Engine, slab: number, cpu: number, idx: number): number {
	const freelist = e.pgFreelist[slab];
	e.pgFreelist[slab] = NIL;
	e.pgInuse[slab] = e.pgObjects[slab];
	e.pgState[slab] = SlabState.CpuSlab;
	e.pgCpu[slab] = cpu;
	e.pgNext[slab] = NIL;
	e.pgPrev[slab] = NIL;
	e.cpuState[idx * 2 + 1] = slab;
	return freelist;
}

/** load_freelist: hand out the first object, keep the rest as the CPU freelist. */
function loadFreelist(e: Engine, cache: number, idx: number, obj: number): number {
	e.cpuState[idx * 2] = e.mem32[(obj + e.cacheOffset[cache]) >> 2];
	return obj;
}

/**
 * get_partial_node(): the first node partial slab becomes the CPU slab; following ones go onto
 * this CPU's partial list (no drain) until more than cpu_partial_slabs / 2 have been moved.
 */
function getPartialNode(e: Engine, cache: number, cpu: number): number {
	const limit = e.cacheCpuPartialSlabs[cache];
	let slab = e.cachePartialHead[cache];
	let first = NIL;
	let moved = 0;
	while (slab !== NIL) {
		const next = e.pgNext[slab];
		removePartial(e, cache, slab);
		if (first === NIL) {
			first = slab;
			stat(e, cache, cpu, Stat.AllocFromPartial);
			if (limit === 0) break;
		} else {
			putCpuPartial(e, cache, cpu, slab, false);
			stat(e, cache, cpu, Stat.CpuPartialNode);
			if (++moved > limit >> 1) break;
		}
		slab = next;
	}
	return first;
}

/**
 * Debug caches (any of F Z P U T): under the node lock, one object from the first node partial
 * slab (alloc_single_from_partial; every debug partial slab has a free object), or from a new
 * slab put at the partial head (alloc_single_from_new_slab). Full slabs go to node.full (kept
 * only with STORE_USER). With F the object is checked first; when that fails the slab takes
 * the kernel's recovery path (all its objects marked used, off the partial list: the memory is
 * leaked, as the kernel leaks it) and the next partial slab is tried (debug.ts).
 */
function allocDebug(e: Engine, cache: number, cpu: number): number {
	const offset = e.cacheOffset[cache];
	let slab = e.cachePartialHead[cache];
	while (slab !== NIL) {
		const obj = e.pgFreelist[slab];
		if (!debugCheckBeforeAlloc(e, cache, slab, obj) || !isWildFreelistSafe(e, cache, slab, obj)) {
			markAllObjectsUsed(e, cache, slab);
			removePartial(e, cache, slab);
			addFull(e, cache, slab);
			slab = e.cachePartialHead[cache];
			continue;
		}
		e.pgFreelist[slab] = e.mem32[(obj + offset) >> 2];
		e.pgInuse[slab]++;
		if (e.pgFreelist[slab] === NIL) {
			removePartial(e, cache, slab);
			addFull(e, cache, slab);
		}
		debugOnAlloc(e, cache, obj, cpu);
		return obj;
	}
	slab = newSlab(e, cache, cpu);
	if (slab === NIL) {
		reportOutOfMemory(e, cache, cpu);
		return NIL;
	}
	stat(e, cache, cpu, Stat.AllocSlab);
	const obj = e.pgFreelist[slab];
	e.pgFreelist[slab] = e.mem32[(obj + offset) >> 2];
	e.pgInuse[slab] = 1;
	incSlabsNode(e, cache, slab);
	if (e.pgInuse[slab] === e.pgObjects[slab]) addFull(e, cache, slab);
	else addPartial(e, cache, slab, false);
	debugOnAlloc(e, cache, obj, cpu);
	return obj;
}

/**
 * `count` slabs' worth of kmem_cache_alloc() on `cpu` for a cache with no slab on this CPU and
 * no partial slab (a cache just created, or emptied): the same state and the same counters as
 * calling slabAllocObject() once per object (per slab one ALLOC_SLOWPATH and ALLOC_SLAB, then
 * objects − 1 ALLOC_FASTPATH; each full CPU slab dropped for the next: DEACTIVATE_BYPASS; the
 * last stays the CPU slab with an empty CPU freelist), without threading freelists that would
 * be emptied at once. Used to rebuild a captured machine quickly. The slabs go to out[0..);
 * returns how many were allocated (fewer when memory runs out: the rest is left undone).
 * Debug caches and freelist randomisation take the per-object path.
 */
export function allocFullSlabs(e: Engine, cache: number, cpu: number, count: number, out: Int32Array): number {
	const idx = cache * e.cpus + cpu;
	const isPlain = e.cacheIsDebug[cache] === 0 && e.caches[cache].randomSeq === null && e.trace === null;
	if (!isPlain || e.cpuState[idx * 2 + 1] !== NIL || e.cpuPartial[idx] !== NIL || e.cachePartialHead[cache] !== NIL) {
		for (let k = 0; k < count; k++) {
			const first = slabAllocObject(e, cache, cpu);
			if (first === NIL) return k;
			const slab = e.pgHead[first >> PAGE_SHIFT];
			out[k] = slab;
			for (let j = 1; j < e.pgObjects[slab]; j++) slabAllocObject(e, cache, cpu);
		}
		return count;
	}
	const base = idx * STAT_COUNT;
	for (let k = 0; k < count; k++) {
		e.stats[base + Stat.AllocSlowpath]++;
		const prev = e.cpuState[idx * 2 + 1];
		if (prev !== NIL) {
			e.cpuState[idx * 2 + 1] = NIL;
			e.pgState[prev] = SlabState.Full;
			e.pgCpu[prev] = -1;
			e.stats[base + Stat.DeactivateBypass]++;
		}
		const slab = newSlab(e, cache, cpu, true);
		if (slab === NIL) {
			reportOutOfMemory(e, cache, cpu);
			return k;
		}
		e.stats[base + Stat.AllocSlab]++;
		incSlabsNode(e, cache, slab);
		e.pgState[slab] = SlabState.CpuSlab;
		e.pgCpu[slab] = cpu;
		e.pgNext[slab] = NIL;
		e.pgPrev[slab] = NIL;
		e.cpuState[idx * 2 + 1] = slab;
		e.cpuState[idx * 2] = NIL;
		e.stats[base + Stat.AllocFastpath] += e.pgObjects[slab] - 1;
		out[k] = slab;
	}
	return count;
}

/** kmem_cache_zalloc(): allocate, then zero object_size bytes. */
export function zallocObject(e: Engine, cache: number, cpu: number): number {
	const obj = allocObject(e, cache, cpu);
	if (obj !== NIL) e.mem8.fill(0, obj, obj + e.caches[cache].layout.objectSize);
	return obj;
}
