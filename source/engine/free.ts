// Free (mm/slub.c do_slab_free, __slab_free): the fast path pushes onto this CPU's freelist when the object is in
// this CPU's slab; everything else is freeSlow(). Main entries: freeChecked() and kfree()
// (kmem_cache_free and kfree with checks: bad pointers and double frees are refused and
// reported, never corrupt the model), kfreeOwned() and freeObject() (callers that own a live
// object).

import {NIL, PAGE_SHIFT} from './constants.js';
import {debugFreeCheck, debugOnFree, reportInvalidFree} from './debug.js';
import {type Engine, SlabState, pushEvent} from './engine.js';
import {SLAB_CONSISTENCY_CHECKS} from './flags.js';
import {addPartial, discardSlab, putCpuPartial, removeFull, removePartial, stat} from './slab.js';
import {STAT_COUNT, Stat} from './stats.js';
import {traceFree, type TraceSink} from './trace.js';
import {freeToPcs, type CacheSheaves} from './sheaf.js';

/** What a checked free did. */
export const FreeStatus = {
	Ok: 0,
	/** Not an address inside a slab page: "virt_to_cache: Object is not a Slab page!" */
	NotSlab: 1,
	/** Inside a slab but not at an object start. */
	BadPointer: 2,
	/** The object is already free. */
	DoubleFree: 3,
	/** Freed, but to its real owner: the caller named another cache. */
	WrongCache: 4,
	/** A debug check failed (corrupted object): not freed. */
	Corrupt: 5,
} as const;
export type FreeStatus = (typeof FreeStatus)[keyof typeof FreeStatus];

/**
 * on_freelist(): is `obj` (an object start in `slab`) free? It is free when it is on the slab's
 * own freelist or, for a CPU slab, on that CPU's lockless freelist. A walk of at most `objects`
 * steps: for checks and user commands, never the hot path.
 */
export function isObjectFree(e: Engine, cache: number, slab: number, obj: number): boolean {
	const offset = e.cacheOffset[cache];
	const limit = e.pgObjects[slab];
	let n = 0;
	for (let p = e.pgFreelist[slab]; p !== NIL && n <= limit; p = e.mem32[(p + offset) >> 2], n++)
		if (p === obj) return true;
	const cpu = e.pgCpu[slab];
	if (e.pgState[slab] === SlabState.CpuSlab && cpu >= 0) {
		n = 0;
		for (let p = e.cpuState[(cache * e.cpus + cpu) * 2]; p !== NIL && n <= limit; p = e.mem32[(p + offset) >> 2], n++)
			if (p === obj) return true;
	}
	return false;
}

/** Is `obj` an object start inside `slab` of `cache`? */
export function isObjectStart(e: Engine, cache: number, slab: number, obj: number): boolean {
	const rel = obj - (slab << PAGE_SHIFT) - e.cacheRedLeftPad[cache];
	return rel >= 0 && rel % e.cacheSize[cache] === 0 && rel / e.cacheSize[cache] < e.pgObjects[slab];
}

/**
 * kmem_cache_free() of a live object of `cache` whose slab is `slab` (the trusted path: no
 * validity checks): into this CPU's sheaves for a cache with sheaves (free_to_pcs), else the slab.
 */
export function freeObject(e: Engine, cache: number, cpu: number, obj: number, slab: number): void {
	const sheaves = e.sheaves[cache];
	if (sheaves !== null) {
		freePcs(e, cache, cpu, sheaves, obj);
		return;
	}
	slabFree(e, cache, cpu, obj, slab);
}

/** free_to_pcs(); with the trace open, one record for the call, a flush's slab-layer steps in it. */
function freePcs(e: Engine, cache: number, cpu: number, sheaves: CacheSheaves, obj: number): void {
	const t = e.trace;
	if (t !== null) t.depth++;
	freeToPcs(e, cache, cpu, sheaves, obj);
	if (t !== null) {
		t.depth--;
		traceFree(e, t, cache, cpu, obj, false);
	}
}

/** do_slab_free() of one object: the CPU freelist when it is this CPU's slab, else __slab_free. */
function slabFree(e: Engine, cache: number, cpu: number, obj: number, slab: number): void {
	const idx = cache * e.cpus + cpu;
	if (slab === e.cpuState[idx * 2 + 1] && e.trace === null) {
		e.mem32[(obj + e.cacheOffset[cache]) >> 2] = e.cpuState[idx * 2];
		e.cpuState[idx * 2] = obj;
		e.stats[idx * STAT_COUNT + Stat.FreeFastpath]++;
		return;
	}
	if (e.trace === null) freeSlow(e, cache, cpu, slab, obj, obj, 1);
	else freeTraced(e, e.trace, cache, cpu, obj, slab);
}

