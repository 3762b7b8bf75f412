import {describe, expect, it} from 'vitest';
import {
	SLAB_NO_MERGE,
	allocObject,
	createCache,
	createEngine,
	openTrace,
	setTick,
	validateEngine,
	type Engine,
	type TraceRecord,
} from '../../source/engine/index.js';
import {
	NEVER,
	WHEEL,
	createPools,
	entryObject,
	freeAllHeld,
	freeExpired,
	poolEntries,
	poolOf,
	poolPush,
	poolRemove,
	type Pools,
} from '../../source/workload/pools.js';
import {createPrng, nextInt, type Prng} from '../../source/workload/prng.js';

// The pools free each held object when its expiry tick comes: at freeExpired(tick), every
// object due by then, cache by cache in cache id order, each cache's objects by expiry tick,
// then allocation order. Checked against a plain list of what was pushed, sorted that way, over
// lifetimes from 1 tick to far beyond the timing wheel, clock jumps, objects pushed already
// due, and objects taken out before their time.

type Held = {cache: number; obj: number; expire: number; cpu: number; serial: number};

type Rig = {e: Engine; pools: Pools; caches: number[]; prng: Prng; held: Held[]; serial: number; frees: Held[]};

function rig(seed: number): Rig {
	const e = createEngine({memoryBytes: 64 * 2 ** 20, cpus: 2, debugFlags: 0, debugCaches: []});
	const caches = ['pool_a', 'pool_b', 'pool_c'].map(name => {
		const made = createCache(e, {name, size: 64, flags: SLAB_NO_MERGE});
		if (!made.ok) throw new Error(made.message);
		return made.value;
	});
	const r: Rig = {e, pools: createPools(2), caches, prng: createPrng(seed), held: [], serial: 0, frees: []};
	// Every free, as the kernel's kmem_cache_free tracepoint sees it.
	openTrace(e, {
		every: 1,
		capacity: 16,
		onRecord(rec: TraceRecord) {
			if (rec.op === 'free') r.frees.push({cache: rec.cache, obj: rec.ptr, expire: 0, cpu: rec.cpu, serial: 0});
		},
	});
	return r;
}

/** Allocate one object of a random cache and hold it until `expire`. */
function push(r: Rig, expire: number): void {
	const cache = r.caches[nextInt(r.prng, r.caches.length)];
	const cpu = nextInt(r.prng, 2);
	const obj = allocObject(r.e, cache, cpu);
	if (obj < 0) throw new Error('out of memory');
	poolPush(r.pools, poolOf(r.pools, cache), obj, expire, cpu);
	r.held.push({cache, obj, expire, cpu, serial: r.serial++});
}

/** freeExpired at `tick`, checked against the held list: what is freed, in which order. */
function drain(r: Rig, tick: number): void {
	setTick(r.e, tick);
	const due = r.held
		.filter(h => h.expire <= tick)
		.sort((a, b) => a.cache - b.cache || a.expire - b.expire || a.serial - b.serial);
	r.held = r.held.filter(h => h.expire > tick);
	r.frees = [];
	expect(freeExpired(r.e, r.pools, tick)).toBe(due.length);
	expect(r.frees.map(f => [f.cache, f.obj, f.cpu])).toEqual(due.map(h => [h.cache, h.obj, h.cpu]));
	for (const cache of r.caches) {
		expect(poolOf(r.pools, cache).length).toBe(r.held.filter(h => h.cache === cache).length);
	}
}

/** The objects a cache's pool lists, in the order poolEntries gives. */
function listed(r: Rig, cache: number): number[] {
	const pool = poolOf(r.pools, cache);
	return Array.from(poolEntries(r.pools, pool), place => entryObject(r.pools, place));
}

describe('object pools', () => {
	it('frees every object at its expiry tick: cache id order, then expiry, then allocation', () => {
		const r = rig(7);
		let tick = 0;
		for (let step = 0; step < 3000; step++) {
			tick++;
			drain(r, tick);
			const n = nextInt(r.prng, 6);
			for (let i = 0; i < n; i++) {
				const kind = nextInt(r.prng, 10);
				if (kind < 5) push(r, tick + 1 + nextInt(r.prng, 40));
				else if (kind < 6) {
					// A burst on one bucket of the wheel: due now, and one and two turns of it later.
					const expire = tick + 1 + nextInt(r.prng, 40);
					for (let j = 0; j < 40; j++) push(r, expire + nextInt(r.prng, 3) * WHEEL);
				} else if (kind < 8)
					push(r, tick + 1 + nextInt(r.prng, 30_000)); // beyond the wheel
				else if (kind < 9)
					push(r, tick - nextInt(r.prng, 3)); // already due: freed at the next tick
				else push(r, NEVER);
			}
		}
		expect(r.frees.length + r.held.length).toBeGreaterThan(0);
		// Clock jumps, short and longer than the wheel, freeing several ticks' objects at once.
		for (const jump of [5, 700, 9000, 20_000, 1]) {
			tick += jump;
			drain(r, tick);
		}
		for (const cache of r.caches) {
			const inOrder = r.held.filter(h => h.cache === cache).map(h => h.obj);
			expect(listed(r, cache)).toEqual(inOrder);
		}
		expect(validateEngine(r.e)).toEqual([]);
	});

	it('does not free an object taken out before its time, and lists the rest in allocation order', () => {
		const r = rig(11);
		// Many on each list: the lists of two buckets of the wheel, and the caches' own lists.
		for (let i = 0; i < 600; i++) push(r, [NEVER, 10, 10 + WHEEL, 5000][i % 4]);
		const cache = r.caches[1];
		const pool = poolOf(r.pools, cache);
		const places = poolEntries(r.pools, pool);
		expect(places.length).toBe(r.held.filter(h => h.cache === cache).length);
		// Take out every third, as a workload free action would (the caller frees them).
		const taken = new Set<number>();
		places.forEach((place, i) => {
			if (i % 3 !== 0) return;
			taken.add(entryObject(r.pools, place));
			poolRemove(r.pools, pool, place);
		});
		r.held = r.held.filter(h => !taken.has(h.obj));
		expect(listed(r, cache)).toEqual(r.held.filter(h => h.cache === cache).map(h => h.obj));
		for (const tick of [9, 10, 5000, 10 + WHEEL]) drain(r, tick);
		expect(r.held.every(h => h.expire === NEVER)).toBe(true);
		// drop_caches: what is left of the cache, in allocation order.
		const left = r.held.filter(h => h.cache === cache).map(h => h.obj);
		r.frees = [];
		expect(freeAllHeld(r.e, r.pools, cache)).toBe(left.length);
		expect(r.frees.map(f => f.obj)).toEqual(left);
		expect(pool.length).toBe(0);
		expect(listed(r, cache)).toEqual([]);
	});
});
