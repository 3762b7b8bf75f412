// Per-CPU sheaves and the per-node barn (Linux 6.18 mm/slub.c; docs/sheaves.md). A cache
// created with a sheaf capacity (vm_area_struct and maple_node in 6.18, 32 each) allocates
// from and frees to arrays of object pointers before it touches its CPU slab:
//   - each CPU has a main sheaf (never missing) and maybe a spare (empty or full);
//   - the node's barn keeps whole sheaves, full and empty, handed between CPUs;
//   - a sheaf is refilled from, and flushed to, the slab layer in batches (the bulk paths).
// Named steps, each a function, so a trace can name the path taken: allocFromPcs (alloc_from_pcs),
// replaceEmptyMain (__pcs_replace_empty_main), refillSheaf (refill_sheaf), freeToPcs
// (free_to_pcs), replaceFullMain (__pcs_replace_full_main), installEmptySheaf
// (__pcs_install_empty_sheaf), sheafFlushUnused (sheaf_flush_unused), sheafFlushMain
// (sheaf_flush_main), pcsFlushAll (pcs_flush_all), barnShrink (barn_shrink), and the bulk
// forms allocFromPcsBulk and freeToPcsBulk. Counters as 6.18 increments them (Stat.*).
// One node: the barn is the cache's. Allocation with GFP_KERNEL: refills may take new slabs.

import {NIL} from './constants.js';
import type {Engine} from './engine.js';
import {Stat} from './stats.js';
import {stat} from './slab.js';
import {slabAllocObject} from './alloc.js';
import {slabFreeBulk} from './bulk.js';

/** The barn's limit of full sheaves (MAX_FULL_SHEAVES; MAX_EMPTY_SHEAVES is not modelled: docs/sheaves.md). */
export const MAX_FULL_SHEAVES = 10;
/** sheaf_flush_main() frees the main sheaf in batches of at most PCS_BATCH_MAX objects. */
export const PCS_BATCH_MAX = 32;

/** struct slab_sheaf: up to `capacity` object addresses, objects[0..size). */
export type Sheaf = {objects: Int32Array; size: number};

/** struct slub_percpu_sheaves (no rcu_free sheaf: kfree_rcu is not modelled here). */
export type PercpuSheaves = {main: Sheaf; spare: Sheaf | null};

/** struct node_barn: lists used as stacks, the list head at the array's end (list_add / list_first_entry). */
export type Barn = {full: Sheaf[]; empty: Sheaf[]};

/** A cache's sheaves: capacity, one PercpuSheaves per CPU, the barn. */
export type CacheSheaves = {capacity: number; pcs: PercpuSheaves[]; barn: Barn};

/** alloc_empty_sheaf(): SHEAF_ALLOC. (The kernel kmallocs it; the model keeps it outside the simulated memory.) */
function allocEmptySheaf(e: Engine, cache: number, cpu: number, capacity: number): Sheaf {
	stat(e, cache, cpu, Stat.SheafAlloc);
	return {objects: new Int32Array(capacity), size: 0};
}

/** free_empty_sheaf(): SHEAF_FREE. */
function freeEmptySheaf(e: Engine, cache: number, cpu: number): void {
	stat(e, cache, cpu, Stat.SheafFree);
}

/** init_percpu_sheaves() at cache creation: every CPU gets an empty main sheaf; the barn starts empty. */
export function initSheaves(e: Engine, cache: number, capacity: number): void {
	while (e.sheaves.length <= cache) e.sheaves.push(null);
	const pcs: PercpuSheaves[] = [];
	for (let cpu = 0; cpu < e.cpus; cpu++) pcs.push({main: allocEmptySheaf(e, cache, 0, capacity), spare: null});
	e.sheaves[cache] = {capacity, pcs, barn: {full: [], empty: []}};
}

/**
 * refill_sheaf(): fill the sheaf up to capacity from the slab layer (__kmem_cache_alloc_bulk:
 * the CPU freelist, then ___slab_alloc, each object counted there). SHEAF_REFILL += objects.
 * All or nothing: when memory runs out, what was taken goes back and the refill fails.
 */
