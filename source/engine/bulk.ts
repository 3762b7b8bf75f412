// Bulk allocation and free (mm/slub.c): kmem_cache_alloc_bulk and
// kmem_cache_free_bulk with its detached freelists. Main entries: allocBulk(), freeBulk()
// (checked, for user commands) and freeBulkOwned() (for code that owns the objects).

import {NIL, PAGE_SHIFT} from './constants.js';
import {allocObject, slabAllocObject} from './alloc.js';
import {allocFromPcsBulk, freeToPcsBulk} from './sheaf.js';
import type {Engine} from './engine.js';
import {FreeStatus, freeChecked, freeSlow, isObjectFree, isObjectStart, kfreeOwned} from './free.js';
import {STAT_COUNT, Stat} from './stats.js';
import {traceFree} from './trace.js';

/**
 * kmem_cache_alloc_bulk(): `count` objects into out[0..count). A cache with sheaves takes what
 * its sheaves give first (alloc_from_pcs_bulk), the rest from the slabs. Fast-path pops while the CPU
 * freelist lasts, the slow path for one object when it runs dry. Returns count, or 0 after
 * giving back everything taken when memory runs out.
 */
export function allocBulk(e: Engine, cache: number, cpu: number, count: number, out: Int32Array): number {
	const sheaves = e.sheaves[cache];
	const fromSheaves = sheaves === null ? 0 : allocFromPcsBulk(e, cache, cpu, sheaves, count, out);
	for (let i = fromSheaves; i < count; i++) {
		const obj = sheaves === null ? allocObject(e, cache, cpu) : slabAllocObject(e, cache, cpu);
		if (obj === NIL) {
			if (sheaves !== null) slabFreeBulk(e, cache, cpu, out.slice(0, i), i);
			else for (let j = i - 1; j >= 0; j--) kfreeOwned(e, out[j], cpu);
			return 0;
		}
		out[i] = obj;
	}
	return count;
}

/**
 * kmem_cache_free_bulk() for a caller that owns every object in objs[0..count) (NIL entries
 * skipped). From the end of the array, build_detached_freelist() chains the objects of the last
 * object's slab, looking past at most 3 entries of other slabs, and frees the chain with one
 * fast-path push (FREE_FASTPATH += n) or one slow-path free; then repeats from the first entry
 * it skipped. Debug caches free one object at a time through SLUB's checks. The array is
 * consumed (entries set to NIL). Returns how many objects were freed.
 */
export function freeBulkOwned(e: Engine, cache: number, cpu: number, objs: Int32Array, count: number): number {
	const sheaves = e.sheaves[cache];
	if (sheaves === null) return slabFreeBulk(e, cache, cpu, objs, count);
	let n = 0;
	for (let i = 0; i < count; i++) if (objs[i] !== NIL) objs[n++] = objs[i];
	freeToPcsBulk(e, cache, cpu, sheaves, objs, n);
	objs.fill(NIL, 0, count);
	return n;
}

/**
 * __kmem_cache_free_bulk(): the slab layer's bulk free (detached freelists), bypassing sheaves.
 * Same contract as freeBulkOwned().
 */
export function slabFreeBulk(e: Engine, cache: number, cpu: number, objs: Int32Array, count: number): number {
	if (e.cacheIsDebug[cache]) {
		let freed = 0;
		for (let i = 0; i < count; i++) {
			if (objs[i] !== NIL && freeChecked(e, cache, objs[i], cpu) === FreeStatus.Ok) freed++;
			objs[i] = NIL;
		}
		return freed;
	}
	const {pgHead, mem32} = e;
	const offset = e.cacheOffset[cache];
	const idx = cache * e.cpus + cpu;
	let freed = 0;
	let size = count;
	while (size > 0) {
		const tail = objs[--size];
		if (tail === NIL) continue;
		const slab = pgHead[tail >> PAGE_SHIFT];
		let head = tail;
		let cnt = 1;
		objs[size] = NIL;
		let lookahead = 3;
		let firstSkipped = -1;
		let i = size;
		while (i > 0) {
			const obj = objs[--i];
			if (obj !== NIL && pgHead[obj >> PAGE_SHIFT] === slab) {
				mem32[(obj + offset) >> 2] = head;
				head = obj;
				cnt++;
				objs[i] = NIL;
				continue;
			}
			if (--lookahead === 0) break;
			if (firstSkipped < 0) firstSkipped = i + 1;
		}
		freed += cnt;
		if (slab === e.cpuState[idx * 2 + 1]) {
			mem32[(tail + offset) >> 2] = e.cpuState[idx * 2];
			e.cpuState[idx * 2] = head;
			e.stats[idx * STAT_COUNT + Stat.FreeFastpath] += cnt;
			if (e.trace !== null) traceFree(e, e.trace, cache, cpu, head, true, cnt);
		} else {
			e.cacheBulkFreeExtra[cache] += cnt - 1;
			freeSlow(e, cache, cpu, slab, head, tail, cnt);
			if (e.trace !== null) traceFree(e, e.trace, cache, cpu, head, false, cnt);
		}
		size = firstSkipped >= 0 ? firstSkipped : i;
	}
	return freed;
}

/**
 * kmem_cache_free_bulk() with the checks kmem_cache_free() makes, for user commands: every
 * entry that is not a live object of `cache` (outside slab pages, not an object start, already
 * free, or the same object twice in the array) goes alone through freeChecked(), which reports
 * and refuses it (or frees it to its real owner after the "Wrong slab cache" warning); the rest
 * are freed as freeBulkOwned() does. Returns how many objects were freed.
 */
export function freeBulk(e: Engine, cache: number, cpu: number, objs: Int32Array, count: number): number {
	let freed = 0;
	const seen = new Set<number>();
	for (let i = 0; i < count; i++) {
		const obj = objs[i];
		if (obj === NIL) continue;
		if (!isLiveObjectOf(e, cache, obj) || seen.has(obj)) {
			const status = freeChecked(e, cache, obj, cpu);
			if (status === FreeStatus.Ok || status === FreeStatus.WrongCache) freed++;
			objs[i] = NIL;
		} else {
			seen.add(obj);
		}
	}
	return freed + freeBulkOwned(e, cache, cpu, objs, count);
}

/** A currently allocated object of `cache`: in one of its slabs, at an object start, not free. */
function isLiveObjectOf(e: Engine, cache: number, obj: number): boolean {
	if (!Number.isInteger(obj) || obj < 0 || obj >= e.memoryBytes) return false;
	if (e.pgCache[obj >> PAGE_SHIFT] !== cache) return false;
	const slab = e.pgHead[obj >> PAGE_SHIFT];
	return isObjectStart(e, cache, slab, obj) && !isObjectFree(e, cache, slab, obj);
}
