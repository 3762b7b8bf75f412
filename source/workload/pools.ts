// The live objects the simulated machine's "users" hold, and when each is to be freed. Each
// object with a lifetime is an entry (object address, expiry tick, cache and CPU that will free
// it, allocation serial) in the list of one bucket of a timing wheel of WHEEL ticks (bucket =
// expiry tick mod WHEEL; lifetimes are whole ticks), in push order, in one Float64Array per
// bucket; objects that live until reclaimed are in a list of their cache's pool. Once per tick
// freeExpired() walks the tick's bucket, front to back, and frees the objects due: cache by
// cache in cache id order, each cache's objects by expiry tick then allocation, one
// kmem_cache_free() each on its freeing CPU, as the kernel's users free them. Pushing costs a
// few writes at the end of one list and freeing a sequential read, whatever the number of
// objects held (a binary heap per cache cost a walk of log2(held) entries, bound by memory on
// a busy machine). The workload's `free` action and drop_caches take objects out by other
// means (a random or oldest/newest pick, or all of them) from the list of a pool's entries in
// allocation order (poolEntries); only a `bulk` free hands them to kmem_cache_free_bulk,
// grouped by CPU.
// Main entries: createPools(), poolPush(), freeExpired(), poolEntries() and poolRemove().

import {freeBulkOwned, kfreeOwned, type Engine} from '../engine/index.js';

/** Expiry tick of objects that live until something reclaims them (in their pool's own list). */
export const NEVER = 0x7fffffff;

/** Ticks the wheel covers: a bucket's walk passes over an object living longer once each WHEEL ticks. */
const WHEEL = 8192;
const WHEEL_MASK = WHEEL - 1;

/** Numbers per list entry, and each one's place in it. */
const ENTRY = 4;
const OBJ = 0;
const EXPIRE = 1;
/** cache << CPU_BITS | freeing CPU. */
const OWNER = 2;
const SERIAL = 3;
const CPU_BITS = 8;
const CPU_MASK = (1 << CPU_BITS) - 1;

/** Expiry field of an entry poolRemove() took out, until its list is next walked or compacted. */
const REMOVED = -1;

/** A bucket list with room for this many entries or more is given back when it empties (a burst's objects all gone). */
const KEEP_ENTRIES = 4096;

/** An entry's place, from poolEntries: list × 2^32 + index (list WHEEL: the pool's own list). */
const LIST_UNIT = 2 ** 32;

const INITIAL = 64;

export type ObjectPool = {
	readonly cache: number;
	length: number; // objects held (the boot-time cache not counted)
	/** Entries that live until reclaimed (expiry NEVER), in allocation order, and how many. */
	never: Float64Array;
	neverLength: number;
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
	/** Per wheel bucket: its entries in push order (null: none yet), and how many. */
	buckets: Array<Float64Array | null>;
	bucketLength: Int32Array;
	/** The last tick freeExpired() has freed up to (-1: none yet). */
	drained: number;
	/** Some bucket holds an entry pushed already due (after later ones): the next walk sorts by expiry. */
	isLate: boolean;
	/** Scratch for freeExpired: the objects due (object, owner, expiry, serial), per cache a count, the caches. */
	dueObjs: Int32Array;
	dueOwners: Int32Array;
	dueExpire: Int32Array;
	dueSerial: Float64Array;
	cacheCount: Int32Array;
	dueCaches: number[];
	/** Scratch for freeExpired / removals: objects and their CPUs, reused every tick. */
	scratchObjs: Int32Array;
	scratchCpus: Uint8Array;
	bulk: Int32Array;
	cpuCount: Int32Array;
	/** Per cache id: objects freed one kmem_cache_free() at a time (for checks of the free counters). */
	freedSingly: number[];
};