export function refillSheaf(e: Engine, cache: number, cpu: number, sheaf: Sheaf, capacity: number): boolean {
	const toFill = capacity - sheaf.size;
	if (toFill === 0) return true;
	const start = sheaf.size;
	for (let i = 0; i < toFill; i++) {
		const obj = slabAllocObject(e, cache, cpu);
		if (obj === NIL) {
			slabFreeBulk(e, cache, cpu, sheaf.objects.subarray(start, start + i), i);
			return false;
		}
		sheaf.objects[start + i] = obj;
	}
	sheaf.size = capacity;
	stat(e, cache, cpu, Stat.SheafRefill, toFill);
	return true;
}

/**
 * __pcs_replace_empty_main(): the main sheaf is empty. A non-empty spare becomes main; else a
 * full sheaf from the barn (BARN_GET; main goes to the barn's empty list); else BARN_GET_FAIL
 * and a sheaf is refilled: the spare, or an empty one from the barn, or a new one (SHEAF_ALLOC;
 * SHEAF_FREE if its refill fails). The refilled sheaf replaces the empty main (which goes to the
 * barn). False when no object could be had (the caller falls back to the slab layer).
 */
export function replaceEmptyMain(e: Engine, cache: number, cpu: number, sh: CacheSheaves): boolean {
	const pcs = sh.pcs[cpu];
	const barn = sh.barn;
	if (pcs.spare !== null && pcs.spare.size > 0) {
		const t = pcs.main;
		pcs.main = pcs.spare;
		pcs.spare = t;
		return true;
	}
	if (barn.full.length > 0) {
		barn.empty.push(pcs.main);
		pcs.main = barn.full.pop()!;
		stat(e, cache, cpu, Stat.BarnGet);
		return true;
	}
	stat(e, cache, cpu, Stat.BarnGetFail);
	let empty: Sheaf | null;
	if (pcs.spare !== null) {
		empty = pcs.spare;
		pcs.spare = null;
	} else {
		empty = barn.empty.pop() ?? null;
	}
	let full: Sheaf | null = null;
	if (empty !== null) {
		if (refillSheaf(e, cache, cpu, empty, sh.capacity)) full = empty;
		else barn.empty.push(empty); // very low on memory: keep it in the barn
	} else {
		full = allocEmptySheaf(e, cache, cpu, sh.capacity);
		if (!refillSheaf(e, cache, cpu, full, sh.capacity)) {
			freeEmptySheaf(e, cache, cpu);
			full = null;
		}
	}
	if (full === null) return false;
	// The kernel re-checks main and spare here (it dropped the lock to refill); with one thread
	// nothing changed them: main is still empty and goes to the barn.
	barn.empty.push(pcs.main);
	pcs.main = full;
	return true;
}

/** alloc_from_pcs(): an object from this CPU's main sheaf (ALLOC_PCS), or NIL: take the slab path. */
export function allocFromPcs(e: Engine, cache: number, cpu: number, sh: CacheSheaves): number {
	const pcs = sh.pcs[cpu];
	if (pcs.main.size === 0 && !replaceEmptyMain(e, cache, cpu, sh)) return NIL;
	const main = pcs.main;
	const obj = main.objects[--main.size];
	stat(e, cache, cpu, Stat.AllocPcs);
	return obj;
}

/** sheaf_flush_unused(): every object of the sheaf back to its slab (__kmem_cache_free_bulk). SHEAF_FLUSH += objects. */
export function sheafFlushUnused(e: Engine, cache: number, cpu: number, sheaf: Sheaf): void {
	if (sheaf.size === 0) return;
	const n = sheaf.size;
	stat(e, cache, cpu, Stat.SheafFlush, n);
	// A view, not a copy: the entries are dead once the sheaf is emptied.
	slabFreeBulk(e, cache, cpu, sheaf.objects.subarray(0, n), n);
	sheaf.size = 0;
}

/** sheaf_flush_main(): empty the main sheaf from its top, PCS_BATCH_MAX objects per bulk free. */
export function sheafFlushMain(e: Engine, cache: number, cpu: number, sh: CacheSheaves): void {
	const main = sh.pcs[cpu].main;
	while (main.size > 0) {
		const batch = Math.min(PCS_BATCH_MAX, main.size);
		main.size -= batch;
		slabFreeBulk(e, cache, cpu, main.objects.subarray(main.size, main.size + batch), batch);
		stat(e, cache, cpu, Stat.SheafFlush, batch);
	}
}

/**
 * __pcs_install_empty_sheaf(): put a freshly got empty sheaf in place. Normally there is no
 * spare: the full main becomes the spare. Otherwise the full main goes to the barn (BARN_PUT).
 */
