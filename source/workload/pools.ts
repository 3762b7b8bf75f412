// The live objects the simulated machine's "users" hold, and when each is to be freed. Each
// object with a lifetime is an entry (object address, expiry tick, cache and CPU that will free
// it, allocation serial) on the list of one bucket of a timing wheel of WHEEL ticks (bucket =
// expiry tick mod WHEEL; lifetimes are whole ticks), in push order; objects that live until
// reclaimed are on a list of their cache's own. A list is a chain of chunks of CHUNK entries,
// all in one Float64Array. Once per tick freeExpired() walks the tick's bucket, front to back,
// and frees the objects due: cache by cache in cache id order, each cache's objects by expiry
// tick then allocation, one kmem_cache_free() each on its freeing CPU, as the kernel's users
// free them. Pushing costs a few writes at the end of one list and freeing a sequential read,
// whatever the number of objects held (a binary heap per cache cost a walk of log2(held)
// entries, bound by memory on a busy machine). The workload's `free` action and drop_caches
// take objects out by other means (a random or oldest/newest pick, or all of them) from the
// list of a pool's entries in allocation order (poolEntries); only a `bulk` free hands them to
// kmem_cache_free_bulk, grouped by CPU.
// Main entries: createPools(), poolPush(), freeExpired(), poolEntries() and poolRemove().

import {freeBulkOwned, kfreeOwned, type Engine} from '../engine/index.js';

/** Expiry tick of objects that live until something reclaims them (on their cache's own list). */
export const NEVER = 0x7fffffff;

/** Ticks the wheel covers: a bucket's walk passes over an object living longer once each WHEEL ticks. */
export const WHEEL = 8192;
const WHEEL_MASK = WHEEL - 1;

/** Numbers per entry, and each one's place in it. */
const ENTRY = 4;
const OBJ = 0;
const EXPIRE = 1;
/** cache << CPU_BITS | freeing CPU. */
const OWNER = 2;
const SERIAL = 3;
const CPU_BITS = 8;
const CPU_MASK = (1 << CPU_BITS) - 1;

/** Entries per chunk (a power of two), and numbers per chunk. */
const CHUNK = 16;
const CHUNK_MASK = CHUNK - 1;
const CHUNK_NUMBERS = CHUNK * ENTRY;

/** Expiry field of an entry poolRemove() took out, until its list is next walked. */
const REMOVED = -1;
/** A tick before every expiry: walkList() only drops the entries taken out. */
const NOT_DUE = -2;

const INITIAL = 64;