/** freeObject() with the operation trace open: the same paths, each free recorded. */
function freeTraced(e: Engine, t: TraceSink, cache: number, cpu: number, obj: number, slab: number): void {
	const idx = cache * e.cpus + cpu;
	if (slab === e.cpuState[idx * 2 + 1]) {
		e.mem32[(obj + e.cacheOffset[cache]) >> 2] = e.cpuState[idx * 2];
		e.cpuState[idx * 2] = obj;
		e.stats[idx * STAT_COUNT + Stat.FreeFastpath]++;
		traceFree(e, t, cache, cpu, obj, true);
		return;
	}
	freeSlow(e, cache, cpu, slab, obj, obj, 1);
	traceFree(e, t, cache, cpu, obj, false);
}

/**
 * __slab_free(): push the chain head..tail (cnt objects) onto the slab's own freelist.
 * With `prior` the slab freelist before the push:
 *  - slab frozen (some CPU's active slab): nothing else, FREE_FROZEN;
 *  - prior NIL (the slab was full, on no list): onto this CPU's partial list, draining a full
 *    list to the node first: CPU_PARTIAL_FREE;
 *  - on the node partial list, now empty, and the node has min_partial slabs: discarded
 *    (FREE_REMOVE_PARTIAL, FREE_SLAB); on a CPU partial list: nothing.
 * Debug caches go to freeDebug(): no CPU partial lists.
 */
export function freeSlow(
	e: Engine,
	cache: number,
	cpu: number,
	slab: number,
	head: number,
	tail: number,
	cnt: number,
): void {
	stat(e, cache, cpu, Stat.FreeSlowpath);
	if (e.cacheIsDebug[cache]) {
		freeDebug(e, cache, cpu, slab, head, tail, cnt);
		return;
	}
	const prior = e.pgFreelist[slab];
	e.mem32[(tail + e.cacheOffset[cache]) >> 2] = prior;
	e.pgFreelist[slab] = head;
	const inuse = (e.pgInuse[slab] -= cnt);
	const state = e.pgState[slab];
	if (state === SlabState.CpuSlab) {
		stat(e, cache, cpu, Stat.FreeFrozen);
	} else if (prior === NIL) {
		putCpuPartial(e, cache, cpu, slab, true);
		stat(e, cache, cpu, Stat.CpuPartialFree);
	} else if (inuse === 0 && state === SlabState.NodePartial && e.cacheNrPartial[cache] >= e.cacheMinPartial[cache]) {
		removePartial(e, cache, slab);
		stat(e, cache, cpu, Stat.FreeRemovePartial);
		stat(e, cache, cpu, Stat.FreeSlab);
		discardSlab(e, cache, slab);
	}
}

/** free_to_partial_list(): debug caches, under the node lock. */
function freeDebug(e: Engine, cache: number, cpu: number, slab: number, head: number, tail: number, cnt: number): void {
	const prior = e.pgFreelist[slab];
	e.mem32[(tail + e.cacheOffset[cache]) >> 2] = prior;
	e.pgFreelist[slab] = head;
	const inuse = (e.pgInuse[slab] -= cnt);
	const isEmptyToFree = inuse === 0 && e.cacheNrPartial[cache] >= e.cacheMinPartial[cache];
	if (prior === NIL) {
		removeFull(e, cache, slab);
		if (!isEmptyToFree) {
			addPartial(e, cache, slab, true);
			stat(e, cache, cpu, Stat.FreeAddPartial);
		}
	} else if (isEmptyToFree) {
		removePartial(e, cache, slab);
		stat(e, cache, cpu, Stat.FreeRemovePartial);
	}
	if (isEmptyToFree) {
		stat(e, cache, cpu, Stat.FreeSlab);
		discardSlab(e, cache, slab);
	}
}

/**
 * Checked free of `obj` on `cpu`, as kmem_cache_free() with SLUB's checks; `cache` is the cache
 * the caller names, or -1 for kfree() semantics (the owner comes from the slab). Refuses, with
 * an event in the kernel's wording, anything that would corrupt the allocator: a pointer
 * outside slab pages, not at an object start, or to an object already free (found by walking
 * the freelists, as on_freelist() does). A pointer into another cache's slab is freed to its
 * real owner after the kernel's "Wrong slab cache" warning. Debug caches run SLUB's free checks.
 * For user commands and tests; code that owns its objects frees them with kfreeOwned().
 */
