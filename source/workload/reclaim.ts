// Reclaim as `echo 2 > /proc/sys/vm/drop_caches` does it: every cache whose objects are
// reclaimable (SLAB_RECLAIM_ACCOUNT: dentry, the filesystem inode caches, …) gives back the
// objects the machine holds only as cache (the pools' objects: the boot preload's reclaimable
// share and whatever workloads allocated there), then each such cache is shrunk so its empty
// slabs return to the page allocator. Objects pinned by the boot preload, the command bar or
// the demo module are in use and stay. Also `shrink all` (kmem_cache_shrink of every cache), for
// the command bar and the workload's shrink action. Main entries: dropCaches(), shrinkAll().

import {SLAB_RECLAIM_ACCOUNT, shrinkCache, type Engine} from '../engine/index.js';
import {freeAllHeld, type Pools} from './pools.js';

/**
 * Caches drop_caches reclaims: those created with SLAB_RECLAIM_ACCOUNT, as the kernel's
 * shrinkers reclaim only dentries and inodes of such caches (shmem_inode_cache has no flag:
 * shmem inodes are not reclaimable).
 */
export function isReclaimable(e: Engine, cache: number): boolean {
	return (e.cacheFlags[cache] & SLAB_RECLAIM_ACCOUNT) !== 0;
}

export type DropResult = {caches: number; objectsFreed: number; slabsFreed: number; pagesFreed: number};

/**
 * Slabs and pages released count everything given back: the slabs the frees themselves
 * discarded (beyond min_partial) as well as those the shrink released.
 */
export function dropCaches(e: Engine, pools: Pools): DropResult {
	const result: DropResult = {caches: 0, objectsFreed: 0, slabsFreed: 0, pagesFreed: 0};
	const freePagesBefore = e.nrFreePages;
	for (const id of [...e.cacheOrderList]) {
		if (!isReclaimable(e, id)) continue;
		const slabsBefore = e.cacheNrSlabs[id];
		result.caches++;
		result.objectsFreed += freeAllHeld(e, pools, id);
		shrinkCache(e, id);
		result.slabsFreed += slabsBefore - e.cacheNrSlabs[id];
	}
	result.pagesFreed = e.nrFreePages - freePagesBefore;
	return result;
}

/** The one line that reports a drop_caches. */
export function dropCachesMessage(r: DropResult): string {
	return `drop_caches: ${r.objectsFreed} objects freed in ${r.caches} reclaimable caches, ${r.slabsFreed} slabs (${r.pagesFreed} pages) released`;
}

export type ShrinkAllResult = {caches: number; slabsFreed: number; pagesFreed: number};

/** kmem_cache_shrink of every live cache. */
export function shrinkAll(e: Engine): ShrinkAllResult {
	const result: ShrinkAllResult = {caches: 0, slabsFreed: 0, pagesFreed: 0};
	for (const id of [...e.cacheOrderList]) {
		const shrunk = shrinkCache(e, id);
		result.caches++;
		result.slabsFreed += shrunk.slabsFreed;
		result.pagesFreed += shrunk.pagesFreed;
	}
	return result;
}