function installEmptySheaf(e: Engine, cache: number, cpu: number, sh: CacheSheaves, empty: Sheaf): void {
	const pcs = sh.pcs[cpu];
	if (pcs.spare === null) {
		pcs.spare = pcs.main;
		pcs.main = empty;
		return;
	}
	if (pcs.main.size < sh.capacity) {
		sh.barn.empty.push(empty);
		return;
	}
	if (pcs.spare.size < sh.capacity) {
		const t = pcs.main;
		pcs.main = pcs.spare;
		pcs.spare = t;
		sh.barn.empty.push(empty);
		return;
	}
	sh.barn.full.push(pcs.main);
	stat(e, cache, cpu, Stat.BarnPut);
	pcs.main = empty;
}

/**
 * __pcs_replace_full_main(): the main sheaf is full. Without a spare: an empty sheaf from the
 * barn becomes main (the full one the spare), else a new empty sheaf. A spare with room is
 * swapped in. A full spare: barn_replace_full_sheaf() trades main for an empty sheaf of the
 * barn (BARN_PUT); when the barn already holds MAX_FULL_SHEAVES full ones (BARN_PUT_FAIL) the
 * spare is flushed to the slabs and becomes the empty main; when the barn has no empty sheaf a
 * new one is allocated and installed (main to the barn: BARN_PUT).
 */
export function replaceFullMain(e: Engine, cache: number, cpu: number, sh: CacheSheaves): void {
	const pcs = sh.pcs[cpu];
	const barn = sh.barn;
	if (pcs.spare === null) {
		const empty = barn.empty.pop();
		if (empty !== undefined) {
			pcs.spare = pcs.main;
			pcs.main = empty;
			return;
		}
		installEmptySheaf(e, cache, cpu, sh, allocEmptySheaf(e, cache, cpu, sh.capacity));
		return;
	}
	if (pcs.spare.size < sh.capacity) {
		const t = pcs.main;
		pcs.main = pcs.spare;
		pcs.spare = t;
		return;
	}
	if (barn.full.length >= MAX_FULL_SHEAVES) {
		stat(e, cache, cpu, Stat.BarnPutFail);
		const toFlush = pcs.spare;
		pcs.spare = null;
		sheafFlushUnused(e, cache, cpu, toFlush);
		installEmptySheaf(e, cache, cpu, sh, toFlush);
		return;
	}
	const empty = barn.empty.pop();
	if (empty !== undefined) {
		barn.full.push(pcs.main);
		stat(e, cache, cpu, Stat.BarnPut);
		pcs.main = empty;
		return;
	}
	installEmptySheaf(e, cache, cpu, sh, allocEmptySheaf(e, cache, cpu, sh.capacity));
}

/** free_to_pcs(): put the object in this CPU's main sheaf (FREE_PCS), making room first if it is full. */
export function freeToPcs(e: Engine, cache: number, cpu: number, sh: CacheSheaves, obj: number): void {
	const pcs = sh.pcs[cpu];
	if (pcs.main.size === sh.capacity) replaceFullMain(e, cache, cpu, sh);
	const main = pcs.main;
	main.objects[main.size++] = obj;
	stat(e, cache, cpu, Stat.FreePcs);
}

/** pcs_flush_all() on one CPU (flush_cpu_slab's first step): the spare flushed and freed, the main flushed. */
export function pcsFlushAll(e: Engine, cache: number, cpu: number, sh: CacheSheaves): void {
	const pcs = sh.pcs[cpu];
	const spare = pcs.spare;
	pcs.spare = null;
	if (spare !== null) {
		sheafFlushUnused(e, cache, cpu, spare);
		freeEmptySheaf(e, cache, cpu);
	}
	sheafFlushMain(e, cache, cpu, sh);
}

/** barn_shrink() (kmem_cache_shrink, on `cpu`): full sheaves flushed and freed, empty ones freed. */
export function barnShrink(e: Engine, cache: number, cpu: number, sh: CacheSheaves): void {
	const {full, empty} = sh.barn;
	sh.barn.full = [];
	sh.barn.empty = [];
	for (let i = full.length - 1; i >= 0; i--) {
		sheafFlushUnused(e, cache, cpu, full[i]);
		freeEmptySheaf(e, cache, cpu);
	}
	for (let i = empty.length - 1; i >= 0; i--) freeEmptySheaf(e, cache, cpu);
}