export function freeChecked(e: Engine, cache: number, obj: number, cpu: number): FreeStatus {
	const caller = cache >= 0 ? e.caches[cache] : null;
	const isInMemory = Number.isInteger(obj) && obj >= 0 && obj < e.memoryBytes;
	const owner = isInMemory ? e.pgCache[obj >> PAGE_SHIFT] : 0;
	const slab = isInMemory ? e.pgHead[obj >> PAGE_SHIFT] : NIL;
	if (owner === 0) {
		pushEvent(e, 'warning', caller?.name ?? '', `virt_to_cache: Object is not a Slab page! (0x${hex(obj)})`);
		return FreeStatus.NotSlab;
	}
	let status: FreeStatus = FreeStatus.Ok;
	if (caller !== null && owner !== cache) {
		pushEvent(
			e,
			'warning',
			caller.name,
			`cache_from_obj: Wrong slab cache. ${caller.name} but object is from ${e.caches[owner].name}`,
		);
		status = FreeStatus.WrongCache;
	}
	if (!isObjectStart(e, owner, slab, obj)) {
		reportInvalidFree(e, owner, slab, obj, 'Invalid object pointer');
		return FreeStatus.BadPointer;
	}
	if (isObjectFree(e, owner, slab, obj)) {
		reportInvalidFree(e, owner, slab, obj, 'Object already free', cpu);
		return FreeStatus.DoubleFree;
	}
	if (e.cacheIsDebug[owner]) {
		if (e.cacheFlags[owner] & SLAB_CONSISTENCY_CHECKS && !debugFreeCheck(e, owner, slab, obj))
			return FreeStatus.Corrupt;
		debugOnFree(e, owner, obj, cpu);
	}
	freeObject(e, owner, cpu, obj, slab);
	return status;
}

/**
 * kfree() for a caller that owns `obj` (it allocated it and has not freed it): the owner comes
 * from the slab, no validity checks, as the kernel's own kfree. Debug caches still run SLUB's
 * checks. Workload generators and the benchmark use this; anything a user types goes through
 * the checked kfree()/freeChecked().
 */
export function kfreeOwned(e: Engine, obj: number, cpu: number): void {
	const page = obj >> PAGE_SHIFT;
	const cache = e.pgCache[page];
	const slab = e.pgHead[page];
	const sheaves = e.sheaves[cache];
	if (sheaves !== null) {
		freePcs(e, cache, cpu, sheaves, obj); // caches with sheaves are never debug caches
		return;
	}
	const idx = cache * e.cpus + cpu;
	if (slab === e.cpuState[idx * 2 + 1] && e.trace === null) {
		// freeObject()'s fast path, inline. Debug caches never have a CPU slab.
		e.mem32[(obj + e.cacheOffset[cache]) >> 2] = e.cpuState[idx * 2];
		e.cpuState[idx * 2] = obj;
		e.stats[idx * STAT_COUNT + Stat.FreeFastpath]++;
	} else if (e.cacheIsDebug[cache] === 0) {
		if (e.trace === null) freeSlow(e, cache, cpu, slab, obj, obj, 1);
		else freeTraced(e, e.trace, cache, cpu, obj, slab);
	} else {
		freeChecked(e, cache, obj, cpu);
	}
}

/**
 * do_slab_free() for a caller that owns `obj`: the CPU slab layer's free (fast path onto this
 * CPU's freelist, else __slab_free), bypassing sheaves. Debug caches run SLUB's checks.
 */
export function slabFreeObject(e: Engine, cache: number, cpu: number, obj: number): void {
	const slab = e.pgHead[obj >> PAGE_SHIFT];
	if (e.cacheIsDebug[cache] === 0) slabFree(e, cache, cpu, obj, slab);
	else freeChecked(e, cache, obj, cpu);
}

/**
 * `count` objects of one slab, `first` then every `stride` bytes, freed one by one on `cpu` as
 * slabFreeObject() frees them: the same lists, freelist order and counters. A free that only
 * pushes onto the freelist of a slab on a partial list (not this CPU's slab, not its last
 * object on the node list) is done in place; every other one takes slabFreeObject(). The boot
 * rebuild frees the tails of whole slabs this way (workload/boot-capture.ts).
 */
export function slabFreeRun(e: Engine, cache: number, cpu: number, first: number, stride: number, count: number): void {
	const idx = cache * e.cpus + cpu;
	const offset = e.cacheOffset[cache];
	const isPlain = e.cacheIsDebug[cache] === 0 && e.trace === null;
	for (let i = 0, obj = first; i < count; i++, obj += stride) {
		const slab = e.pgHead[obj >> PAGE_SHIFT];
		const state = e.pgState[slab];
		const isPushOnly =
			isPlain &&
			slab !== e.cpuState[idx * 2 + 1] &&
			e.pgFreelist[slab] !== NIL &&
			(state === SlabState.CpuPartial || (state === SlabState.NodePartial && e.pgInuse[slab] > 1));
		if (!isPushOnly) {
			slabFreeObject(e, cache, cpu, obj);
			continue;
		}
		// freeSlow()'s work for such a slab: the push, one object fewer in use, FREE_SLOWPATH.
		e.mem32[(obj + offset) >> 2] = e.pgFreelist[slab];
		e.pgFreelist[slab] = obj;
		e.pgInuse[slab]--;
		e.stats[idx * STAT_COUNT + Stat.FreeSlowpath]++;
	}
}

/** kfree(): the owning cache comes from the slab. */
export function kfree(e: Engine, obj: number, cpu: number): FreeStatus {
	return freeChecked(e, -1, obj, cpu);
}

const hex = (n: number): string =>
	Number.isFinite(n) ? Math.max(0, Math.floor(n)).toString(16).padStart(8, '0') : String(n);