export type ObjectPool = {
	readonly cache: number;
	length: number; // objects held (the boot-time cache not counted)
	/** Its list of objects that live until reclaimed (expiry NEVER): list id WHEEL + cache. */
	readonly neverList: number;
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
	/** The chunks: entry i (a "place") at numbers [i * ENTRY, (i + 1) * ENTRY) of `arena`. */
	arena: Float64Array;
	/** Per chunk: the next chunk of its list, or of the unused chunks; -1: none. */
	chunkNext: Int32Array;
	freeChunk: number;
	/** Per list (the wheel's buckets, then the caches' own lists): first and last chunk (-1: none), entries. */
	listHead: Int32Array;
	listTail: Int32Array;
	listLength: Int32Array;
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
	const lists = WHEEL + INITIAL;
	return {
		byCache: [],
		serial: 0,
		arena: new Float64Array(0),
		chunkNext: new Int32Array(0),
		freeChunk: -1,
		listHead: new Int32Array(lists).fill(-1),
		listTail: new Int32Array(lists).fill(-1),
		listLength: new Int32Array(lists),
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

/** `old`'s numbers at the start of `made` (the rest filled with `fill`). */
function regrown<T extends Int32Array | Float64Array>(old: T, made: T, fill = 0): T {
	if (fill !== 0) made.fill(fill, old.length);
	made.set(old);
	return made;
}

export function poolOf(pools: Pools, cache: number): ObjectPool {
	let pool = pools.byCache[cache] ?? null;
	if (pool === null) {
		while (pools.byCache.length <= cache) pools.byCache.push(null);
		pool = {cache, length: 0, neverList: WHEEL + cache, bootHeld: []};
		pools.byCache[cache] = pool;
		if (pools.cacheCount.length <= cache) {
			let size = pools.cacheCount.length;
			while (size <= cache) size *= 2;
			pools.cacheCount = new Int32Array(size);
			pools.listHead = regrown(pools.listHead, new Int32Array(WHEEL + size), -1);
			pools.listTail = regrown(pools.listTail, new Int32Array(WHEEL + size), -1);
			pools.listLength = regrown(pools.listLength, new Int32Array(WHEEL + size));
		}
	}
	return pool;
}

/** Hold the objects `list` gives as boot-time cache of the pool's cache, freed only by drop_caches (freeAllHeld). */
export function poolHoldBoot(pool: ObjectPool, list: () => Int32Array): void {
	pool.bootHeld.push(list);
}

/** An unused chunk (the arena doubles when there is none). */
function takeChunk(pools: Pools): number {
	if (pools.freeChunk < 0) {
		const old = pools.chunkNext.length;
		const size = old === 0 ? 4 * INITIAL : old * 2;
		pools.arena = regrown(pools.arena, new Float64Array(size * CHUNK_NUMBERS));
		const chunkNext = regrown(pools.chunkNext, new Int32Array(size));
		for (let c = old; c < size; c++) chunkNext[c] = c + 1 < size ? c + 1 : -1;
		pools.chunkNext = chunkNext;
		pools.freeChunk = old;
	}
	const chunk = pools.freeChunk;
	pools.freeChunk = pools.chunkNext[chunk];
	pools.chunkNext[chunk] = -1;
	return chunk;
}

/** Give chunk `first` and those after it on its list back to the unused chunks. */
function dropChunks(pools: Pools, first: number): void {
	const {chunkNext} = pools;
	let last = first;
	while (chunkNext[last] >= 0) last = chunkNext[last];
	chunkNext[last] = pools.freeChunk;
	pools.freeChunk = first;
}

/** Hold `obj` until tick `expire` (NEVER: until reclaimed), then free it on `freeCpu`. */
export function poolPush(pools: Pools, pool: ObjectPool, obj: number, expire: number, freeCpu: number): void {
	let list: number;
	if (expire === NEVER) {
		list = pool.neverList;
	} else if (expire > pools.drained) {
		list = expire & WHEEL_MASK;
	} else {
		// Already due: freed at the next walk, the bucket after the last one walked.
		list = (pools.drained + 1) & WHEEL_MASK;
		pools.isLate = true;
	}
	const length = pools.listLength[list]++;
	let chunk = pools.listTail[list];
	if ((length & CHUNK_MASK) === 0) {
		const added = takeChunk(pools);
		if (length === 0) pools.listHead[list] = added;
		else pools.chunkNext[chunk] = added;
		pools.listTail[list] = chunk = added;
	}
	const at = chunk * CHUNK_NUMBERS + (length & CHUNK_MASK) * ENTRY;
	const {arena} = pools;
	arena[at + OBJ] = obj;
	arena[at + EXPIRE] = expire;
	arena[at + OWNER] = (pool.cache << CPU_BITS) | freeCpu;
	arena[at + SERIAL] = pools.serial++;
	pool.length++;
}

/** The object address of the entry at `place` (from poolEntries). */
export function entryObject(pools: Pools, place: number): number {
	return pools.arena[place * ENTRY + OBJ];
}

/** The CPU that is to free the entry at `place`. */
export function entryFreeCpu(pools: Pools, place: number): number {
	return pools.arena[place * ENTRY + OWNER] & CPU_MASK;
}

/**
 * Walk list `list` front to back: entries due by `tick` are appended to the due scratch from
 * index `n` (with their expiry and serial when `isSorting`, for dueOrder), removed ones
 * dropped, the others kept in order (chunks left empty given back). Returns the new count of due.
 */
function walkList(pools: Pools, list: number, tick: number, n: number, isSorting: boolean): number {
	const length = pools.listLength[list];
	if (length === 0) return n;
	if (tick !== NOT_DUE) ensureDue(pools, n + length);
	const {arena, chunkNext, dueObjs, dueOwners, dueExpire, dueSerial} = pools;
	let chunk = pools.listHead[list];
	let keptChunk = chunk; // where the next kept entry goes
	let lastKeptChunk = -1;
	let kept = 0;
	for (let i = 0; i < length; i++) {
		if (i > 0 && (i & CHUNK_MASK) === 0) chunk = chunkNext[chunk];
		const at = chunk * CHUNK_NUMBERS + (i & CHUNK_MASK) * ENTRY;
		const expire = arena[at + EXPIRE];
		if (expire === REMOVED) continue;
		if (expire <= tick) {
			dueObjs[n] = arena[at + OBJ];
			dueOwners[n] = arena[at + OWNER];
			if (isSorting) {
				dueExpire[n] = expire;
				dueSerial[n] = arena[at + SERIAL];
			}
			n++;
			continue;
		}
		if (kept > 0 && (kept & CHUNK_MASK) === 0) keptChunk = chunkNext[keptChunk];
		const to = keptChunk * CHUNK_NUMBERS + (kept & CHUNK_MASK) * ENTRY;
		if (to !== at) arena.copyWithin(to, at, at + ENTRY);
		lastKeptChunk = keptChunk;
		kept++;
	}
	pools.listLength[list] = kept;
	if (kept === 0) {
		dropChunks(pools, pools.listHead[list]);
		pools.listHead[list] = -1;
		pools.listTail[list] = -1;
	} else if (chunkNext[lastKeptChunk] >= 0) {
		dropChunks(pools, chunkNext[lastKeptChunk]);
		chunkNext[lastKeptChunk] = -1;
		pools.listTail[list] = lastKeptChunk;
	}
	return n;
}

/** Calls `each` with the place of every entry on list `list` not removed, in list order. */
function forEachOnList(pools: Pools, list: number, each: (place: number, at: number) => void): void {
	const {arena, chunkNext} = pools;
	let chunk = pools.listHead[list];
	const length = pools.listLength[list];
	for (let i = 0; i < length; i++) {
		if (i > 0 && (i & CHUNK_MASK) === 0) chunk = chunkNext[chunk];
		const place = chunk * CHUNK + (i & CHUNK_MASK);
		if (arena[place * ENTRY + EXPIRE] !== REMOVED) each(place, place * ENTRY);
	}
}

/**
 * The places of the entries a pool holds (boot-time cache apart), in allocation order: valid
 * until the next freeExpired or poolEntries (poolPush and poolRemove leave them valid).
 */
export function poolEntries(pools: Pools, pool: ObjectPool): Float64Array {
	// The cache's own list is walked only here: first drop what was taken out of it (nothing on it is ever due).
	walkList(pools, pool.neverList, NOT_DUE, 0, false);
	const places = new Float64Array(pool.length);
	const serials = new Float64Array(pool.length);
	const {arena} = pools;
	let n = 0;
	const add = (place: number, at: number): void => {
		if (arena[at + OWNER] >>> CPU_BITS !== pool.cache) return;
		places[n] = place;
		serials[n++] = arena[at + SERIAL];
	};
	forEachOnList(pools, pool.neverList, add);
	for (let bucket = 0; bucket < WHEEL && n < pool.length; bucket++) forEachOnList(pools, bucket, add);
	const order = Array.from({length: n}, (_, i) => i).sort((a, b) => serials[a] - serials[b]);
	return Float64Array.from(order, i => places[i]);
}

/** Take the entry at `place` (from poolEntries) out of its pool; the caller frees its object. */
export function poolRemove(pools: Pools, pool: ObjectPool, place: number): void {
	pools.arena[place * ENTRY + EXPIRE] = REMOVED;
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
 * Free every held object whose expiry tick is ≤ tick, in every cache: cache by cache in cache
 * id order, each cache's objects by expiry tick, then allocation order.
 */
export function freeExpired(e: Engine, pools: Pools, tick: number): number {
	// The buckets from the one after the last walked to this tick's (all of them after a long jump).
	const first = pools.drained + 1;
	const last = tick > first ? Math.min(tick, first + WHEEL_MASK) : first;
	// Due entries from one bucket are in push order, so in expiry order unless some were pushed
	// already due; from several buckets, in bucket order: sort them then.
	const isSorted = !pools.isLate && last === first;
	let n = 0;
	for (let t = first; t <= last; t++) n = walkList(pools, t & WHEEL_MASK, tick, n, !isSorted);
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
	// Insertion sort: a tick's objects come from a few caches.
	for (let i = 1; i < dueCaches.length; i++) {
		const cache = dueCaches[i];
		let j = i;
		for (; j > 0 && dueCaches[j - 1] > cache; j--) dueCaches[j] = dueCaches[j - 1];
		dueCaches[j] = cache;
	}
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
		stage(pools, k++, entryObject(pools, place), entryFreeCpu(pools, place));
		poolRemove(pools, pool, place);
	}
	for (const objs of boot) for (let i = 0; i < objs.length; i++) stage(pools, k++, objs[i], i % e.cpus);
	return freeStaged(e, pools, cache, k);
}
