// The live objects the simulated machine's "users" hold: per cache, a binary min-heap of
// objects ordered by the tick at which they are to be freed, in struct-of-arrays typed arrays
// (object address, expiry tick, CPU that will free it, allocation serial). The workload
// generator and the boot push into it; freeExpired() frees, once per tick, every object whose
// lifetime has ended, one kmem_cache_free() each on its freeing CPU, as the kernel's users free
// them; the workload's `free` action takes objects out of the middle (removeAt), and only a
// `bulk` free hands them to kmem_cache_free_bulk, grouped by CPU.
// Main entries: createPools(), poolPush(), freeExpired(), removeAt().

import {freeBulkOwned, kfreeOwned, type Engine} from '../engine/index.js';

/** Expiry tick of objects that live until something reclaims them. */
export const NEVER = 0x7fffffff;

export type ObjectPool = {
	readonly cache: number;
	length: number; // live objects held
	objs: Int32Array; // object address
	expire: Int32Array; // tick at which it is freed (NEVER: not by time)
	freeCpu: Uint8Array; // CPU that frees it
	serial: Float64Array; // allocation order, for "oldest"/"newest" picks
	/**
	 * Objects the machine held as cache when it booted (a reclaimable cache's unused dentries,
	 * inodes …): no lifetime, freed only by drop_caches. Listed when first needed: each entry
	 * gives its objects.
	 */
	bootHeld: Array<() => Int32Array>;
};

export type Pools = {
	byCache: Array<ObjectPool | null>; // indexed by cache id
	serial: number;
	/** Scratch for freeExpired / removals: objects and their CPUs, reused every tick. */
	scratchObjs: Int32Array;
	scratchCpus: Uint8Array;
	bulk: Int32Array;
	cpuCount: Int32Array;
	/** Per cache id: objects freed one kmem_cache_free() at a time (for checks of the free counters). */
	freedSingly: number[];
};

const INITIAL = 64;

export function createPools(cpus: number): Pools {
	return {
		byCache: [],
		serial: 0,
		scratchObjs: new Int32Array(INITIAL),
		scratchCpus: new Uint8Array(INITIAL),
		bulk: new Int32Array(INITIAL),
		cpuCount: new Int32Array(cpus + 1),
		freedSingly: [],
	};
}

export function poolOf(pools: Pools, cache: number): ObjectPool {
	let pool = pools.byCache[cache] ?? null;
	if (pool === null) {
		while (pools.byCache.length <= cache) pools.byCache.push(null);
		pool = {
			cache,
			length: 0,
			objs: new Int32Array(INITIAL),
			expire: new Int32Array(INITIAL),
			freeCpu: new Uint8Array(INITIAL),
			serial: new Float64Array(INITIAL),
			bootHeld: [],
		};
		pools.byCache[cache] = pool;
	}
	return pool;
}

/** Hold the objects `list` gives as boot-time cache of the pool's cache, freed only by drop_caches (freeAllHeld). */
export function poolHoldBoot(pool: ObjectPool, list: () => Int32Array): void {
	pool.bootHeld.push(list);
}

function grow(pool: ObjectPool): void {
	const n = pool.objs.length * 2;
	const objs = new Int32Array(n);
	objs.set(pool.objs);
	const expire = new Int32Array(n);
	expire.set(pool.expire);
	const freeCpu = new Uint8Array(n);
	freeCpu.set(pool.freeCpu);
	const serial = new Float64Array(n);
	serial.set(pool.serial);
	pool.objs = objs;
	pool.expire = expire;
	pool.freeCpu = freeCpu;
	pool.serial = serial;
}

// The sifts move a hole rather than swapping entries: the entry being placed is read once and
// written once, and each entry it passes moves one step; the resulting layout is the one a
// swap at every step gives (removeAt's random picks index into it, so it must not change).

/** Move entry `i` up while it is before its parent (earlier expiry, then earlier allocation). */
function siftUp(pool: ObjectPool, i: number): void {
	const {objs, expire, freeCpu, serial} = pool;
	const o = objs[i];
	const x = expire[i];
	const c = freeCpu[i];
	const s = serial[i];
	while (i > 0) {
		const parent = (i - 1) >> 1;
		const pe = expire[parent];
		if (!(x < pe || (x === pe && s < serial[parent]))) break;
		objs[i] = objs[parent];
		expire[i] = pe;
		freeCpu[i] = freeCpu[parent];
		serial[i] = serial[parent];
		i = parent;
	}
	objs[i] = o;
	expire[i] = x;
	freeCpu[i] = c;
	serial[i] = s;
}

/** Move entry `i` down while a child is before it, taking the earlier child's place. */
function siftDown(pool: ObjectPool, i: number): void {
	const n = pool.length;
	const {objs, expire, freeCpu, serial} = pool;
	const o = objs[i];
	const x = expire[i];
	const c = freeCpu[i];
	const s = serial[i];
	for (;;) {
		const l = 2 * i + 1;
		if (l >= n) break;
		const r = l + 1;
		let child = l;
		let ce = expire[l];
		if (r < n) {
			const re = expire[r];
			if (re < ce || (re === ce && serial[r] < serial[l])) {
				child = r;
				ce = re;
			}
		}
		if (!(ce < x || (ce === x && serial[child] < s))) break;
		objs[i] = objs[child];
		expire[i] = ce;
		freeCpu[i] = freeCpu[child];
		serial[i] = serial[child];
		i = child;
	}
	objs[i] = o;
	expire[i] = x;
	freeCpu[i] = c;
	serial[i] = s;
}

