import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
	NIL,
	SLAB_HWCACHE_ALIGN,
	SLAB_POISON,
	SLAB_RECLAIM_ACCOUNT,
	SLAB_RED_ZONE,
	SLAB_STORE_USER,
	SLAB_CONSISTENCY_CHECKS,
	allocBulk,
	allocObject,
	createCache,
	createEngine,
	destroyCache,
	freeBulk,
	freeChecked,
	kfree,
	liveObjects,
	oneCacheStats,
	shrinkCache,
	slabMap,
	validateEngine,
	type Engine,
	FreeStatus,
} from '../../source/engine/index.js';

// Random sequences of create, alloc, free, bulk, shrink and destroy across CPUs, on a machine
// small enough to run out of memory. After every step: no address is live twice; each cache's
// allocs − frees equals the objects the test holds; validateEngine (every frame free in the
// buddy allocator or in exactly one slab, Σ allocated over slabs == allocs − frees, lists and
// counters consistent) finds nothing; shrink leaves no empty slab; destroying an emptied cache
// returns all its pages.

const SIZES = [8, 24, 64, 96, 192, 256, 700, 1024, 3000, 4096, 9000];
const FLAGS = [0, SLAB_HWCACHE_ALIGN, SLAB_RECLAIM_ACCOUNT, SLAB_POISON | SLAB_RED_ZONE | SLAB_STORE_USER | SLAB_CONSISTENCY_CHECKS];

type Op =
	| {kind: 'create'; size: number; flags: number; hasCtor: boolean}
	| {kind: 'alloc'; cache: number; cpu: number; n: number}
	| {kind: 'free'; pick: number; cpu: number; n: number}
	| {kind: 'allocBulk'; cache: number; cpu: number; n: number}
	| {kind: 'freeBulk'; cache: number; cpu: number; n: number}
	| {kind: 'shrink'; cache: number}
	| {kind: 'destroy'; cache: number; isFreeFirst: boolean};

const cpuArb = fc.integer({min: 0, max: 3});
const opArb: fc.Arbitrary<Op> = fc.oneof(
	{weight: 2, arbitrary: fc.record({kind: fc.constant('create' as const), size: fc.constantFrom(...SIZES), flags: fc.constantFrom(...FLAGS), hasCtor: fc.boolean()})},
	{weight: 6, arbitrary: fc.record({kind: fc.constant('alloc' as const), cache: fc.nat(), cpu: cpuArb, n: fc.integer({min: 1, max: 300})})},
	{weight: 6, arbitrary: fc.record({kind: fc.constant('free' as const), pick: fc.nat(), cpu: cpuArb, n: fc.integer({min: 1, max: 300})})},
	{weight: 2, arbitrary: fc.record({kind: fc.constant('allocBulk' as const), cache: fc.nat(), cpu: cpuArb, n: fc.integer({min: 1, max: 200})})},
	{weight: 2, arbitrary: fc.record({kind: fc.constant('freeBulk' as const), cache: fc.nat(), cpu: cpuArb, n: fc.integer({min: 1, max: 200})})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('shrink' as const), cache: fc.nat()})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('destroy' as const), cache: fc.nat(), isFreeFirst: fc.boolean()})},
);

type Model = {names: string[]; live: Map<number, number[]>; owner: Map<number, number>};

function ids(m: Model, e: Engine): number[] {
	return [...new Set(m.names.map((n) => e.byName.get(n) ?? -1).filter((id) => id >= 0))];
}

function checkAll(e: Engine, m: Model): void {
	const problems = validateEngine(e);
	expect(problems).toEqual([]);
	for (const id of ids(m, e)) expect(liveObjects(e, id)).toBe(m.live.get(id)?.length ?? 0);
}

/** Free n of the cache's objects, chosen at random by `seed` (so slabs go partial). */
function freeSome(e: Engine, m: Model, id: number, cpu: number, n: number, isBulk: boolean, seed = 1): void {
	const list = m.live.get(id) ?? [];
	const take: number[] = [];
	let x = (seed * 2654435761) >>> 0 || 1;
	while (take.length < n && list.length > 0) {
		x = (Math.imul(x, 1103515245) + 12345) >>> 0;
		const i = x % list.length;
		take.push(list[i]);
		list[i] = list[list.length - 1];
		list.pop();
	}
	for (const obj of take) m.owner.delete(obj);
	if (isBulk) {
		const arr = Int32Array.from(take);
		expect(freeBulk(e, id, cpu, arr, arr.length)).toBe(take.length);
	} else {
		for (const obj of take) expect(freeChecked(e, id, obj, cpu)).toBe(FreeStatus.Ok);
	}
}

function record(m: Model, id: number, obj: number): void {
	expect(m.owner.has(obj)).toBe(false); // never handed out twice while live
	m.owner.set(obj, id);
	m.live.get(id)?.push(obj);
}

