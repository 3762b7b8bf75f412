// Bulk allocation and free (slub-model.md §14): kmem_cache_alloc_bulk and
// kmem_cache_free_bulk with its detached freelists. Main entries: allocBulk(), freeBulk().

import {NIL, PAGE_SHIFT} from './constants.js';
import {allocObject} from './alloc.js';
import type {Engine} from './engine.js';
import {FreeStatus, freeChecked, freeObject, freeSlow, isAllocated} from './free.js';
import {STAT_COUNT, Stat} from './stats.js';

/**
 * kmem_cache_alloc_bulk(): `count` objects into out[0..count). Fast-path pops while the CPU
 * freelist lasts, the slow path for one object when it runs dry. Returns count, or 0 after
 * giving back everything taken when memory runs out.
 */
export function allocBulk(e: Engine, cache: number, cpu: number, count: number, out: Int32Array): number {
	for (let i = 0; i < count; i++) {
		const obj = allocObject(e, cache, cpu);
		if (obj === NIL) {
			for (let j = i - 1; j >= 0; j--) freeObject(e, cache, cpu, out[j], e.pgHead[out[j] >> PAGE_SHIFT]);
			return 0;
		}
		out[i] = obj;
	}
	return count;
}

/**
 * kmem_cache_free_bulk(): objs[0..count) (NIL entries skipped). From the end of the array,
 * build_detached_freelist() chains the objects of the last object's slab, looking past at most
 * 3 objects of other slabs, and frees the chain with one fast-path push (FREE_FASTPATH += n)
 * or one slow-path free; then repeats. Every object is checked first as kmem_cache_free does:
 * bad ones are refused and reported, the others freed. Returns how many were freed.
 * The array is consumed (entries set to NIL).
 */
export function freeBulk(e: Engine, cache: number, cpu: number, objs: Int32Array, count: number): number {
	const {pgHead, mem32} = e;
	let freed = 0;
	// Check first, as kmem_cache_free would: debug caches and invalid entries go one by one
	// through the checked path (which reports and refuses bad ones) and leave the array.
	for (let i = 0; i < count; i++) {
		const obj = objs[i];
		if (obj === NIL) continue;
		if (e.cacheIsDebug[cache] || !isLiveObjectOf(e, cache, obj)) {
			const status = freeChecked(e, cache, obj, cpu);
			if (status === FreeStatus.Ok || status === FreeStatus.WrongCache) freed++;
			objs[i] = NIL;
		}
	}
	const offset = e.cacheOffset[cache];
	const idx = cache * e.cpus + cpu;
	let size = count;
	while (size > 0) {
		const tail = objs[--size];
		if (tail === NIL) continue; // already freed or refused
		if (!isAllocated(e, tail)) {
			freeChecked(e, cache, tail, cpu); // the same object twice in the array: reported, refused
			continue;
		}
		const slab = pgHead[tail >> PAGE_SHIFT];
		let head = tail;
		let cnt = 1;
		objs[size] = NIL;
		e.shadow[tail >> 6] &= ~(1 << ((tail >> 3) & 7));
		let lookahead = 3;
		let firstSkipped = -1;
		let i = size;
		while (i > 0) {
			const obj = objs[--i];
			if (obj !== NIL && pgHead[obj >> PAGE_SHIFT] === slab && isAllocated(e, obj)) {
				mem32[(obj + offset) >> 2] = head;
				head = obj;
				cnt++;
				objs[i] = NIL;
				e.shadow[obj >> 6] &= ~(1 << ((obj >> 3) & 7));
				continue;
			}
			if (--lookahead === 0) break;
			if (firstSkipped < 0) firstSkipped = i + 1;
		}
		if (slab !== e.cpuSlab[idx]) e.cacheBulkFreeExtra[cache] += cnt - 1;
		freed += cnt;
		if (slab === e.cpuSlab[idx]) {
			mem32[(tail + offset) >> 2] = e.cpuFreelist[idx];
			e.cpuFreelist[idx] = head;
			e.stats[idx * STAT_COUNT + Stat.FreeFastpath] += cnt;
		} else {
			freeSlow(e, cache, cpu, slab, head, tail, cnt);
		}
		size = firstSkipped >= 0 ? firstSkipped : i;
	}
	return freed;
}

/** A currently allocated object of `cache` (at an object start, allocated bit set). */
function isLiveObjectOf(e: Engine, cache: number, obj: number): boolean {
	if (!Number.isInteger(obj) || obj < 0 || obj >= e.memoryBytes) return false;
	if (e.pgCache[obj >> PAGE_SHIFT] !== cache) return false;
	const slab = e.pgHead[obj >> PAGE_SHIFT];
	const rel = obj - (slab << PAGE_SHIFT) - e.cacheRedLeftPad[cache];
	return rel >= 0 && rel % e.cacheSize[cache] === 0 && (e.shadow[obj >> 6] & (1 << ((obj >> 3) & 7))) !== 0;
}
