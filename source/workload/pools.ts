// The live objects the simulated machine's "users" hold, and when each is to be freed. Every
// held object is an entry of one store (object address, expiry tick, cache, CPU that will free
// it, allocation serial) in typed arrays; each object with a lifetime is also on the list of
// one bucket of a timing wheel of WHEEL ticks (bucket = expiry tick mod WHEEL; lifetimes are
// whole ticks). Once per tick freeExpired() takes the current bucket's due entries and frees
// them, cache by cache in cache id order, each cache's objects in order of expiry tick then
// allocation, one kmem_cache_free() each on its freeing CPU, as the kernel's users free them.
// Pushing and freeing cost a few array writes, whatever the number of objects held (a binary
// heap per cache cost a walk of log2(held) entries, bound by memory on a busy machine).
// The workload's `free` action and drop_caches take objects out by other means (a random or
// oldest/newest pick, or all of them), in allocation order (poolEntries); only a `bulk` free
// hands them to kmem_cache_free_bulk, grouped by CPU.
// Main entries: createPools(), poolPush(), freeExpired(), poolEntries() and poolRemove().

import {freeBulkOwned, kfreeOwned, type Engine} from '../engine/index.js';

/** Expiry tick of objects that live until something reclaims them (on no bucket list). */
export const NEVER = 0x7fffffff;

/** Ticks the wheel covers: an object living longer is passed over by a bucket's walk once each WHEEL ticks. */
const WHEEL = 8192;
const WHEEL_MASK = WHEEL - 1;

/** Entry i of the store: I32 numbers at [i * ENTRY, (i + 1) * ENTRY). */
const ENTRY = 4;
const OBJ = 0;
const EXPIRE = 1;
/** Next entry on its bucket list (or on the free list, or in a batch being freed); -1: none. */
const NEXT = 2;
/** cache << CPU_BITS | freeing CPU. */
const OWNER = 3;
const CPU_BITS = 8;
const CPU_MASK = (1 << CPU_BITS) - 1;

/** Expiry field of an entry taken out by poolRemove() but still on its bucket list (the walk frees it). */
const REMOVED = -2;
/** Expiry field of an unused entry. */
const UNUSED = -3;

export type ObjectPool = {
	readonly cache: number;
	length: number; // live objects held (the boot-time cache not counted)
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
	/** The entries (see ENTRY), their allocation serials, the first unused one and how many were ever used. */
	store: Int32Array;
	serials: Float64Array;
	freeEntry: number;
	used: number;
	/** Per wheel bucket: the newest entry on its list (each entry's NEXT is the one pushed before it); -1: empty. */
	wheel: Int32Array;
	/** The last tick freeExpired() has freed up to (-1: none yet). */
	drained: number;
	/** Scratch for freeExpired: entries due (in push order), per cache the first and last of its batch, caches seen. */
	due: Int32Array;
	batchHead: Int32Array;
	batchTail: Int32Array;
	dueCaches: number[];
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
	const pools: Pools = {
		byCache: [],
		serial: 0,
		store: new Int32Array(0),
		serials: new Float64Array(0),
		freeEntry: -1,
		used: 0,
		wheel: new Int32Array(WHEEL).fill(-1),
		drained: -1,
		due: new Int32Array(INITIAL),
		batchHead: new Int32Array(INITIAL).fill(-1),
		batchTail: new Int32Array(INITIAL),
		dueCaches: [],
		scratchObjs: new Int32Array(INITIAL),
		scratchCpus: new Uint8Array(INITIAL),
		bulk: new Int32Array(INITIAL),
		cpuCount: new Int32Array(cpus + 1),
		freedSingly: [],
	};
	growStore(pools);
	return pools;
}

export function poolOf(pools: Pools, cache: number): ObjectPool {
	let pool = pools.byCache[cache] ?? null;
	if (pool === null) {
		while (pools.byCache.length <= cache) pools.byCache.push(null);
		pool = {cache, length: 0, bootHeld: []};
		pools.byCache[cache] = pool;
		if (pools.batchHead.length <= cache) {
			let size = pools.batchHead.length;
			while (size <= cache) size *= 2;
			pools.batchHead = new Int32Array(size).fill(-1);
			pools.batchTail = new Int32Array(size);
		}
	}
	return pool;
}

