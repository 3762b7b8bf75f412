// kmem_cache_shrink (mm/slub.c __kmem_cache_do_shrink): flush every CPU (sheaves first), empty the barn (barn_shrink), release every empty node partial slab
// (min_partial ignored, no counter bumped) and sort the rest so the fullest come first.
// Main entry: shrinkCache().

import {NIL, SHRINK_PROMOTE_MAX} from './constants.js';
import type {Engine} from './engine.js';
import {addPartial, discardSlab, flushAll, removePartial} from './slab.js';
import {traceShrink} from './trace.js';
import {barnShrink} from './sheaf.js';

export type ShrinkResult = {
	/** Slabs returned to the page allocator by this shrink (including the flush). */
	slabsFreed: number;
	pagesFreed: number;
	/** 0 when the cache holds no slabs afterwards, as __kmem_cache_shrink returns. */
	ret: 0 | 1;
};

/**
 * __kmem_cache_do_shrink(): after flush_all, walk the node partial list: empty slabs are
 * discarded; slabs with 1..32 free objects go to bucket[free] (each collecting in reverse
 * encounter order); the rest stay. Buckets 32..1 are then spliced to the list head, so the list
 * reads: free=1 slabs, free=2, …, free=32, then the others in their old order.
 */
export function shrinkCache(e: Engine, cache: number): ShrinkResult {
	const slabsBefore = e.cacheNrSlabs[cache];
	const pagesBefore = e.nrFreePages;
	// The sheaves' flushes free through the slab layer: their steps belong to the shrink's record.
	if (e.trace !== null) e.trace.depth++;
	flushAll(e, cache);
	const sheaves = e.sheaves[cache];
	if (sheaves !== null) barnShrink(e, cache, 0, sheaves);
	if (e.trace !== null) e.trace.depth--;
	const {pgNext, pgInuse, pgObjects} = e;
	const bucketHead = new Int32Array(SHRINK_PROMOTE_MAX + 1).fill(NIL);
	const rest: number[] = [];
	let slab = e.cachePartialHead[cache];
	while (slab !== NIL) {
		const next = pgNext[slab];
		const free = pgObjects[slab] - pgInuse[slab];
		removePartial(e, cache, slab);
		if (free === pgObjects[slab]) {
			discardSlab(e, cache, slab);
		} else if (free <= SHRINK_PROMOTE_MAX) {
			pgNext[slab] = bucketHead[free]; // list_move(): head insertion = reverse order
			bucketHead[free] = slab;
		} else {
			rest.push(slab);
		}
		slab = next;
	}
	// Rebuild without counters: the others in order, then buckets 32..1 spliced to the head.
	for (const s of rest) addPartial(e, cache, s, true);
	for (let free = SHRINK_PROMOTE_MAX; free >= 1; free--) {
		const chain: number[] = [];
		for (let s = bucketHead[free]; s !== NIL; s = pgNext[s]) chain.push(s);
		for (let i = chain.length - 1; i >= 0; i--) addPartial(e, cache, chain[i], false);
	}
	if (e.trace !== null) traceShrink(e, e.trace, cache, slabsBefore - e.cacheNrSlabs[cache]);
	return {
		slabsFreed: slabsBefore - e.cacheNrSlabs[cache],
		pagesFreed: e.nrFreePages - pagesBefore,
		ret: e.cacheNrSlabs[cache] === 0 ? 0 : 1,
	};
}