function runOps(ops: Op[], cpus: number, freelistRandomSeed?: number): void {
	const e = createEngine({memoryBytes: 8 << 20, cpus, freelistRandomSeed});
	const m: Model = {names: [], live: new Map(), owner: new Map()};
	const out = new Int32Array(512);
	let created = 0;
	for (const op of ops) {
		const known = ids(m, e);
		const pickCache = (k: number): number => known[k % known.length];
		switch (op.kind) {
			case 'create': {
				const name = `c${created++}`;
				const r = createCache(e, {name, size: op.size, flags: op.flags, ctor: op.hasCtor ? {name: 'ctor', run: (en, o) => void (en.mem8[o] = 0x42)} : null});
				expect(r.ok).toBe(true);
				if (r.ok) {
					m.names.push(name);
					if (!m.live.has(r.value)) m.live.set(r.value, []);
				}
				break;
			}
			case 'alloc': {
				if (known.length === 0) break;
				const id = pickCache(op.cache);
				for (let i = 0; i < op.n; i++) {
					const obj = allocObject(e, id, op.cpu % cpus);
					if (obj === NIL) {
						expect(e.caches[id].failures).toBeGreaterThan(0);
						break;
					}
					record(m, id, obj);
				}
				break;
			}
			case 'allocBulk': {
				if (known.length === 0) break;
				const id = pickCache(op.cache);
				const before = liveObjects(e, id);
				const got = allocBulk(e, id, op.cpu % cpus, op.n, out);
				if (got === 0) expect(liveObjects(e, id)).toBe(before);
				for (let i = 0; i < got; i++) record(m, id, out[i]);
				break;
			}
			case 'free':
			case 'freeBulk': {
				if (known.length === 0) break;
				const id = pickCache(op.kind === 'free' ? op.pick : op.cache);
				freeSome(e, m, id, op.cpu % cpus, op.n, op.kind === 'freeBulk', op.kind === 'free' ? op.pick : op.n * 31 + op.cache);
				break;
			}
			case 'shrink': {
				if (known.length === 0) break;
				const id = pickCache(op.cache);
				shrinkCache(e, id);
				for (const cell of slabMap(e, id)) expect(cell.used).toBeGreaterThan(0); // every empty slab released
				break;
			}
			case 'destroy': {
				if (m.names.length === 0) break;
				const name = m.names[op.cache % m.names.length];
				const id = e.byName.get(name) ?? -1;
				if (op.isFreeFirst) freeSome(e, m, id, 0, Number.MAX_SAFE_INTEGER, false);
				const before = oneCacheStats(e, id);
				const freeBefore = e.nrFreePages;
				const isLast = e.caches[id].refcount === 1;
				const r = destroyCache(e, name);
				if (isLast && before.inUse > 0) {
					expect(r.ok).toBe(false); // refused; the cache is left intact
					expect(oneCacheStats(e, id)).toEqual(before);
				} else {
					expect(r.ok).toBe(true);
					if (isLast) {
						expect(e.nrFreePages).toBe(freeBefore + before.pages); // all its pages returned
						m.names = m.names.filter((n) => e.byName.has(n));
						m.live.delete(id);
					}
				}
				break;
			}
		}
		checkAll(e, m);
	}
	// Free everything and destroy every cache: the machine is whole again.
	for (const id of ids(m, e)) freeSome(e, m, id, 0, Number.MAX_SAFE_INTEGER, true);
	for (const name of [...m.names]) destroyCache(e, name);
	expect(validateEngine(e)).toEqual([]);
	expect(e.nrFreePages).toBe(e.nrFrames);
}

describe('random operation sequences keep the allocator consistent', () => {
	it('with 2 CPUs', () => {
		fc.assert(fc.property(fc.array(opArb, {minLength: 1, maxLength: 150}), (ops) => runOps(ops, 2)), {numRuns: 200});
	});
	it('with 1 and 4 CPUs', () => {
		fc.assert(
			fc.property(fc.array(opArb, {minLength: 1, maxLength: 80}), fc.constantFrom(1, 4), (ops, cpus) => runOps(ops, cpus)),
			{numRuns: 80},
		);
	});
	it('with randomised freelists', () => {
		fc.assert(fc.property(fc.array(opArb, {minLength: 1, maxLength: 80}), fc.nat(), (ops, seed) => runOps(ops, 2, seed)), {numRuns: 60});
	});
	it('kfree of an address that is not a live object is refused and changes nothing', () => {
		fc.assert(
			fc.property(fc.integer({min: -10, max: (8 << 20) + 10}), (addr) => {
				const e = createEngine({memoryBytes: 8 << 20, cpus: 2});
				const r = createCache(e, {name: 'x', size: 64});
				if (!r.ok) throw new Error(r.message);
				const live: number[] = [];
				for (let i = 0; i < 100; i++) live.push(allocObject(e, r.value, i % 2));
				if (live.includes(addr)) return;
				expect(kfree(e, addr, 0)).not.toBe(FreeStatus.Ok);
				expect(validateEngine(e)).toEqual([]);
				expect(liveObjects(e, r.value)).toBe(100);
			}),
			{numRuns: 300},
		);
	});
});