/** Hold the objects `list` gives as boot-time cache of the pool's cache, freed only by drop_caches (freeAllHeld). */
export function poolHoldBoot(pool: ObjectPool, list: () => Int32Array): void {
	pool.bootHeld.push(list);
}

/** Double the store; the new entries go on the free list, lowest first. */
function growStore(pools: Pools): void {
	const old = pools.serials.length;
	const size = old === 0 ? INITIAL : old * 2;
	const store = new Int32Array(size * ENTRY);
	store.set(pools.store);
	const serials = new Float64Array(size);
	serials.set(pools.serials);
	for (let i = size - 1; i >= old; i--) {
		store[i * ENTRY + EXPIRE] = UNUSED;
		store[i * ENTRY + NEXT] = pools.freeEntry;
		pools.freeEntry = i;
	}
	pools.store = store;
	pools.serials = serials;
}

function releaseEntry(pools: Pools, entry: number): void {
	const at = entry * ENTRY;
	pools.store[at + EXPIRE] = UNUSED;
	pools.store[at + NEXT] = pools.freeEntry;
	pools.freeEntry = entry;
}

/** Hold `obj` until tick `expire` (NEVER: until reclaimed), then free it on `freeCpu`. */
export function poolPush(pools: Pools, pool: ObjectPool, obj: number, expire: number, freeCpu: number): void {
	if (pools.freeEntry < 0) growStore(pools);
	const entry = pools.freeEntry;
	const {store} = pools;
	const at = entry * ENTRY;
	pools.freeEntry = store[at + NEXT];
	if (entry >= pools.used) pools.used = entry + 1;
	store[at + OBJ] = obj;
	store[at + EXPIRE] = expire;
	store[at + OWNER] = (pool.cache << CPU_BITS) | freeCpu;
	pools.serials[entry] = pools.serial++;
	pool.length++;
	if (expire === NEVER) {
		store[at + NEXT] = -1;
		return;
	}
	// An expiry already passed is due at the next walk (the bucket after the last one walked).
	const bucket = (expire > pools.drained ? expire : pools.drained + 1) & WHEEL_MASK;
	store[at + NEXT] = pools.wheel[bucket];
	pools.wheel[bucket] = entry;
}

/** The object address of entry `entry` (from poolEntries). */
export function entryObject(pools: Pools, entry: number): number {
	return pools.store[entry * ENTRY + OBJ];
}

/** The CPU that is to free entry `entry`. */
export function entryFreeCpu(pools: Pools, entry: number): number {
	return pools.store[entry * ENTRY + OWNER] & CPU_MASK;
}

/** The entries a pool holds (boot-time cache apart), in allocation order. */
export function poolEntries(pools: Pools, pool: ObjectPool): Int32Array {
	const out = new Int32Array(pool.length);
	if (pool.length === 0) return out;
	const {store, serials} = pools;
	let n = 0;
	for (let entry = 0; entry < pools.used; entry++) {
		const at = entry * ENTRY;
		if (store[at + EXPIRE] >= 0 && store[at + OWNER] >>> CPU_BITS === pool.cache) out[n++] = entry;
	}
	return out.sort((a, b) => serials[a] - serials[b]);
}

