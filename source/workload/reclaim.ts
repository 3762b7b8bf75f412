// Reclaim as `echo 2 > /proc/sys/vm/drop_caches` does it: the dentry and inode caches (and
// every other cache whose objects are reclaimable: SLAB_RECLAIM_ACCOUNT) give back the objects
// the machine holds only as cache (the pools' objects: the boot preload's reclaimable share
// and whatever workloads allocated there), then each such cache is shrunk so its empty slabs
// return to the page allocator. Objects pinned by the boot preload, the command bar or the
// demo module are in use and stay. Main entry: dropCaches().

import {SLAB_RECLAIM_ACCOUNT, shrinkCache, type Engine} from '../engine/index.js';
import {freeAllHeld, type Pools} from './pools.js';

/** Caches drop_caches reclaims: RECLAIM_ACCOUNT ones, plus dentry and the inode caches by name. */
export function isReclaimable(e: Engine, cache: number): boolean {
	const c = e.caches[cache];
	if (!c.isAlive) return false;
	if (e.cacheFlags[cache] & SLAB_RECLAIM_ACCOUNT) return true;
	return c.name === 'dentry' || c.name === 'inode_cache' || c.name.endsWith('_inode_cache');
}

export type DropResult = {caches: number; objectsFreed: number; slabsFreed: number; pagesFreed: number};

export function dropCaches(e: Engine, pools: Pools): DropResult {
	const result: DropResult = {caches: 0, objectsFreed: 0, slabsFreed: 0, pagesFreed: 0};
	for (const id of [...e.cacheOrderList]) {
		if (!isReclaimable(e, id)) continue;
		result.caches++;
		result.objectsFreed += freeAllHeld(e, pools, id);
		const shrunk = shrinkCache(e, id);
		result.slabsFreed += shrunk.slabsFreed;
		result.pagesFreed += shrunk.pagesFreed;
	}
	return result;
}