/** Hold `obj` until tick `expire`, then free it on `freeCpu`. */
export function poolPush(pools: Pools, pool: ObjectPool, obj: number, expire: number, freeCpu: number): void {
	if (pool.length === pool.objs.length) grow(pool);
	const i = pool.length++;
	pool.objs[i] = obj;
	pool.expire[i] = expire;
	pool.freeCpu[i] = freeCpu;
	pool.serial[i] = pools.serial++;
	siftUp(pool, i);
}

/**
 * Take the entry at heap index i out of the pool: the last entry moves into slot i and the
 * heap order is restored. Callers read what they need of entry i first.
 */
export function removeAt(pool: ObjectPool, i: number): void {
	const last = --pool.length;
	if (i === last) return;
	const {objs, expire, freeCpu, serial} = pool;
	objs[i] = objs[last];
	expire[i] = expire[last];
	freeCpu[i] = freeCpu[last];
	serial[i] = serial[last];
	siftDown(pool, i);
	siftUp(pool, i);
}

/** Room for a batch of `n` frees in the scratch arrays: call once before staging the batch. */
export function ensureScratch(pools: Pools, n: number): void {
	if (pools.scratchObjs.length >= n) return;
	let size = pools.scratchObjs.length;
	while (size < n) size *= 2;
	pools.scratchObjs = new Int32Array(size);
	pools.scratchCpus = new Uint8Array(size);
	pools.bulk = new Int32Array(size);
}

/** Add one object to the pending batch of frees (index `n` of the scratch arrays; see ensureScratch). */
export function stage(pools: Pools, n: number, obj: number, cpu: number): void {
	pools.scratchObjs[n] = obj;
	pools.scratchCpus[n] = cpu;
}

/**
 * Free the `n` staged objects of `cache`, in staging order: one kmem_cache_free() each on its
 * CPU, or with `isBulk` grouped by CPU (counting sort, CPU order, staging order kept within a
 * CPU), each group with one kmem_cache_free_bulk(). Returns objects freed.
 */
export function freeStaged(e: Engine, pools: Pools, cache: number, n: number, isBulk = false): number {
	if (n === 0) return 0;
	const {scratchObjs, scratchCpus} = pools;
	if (!isBulk) {
		for (let i = 0; i < n; i++) kfreeOwned(e, scratchObjs[i], scratchCpus[i]);
		while (pools.freedSingly.length <= cache) pools.freedSingly.push(0);
		pools.freedSingly[cache] += n;
		return n;
	}
	const {bulk, cpuCount} = pools;
	cpuCount.fill(0);
	for (let i = 0; i < n; i++) cpuCount[scratchCpus[i] + 1]++;
	for (let c = 1; c <= e.cpus; c++) cpuCount[c] += cpuCount[c - 1];
	for (let i = 0; i < n; i++) bulk[cpuCount[scratchCpus[i]]++] = scratchObjs[i];
	// cpuCount[c] is now the end of CPU c's group.
	let freed = 0;
	let start = 0;
	for (let c = 0; c < e.cpus; c++) {
		const end = cpuCount[c];
		if (end > start) {
			const group = start === 0 ? bulk : bulk.subarray(start, end);
			freed += freeBulkOwned(e, cache, c, group, end - start);
		}
		start = end;
	}
	return freed;
}

/** Free every held object whose expiry tick is ≤ tick, in every cache. */
export function freeExpired(e: Engine, pools: Pools, tick: number): number {
	let freed = 0;
	for (const pool of pools.byCache) {
		if (pool === null || pool.length === 0 || pool.expire[0] > tick) continue;
		ensureScratch(pools, pool.length);
		let n = 0;
		while (pool.length > 0 && pool.expire[0] <= tick) {
			stage(pools, n++, pool.objs[0], pool.freeCpu[0]);
			removeAt(pool, 0);
		}
		freed += freeStaged(e, pools, pool.cache, n);
	}
	return freed;
}

/** Free every object held for a cache, boot-time cache included (drop_caches, a cache being given up). */
export function freeAllHeld(e: Engine, pools: Pools, cache: number): number {
	const pool = pools.byCache[cache] ?? null;
	if (pool === null) return 0;
	const boot = pool.bootHeld.map(list => list());
	pool.bootHeld = [];
	ensureScratch(pools, pool.length + boot.reduce((sum, objs) => sum + objs.length, 0));
	let k = 0;
	for (let i = 0; i < pool.length; i++) stage(pools, k++, pool.objs[i], pool.freeCpu[i]);
	for (const objs of boot) for (let i = 0; i < objs.length; i++) stage(pools, k++, objs[i], i % e.cpus);
	pool.length = 0;
	return freeStaged(e, pools, cache, k);
}

/** Restore heap order after expiry ticks were changed in place (Floyd's heap construction). */
export function heapify(pool: ObjectPool): void {
	for (let i = (pool.length >> 1) - 1; i >= 0; i--) siftDown(pool, i);
}