/** Take entry `entry` (from poolEntries) out of its pool; the caller frees its object. */
export function poolRemove(pools: Pools, pool: ObjectPool, entry: number): void {
	const at = entry * ENTRY;
	pool.length--;
	if (pools.store[at + EXPIRE] === NEVER) releaseEntry(pools, entry);
	else pools.store[at + EXPIRE] = REMOVED; // its bucket's walk gives the entry back
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

/**
 * Walk the bucket of tick t: entries due by `tick` go to pools.due (in push order, from index
 * `n`), entries removed are given back, the others stay in order. Returns the new count of due.
 */
function walkBucket(pools: Pools, t: number, tick: number, n: number): number {
	const {store, wheel} = pools;
	const bucket = t & WHEEL_MASK;
	let entry = wheel[bucket];
	if (entry < 0) return n;
	// The list runs newest first: due entries are gathered in that order, then reversed.
	const from = n;
	let keptHead = -1;
	let keptTail = -1;
	while (entry >= 0) {
		const at = entry * ENTRY;
		const next = store[at + NEXT];
		const expire = store[at + EXPIRE];
		if (expire === REMOVED) {
			releaseEntry(pools, entry);
		} else if (expire <= tick) {
			if (n === pools.due.length) {
				const due = new Int32Array(n * 2);
				due.set(pools.due);
				pools.due = due;
			}
			pools.due[n++] = entry;
		} else {
			if (keptTail < 0) keptHead = entry;
			else store[keptTail * ENTRY + NEXT] = entry;
			keptTail = entry;
		}
		entry = next;
	}
	if (keptTail >= 0) store[keptTail * ENTRY + NEXT] = -1;
	wheel[bucket] = keptHead;
	pools.due.subarray(from, n).reverse();
	return n;
}

/**
 * Free every held object whose expiry tick is ≤ tick, in every cache: cache by cache in cache
 * id order, each cache's objects by expiry tick, then allocation order.
 */
export function freeExpired(e: Engine, pools: Pools, tick: number): number {
	// Buckets from the one after the last walked to this tick's (all of them after a long jump).
	const first = pools.drained + 1;
	const last = tick > first ? Math.min(tick, first + WHEEL_MASK) : first;
	let n = 0;
	for (let t = first; t <= last; t++) n = walkBucket(pools, t, tick, n);
	if (tick > pools.drained) pools.drained = tick;
	if (n === 0) return 0;
	// One batch per cache, in push order, linked through NEXT.
	const {store, due, batchHead, batchTail, dueCaches} = pools;
	for (let i = 0; i < n; i++) {
		const entry = due[i];
		const at = entry * ENTRY;
		const cache = store[at + OWNER] >>> CPU_BITS;
		store[at + NEXT] = -1;
		if (batchHead[cache] < 0) {
			batchHead[cache] = entry;
			dueCaches.push(cache);
		} else {
			store[batchTail[cache] * ENTRY + NEXT] = entry;
		}
		batchTail[cache] = entry;
	}
	if (dueCaches.length > 1) dueCaches.sort((a, b) => a - b);
	ensureScratch(pools, n);
	let freed = 0;
	for (const cache of dueCaches) {
		let k = 0;
		let inOrder = true;
		let lastExpire = -1;
		for (let entry = batchHead[cache]; entry >= 0;) {
			const at = entry * ENTRY;
			const expire = store[at + EXPIRE];
			if (expire < lastExpire) inOrder = false;
			lastExpire = expire;
			due[k++] = entry;
			entry = store[at + NEXT];
		}
		batchHead[cache] = -1;
		// Objects due from several ticks (a jump of the clock, or one pushed already due) come
		// from several buckets: put them in expiry order (serials keep push order within a tick).
		if (!inOrder) {
			const {serials} = pools;
			const byExpiry = Array.from(due.subarray(0, k)).sort(
				(a, b) => store[a * ENTRY + EXPIRE] - store[b * ENTRY + EXPIRE] || serials[a] - serials[b],
			);
			due.set(byExpiry);
		}
		for (let i = 0; i < k; i++) {
			const entry = due[i];
			const at = entry * ENTRY;
			stage(pools, i, store[at + OBJ], store[at + OWNER] & CPU_MASK);
			releaseEntry(pools, entry);
		}
		(pools.byCache[cache] as ObjectPool).length -= k;
		freed += freeStaged(e, pools, cache, k);
	}
	dueCaches.length = 0;
	return freed;
}

/** Free every object held for a cache, boot-time cache included (drop_caches, a cache being given up): in allocation order, then the boot-time cache. */
export function freeAllHeld(e: Engine, pools: Pools, cache: number): number {
	const pool = pools.byCache[cache] ?? null;
	if (pool === null) return 0;
	const boot = pool.bootHeld.map(list => list());
	pool.bootHeld = [];
	const entries = poolEntries(pools, pool);
	ensureScratch(pools, entries.length + boot.reduce((sum, objs) => sum + objs.length, 0));
	let k = 0;
	for (const entry of entries) {
		stage(pools, k++, entryObject(pools, entry), entryFreeCpu(pools, entry));
		poolRemove(pools, pool, entry);
	}
	for (const objs of boot) for (let i = 0; i < objs.length; i++) stage(pools, k++, objs[i], i % e.cpus);
	return freeStaged(e, pools, cache, k);
}