export function createPools(cpus: number): Pools {
	return {
		byCache: [],
		serial: 0,
		buckets: Array.from({length: WHEEL}, () => null),
		bucketLength: new Int32Array(WHEEL),
		drained: -1,
		isLate: false,
		dueObjs: new Int32Array(INITIAL),
		dueOwners: new Int32Array(INITIAL),
		dueExpire: new Int32Array(INITIAL),
		dueSerial: new Float64Array(INITIAL),
		cacheCount: new Int32Array(INITIAL),
		dueCaches: [],
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
		pool = {cache, length: 0, never: new Float64Array(0), neverLength: 0, bootHeld: []};
		pools.byCache[cache] = pool;
		if (pools.cacheCount.length <= cache) {
			let size = pools.cacheCount.length;
			while (size <= cache) size *= 2;
			pools.cacheCount = new Int32Array(size);
		}
	}
	return pool;
}

/** Hold the objects `list` gives as boot-time cache of the pool's cache, freed only by drop_caches (freeAllHeld). */
export function poolHoldBoot(pool: ObjectPool, list: () => Int32Array): void {
	pool.bootHeld.push(list);
}

/** `list` with room for at least one more entry than its `length` entries. */
function roomFor(list: Float64Array | null, length: number): Float64Array {
	if (list !== null && (length + 1) * ENTRY <= list.length) return list;
	const grown = new Float64Array(Math.max(16, length * 2) * ENTRY);
	if (list !== null) grown.set(list.subarray(0, length * ENTRY));
	return grown;
}

/** Hold `obj` until tick `expire` (NEVER: until reclaimed), then free it on `freeCpu`. */
export function poolPush(pools: Pools, pool: ObjectPool, obj: number, expire: number, freeCpu: number): void {
	let list: Float64Array;
	let index: number;
	if (expire === NEVER) {
		index = pool.neverLength++;
		list = pool.never = roomFor(pool.never, index);
	} else {
		let due = expire;
		if (expire <= pools.drained) {
			// Already due: freed at the next walk, the bucket after the last one walked.
			due = pools.drained + 1;
			pools.isLate = true;
		}
		const bucket = due & WHEEL_MASK;
		index = pools.bucketLength[bucket]++;
		list = roomFor(pools.buckets[bucket], index);
		pools.buckets[bucket] = list;
	}
	const at = index * ENTRY;
	list[at + OBJ] = obj;
	list[at + EXPIRE] = expire;
	list[at + OWNER] = (pool.cache << CPU_BITS) | freeCpu;
	list[at + SERIAL] = pools.serial++;
	pool.length++;
}

/** The list and the number of the entry at `place` (from poolEntries). */
function listOf(pools: Pools, pool: ObjectPool, place: number): Float64Array {
	const list = Math.floor(place / LIST_UNIT);
	return list === WHEEL ? pool.never : (pools.buckets[list] as Float64Array);
}

function offsetOf(place: number): number {
	return (place % LIST_UNIT) * ENTRY;
}

/** The object address of the entry at `place` (from poolEntries). */
export function entryObject(pools: Pools, pool: ObjectPool, place: number): number {
	return listOf(pools, pool, place)[offsetOf(place) + OBJ];
}

/** The CPU that is to free the entry at `place`. */
export function entryFreeCpu(pools: Pools, pool: ObjectPool, place: number): number {
	return listOf(pools, pool, place)[offsetOf(place) + OWNER] & CPU_MASK;
}

/** Drop the pool's own list's removed entries, keeping the order of the others. */
function compactNever(pool: ObjectPool): void {
	const {never} = pool;
	let kept = 0;
	for (let at = 0, end = pool.neverLength * ENTRY; at < end; at += ENTRY) {
		if (never[at + EXPIRE] === REMOVED) continue;
		if (kept !== at) never.copyWithin(kept, at, at + ENTRY);
		kept += ENTRY;
	}
	pool.neverLength = kept / ENTRY;
}

/**
 * The places of the entries a pool holds (boot-time cache apart), in allocation order: valid
 * until the next poolPush or freeExpired (poolRemove leaves them valid).
 */