/**
 * alloc_from_pcs_bulk(): up to `n` objects from the main sheaf (ALLOC_PCS += batch), refilled
 * only from a non-empty spare or a full barn sheaf (BARN_GET / BARN_GET_FAIL); returns how many
 * it gave: the caller takes the rest from the slabs.
 */
export function allocFromPcsBulk(
	e: Engine,
	cache: number,
	cpu: number,
	sh: CacheSheaves,
	n: number,
	out: Int32Array,
): number {
	const pcs = sh.pcs[cpu];
	let allocated = 0;
	while (allocated < n) {
		if (pcs.main.size === 0) {
			if (pcs.spare !== null && pcs.spare.size > 0) {
				const t = pcs.main;
				pcs.main = pcs.spare;
				pcs.spare = t;
			} else if (sh.barn.full.length > 0) {
				sh.barn.empty.push(pcs.main);
				pcs.main = sh.barn.full.pop()!;
				stat(e, cache, cpu, Stat.BarnGet);
			} else {
				stat(e, cache, cpu, Stat.BarnGetFail);
				return allocated;
			}
		}
		const main = pcs.main;
		const batch = Math.min(n - allocated, main.size);
		main.size -= batch;
		out.set(main.objects.subarray(main.size, main.size + batch), allocated);
		stat(e, cache, cpu, Stat.AllocPcs, batch);
		allocated += batch;
	}
	return allocated;
}

/**
 * free_to_pcs_bulk(): the objects into the main sheaf in batches (FREE_PCS += batch), making room
 * as free_to_pcs does but without allocating sheaves; when no room can be had (no empty sheaf in
 * the barn, or too many full ones: BARN_PUT_FAIL) the rest go to the slabs (__kmem_cache_free_bulk).
 */
export function freeToPcsBulk(
	e: Engine,
	cache: number,
	cpu: number,
	sh: CacheSheaves,
	objs: Int32Array,
	n: number,
): void {
	const pcs = sh.pcs[cpu];
	const barn = sh.barn;
	let done = 0;
	while (done < n) {
		if (pcs.main.size === sh.capacity) {
			let ok = true;
			if (pcs.spare === null) {
				const empty = barn.empty.pop();
				if (empty === undefined) ok = false;
				else {
					pcs.spare = pcs.main;
					pcs.main = empty;
				}
			} else if (pcs.spare.size < sh.capacity) {
				const t = pcs.main;
				pcs.main = pcs.spare;
				pcs.spare = t;
			} else if (barn.full.length >= MAX_FULL_SHEAVES || barn.empty.length === 0) {
				stat(e, cache, cpu, Stat.BarnPutFail);
				ok = false;
			} else {
				barn.full.push(pcs.main);
				pcs.main = barn.empty.pop()!;
				stat(e, cache, cpu, Stat.BarnPut);
			}
			if (!ok) {
				slabFreeBulk(e, cache, cpu, objs.subarray(done, n), n - done);
				return;
			}
		}
		const main = pcs.main;
		const batch = Math.min(n - done, sh.capacity - main.size);
		main.objects.set(objs.subarray(done, done + batch), main.size);
		main.size += batch;
		stat(e, cache, cpu, Stat.FreePcs, batch);
		done += batch;
	}
}

/** Objects held in a cache's sheaves and barn (allocated as far as the slabs know). */
export function sheafObjects(sh: CacheSheaves): number {
	let n = 0;
	for (const pcs of sh.pcs) n += pcs.main.size + (pcs.spare?.size ?? 0);
	for (const s of sh.barn.full) n += s.size;
	return n;
}

/** What the detail view shows of a cache's sheaves: each CPU's main and spare, the barn. */
export type SheafView = {
	capacity: number;
	/** Per CPU: objects in the main sheaf, and in the spare (null: no spare). */
	cpus: Array<{main: number; spare: number | null}>;
	barnFull: number;
	barnEmpty: number;
	maxFull: number;
	/** Objects held in sheaves and the barn: allocated as far as the slabs know. */
	objects: number;
};

export function sheafView(e: Engine, cache: number): SheafView | null {
	const sh = e.sheaves[cache] ?? null;
	if (sh === null) return null;
	return {
		capacity: sh.capacity,
		cpus: sh.pcs.map(p => ({main: p.main.size, spare: p.spare === null ? null : p.spare.size})),
		barnFull: sh.barn.full.length,
		barnEmpty: sh.barn.empty.length,
		maxFull: MAX_FULL_SHEAVES,
		objects: sheafObjects(sh),
	};
}