export function poolEntries(pools: Pools, pool: ObjectPool): Float64Array {
	compactNever(pool);
	const places = new Float64Array(pool.length);
	const serials = new Float64Array(pool.length);
	let n = 0;
	const add = (list: Float64Array, number: number, length: number): void => {
		for (let i = 0, at = 0; i < length; i++, at += ENTRY) {
			if (list[at + EXPIRE] === REMOVED || list[at + OWNER] >>> CPU_BITS !== pool.cache) continue;
			places[n] = number * LIST_UNIT + i;
			serials[n++] = list[at + SERIAL];
		}
	};
	add(pool.never, WHEEL, pool.neverLength);
	for (let bucket = 0; bucket < WHEEL && n < pool.length; bucket++) {
		const list = pools.buckets[bucket];
		if (list !== null) add(list, bucket, pools.bucketLength[bucket]);
	}
	const order = Array.from({length: n}, (_, i) => i).sort((a, b) => serials[a] - serials[b]);
	return Float64Array.from(order, i => places[i]);
}

/** Take the entry at `place` (from poolEntries) out of its pool; the caller frees its object. */
export function poolRemove(pools: Pools, pool: ObjectPool, place: number): void {
	listOf(pools, pool, place)[offsetOf(place) + EXPIRE] = REMOVED;
	pool.length--;
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

/** Free staged objects from..to-1 of `cache`, in staging order, one kmem_cache_free() each on its CPU. */
function freeSingly(e: Engine, pools: Pools, cache: number, from: number, to: number): void {
	const {scratchObjs, scratchCpus} = pools;
	for (let i = from; i < to; i++) kfreeOwned(e, scratchObjs[i], scratchCpus[i]);
	while (pools.freedSingly.length <= cache) pools.freedSingly.push(0);
	pools.freedSingly[cache] += to - from;
}

/**
 * Free the `n` staged objects of `cache`, in staging order: one kmem_cache_free() each on its
 * CPU, or with `isBulk` grouped by CPU (counting sort, CPU order, staging order kept within a
 * CPU), each group with one kmem_cache_free_bulk(). Returns objects freed.
 */
export function freeStaged(e: Engine, pools: Pools, cache: number, n: number, isBulk = false): number {
	if (n === 0) return 0;
	if (!isBulk) {
		freeSingly(e, pools, cache, 0, n);
		return n;
	}
	const {scratchObjs, scratchCpus, bulk, cpuCount} = pools;
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

/** Room for `n` objects due in the freeExpired scratch. */
function ensureDue(pools: Pools, n: number): void {
	if (pools.dueObjs.length >= n) return;
	let size = pools.dueObjs.length;
	while (size < n) size *= 2;
	const grow = <T extends Int32Array | Float64Array>(old: T, made: T): T => {
		made.set(old);
		return made;
	};
	pools.dueObjs = grow(pools.dueObjs, new Int32Array(size));
	pools.dueOwners = grow(pools.dueOwners, new Int32Array(size));
	pools.dueExpire = grow(pools.dueExpire, new Int32Array(size));
	pools.dueSerial = grow(pools.dueSerial, new Float64Array(size));
}

/**
 * Walk the bucket of tick t front to back: entries due by `tick` are appended to the due
 * scratch from index `n`, removed ones dropped, the others kept in order. Returns the new count.
 */
function walkBucket(pools: Pools, t: number, tick: number, n: number): number {
	const bucket = t & WHEEL_MASK;
	const length = pools.bucketLength[bucket];
	if (length === 0) return n;
	const list = pools.buckets[bucket] as Float64Array;
	ensureDue(pools, n + length);
	const {dueObjs, dueOwners, dueExpire, dueSerial} = pools;
	let kept = 0;
	for (let at = 0, end = length * ENTRY; at < end; at += ENTRY) {
		const expire = list[at + EXPIRE];
		if (expire <= tick) {
			if (expire === REMOVED) continue;
			dueObjs[n] = list[at + OBJ];
			dueOwners[n] = list[at + OWNER];
			dueExpire[n] = expire;
			dueSerial[n++] = list[at + SERIAL];
		} else {
			if (kept !== at) list.copyWithin(kept, at, at + ENTRY);
			kept += ENTRY;
		}
	}
	pools.bucketLength[bucket] = kept / ENTRY;
	if (kept === 0 && list.length >= KEEP_ENTRIES * ENTRY) pools.buckets[bucket] = null;
	return n;
}

/**
 * Free every held object whose expiry tick is ≤ tick, in every cache: cache by cache in cache
 * id order, each cache's objects by expiry tick, then allocation order.
 */
export function freeExpired(e: Engine, pools: Pools, tick: number): number {
	// The buckets from the one after the last walked to this tick's (all of them after a long jump).
	const first = pools.drained + 1;
	const last = tick > first ? Math.min(tick, first + WHEEL_MASK) : first;
	let n = 0;
	for (let t = first; t <= last; t++) n = walkBucket(pools, t, tick, n);
	// Due entries from one bucket are in push order, so in expiry order unless some were pushed
	// already due; from several buckets, in bucket order: sort them then.
	const isSorted = !pools.isLate && last === first;
	if (tick >= first) {
		pools.drained = tick;
		pools.isLate = false;
	}
	if (n === 0) return 0;
	const {dueObjs, dueOwners, cacheCount, dueCaches} = pools;
	const order = isSorted ? null : dueOrder(pools, n);
	// A counting sort by cache: each cache's objects at [its start, its end) of the scratch.
	for (let i = 0; i < n; i++) {
		const cache = dueOwners[i] >>> CPU_BITS;
		if (cacheCount[cache]++ === 0) dueCaches.push(cache);
	}
	if (dueCaches.length > 1) dueCaches.sort((a, b) => a - b);
	let start = 0;
	for (const cache of dueCaches) {
		const count = cacheCount[cache];
		cacheCount[cache] = start;
		start += count;
	}
	ensureScratch(pools, n);
	const {scratchObjs, scratchCpus} = pools;
	for (let k = 0; k < n; k++) {
		const i = order === null ? k : order[k];
		const owner = dueOwners[i];
		const at = cacheCount[owner >>> CPU_BITS]++;
		scratchObjs[at] = dueObjs[i];
		scratchCpus[at] = owner & CPU_MASK;
	}
	start = 0;
	for (const cache of dueCaches) {
		const end = cacheCount[cache];
		cacheCount[cache] = 0;
		(pools.byCache[cache] as ObjectPool).length -= end - start;
		freeSingly(e, pools, cache, start, end);
		start = end;
	}
	dueCaches.length = 0;
	return n;
}

/** The due scratch's first n entries in expiry order, then allocation order. */
function dueOrder(pools: Pools, n: number): Int32Array {
	const {dueExpire, dueSerial} = pools;
	return Int32Array.from({length: n}, (_, i) => i).sort(
		(a, b) => dueExpire[a] - dueExpire[b] || dueSerial[a] - dueSerial[b],
	);
}

/**
 * Free every object held for a cache, boot-time cache included (drop_caches, a cache being
 * given up): in allocation order, then the boot-time cache.
 */
export function freeAllHeld(e: Engine, pools: Pools, cache: number): number {
	const pool = pools.byCache[cache] ?? null;
	if (pool === null) return 0;
	const boot = pool.bootHeld.map(list => list());
	pool.bootHeld = [];
	const places = poolEntries(pools, pool);
	ensureScratch(pools, places.length + boot.reduce((sum, objs) => sum + objs.length, 0));
	let k = 0;
	for (const place of places) {
		stage(pools, k++, entryObject(pools, pool, place), entryFreeCpu(pools, pool, place));
		poolRemove(pools, pool, place);
	}
	for (const objs of boot) for (let i = 0; i < objs.length; i++) stage(pools, k++, objs[i], i % e.cpus);
	return freeStaged(e, pools, cache, k);
}
