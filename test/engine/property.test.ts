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
	GFP_KERNEL,
	Gfp,
	KMALLOC_MAX_CACHE_SIZE,
	SLAB_ACCOUNT,
	SLAB_KMALLOC,
	SLAB_NO_MERGE,
	allocBulk,
	allocObject,
	kfreeAny,
	kmalloc,
	krealloc,
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
const FLAGS = [
	0,
	SLAB_HWCACHE_ALIGN,
	SLAB_RECLAIM_ACCOUNT,
	SLAB_POISON | SLAB_RED_ZONE | SLAB_STORE_USER | SLAB_CONSISTENCY_CHECKS,
];

type Op =
	| {kind: 'create'; size: number; flags: number; hasCtor: boolean}
	| {kind: 'alloc'; cache: number; cpu: number; n: number}
	| {kind: 'free'; pick: number; cpu: number; n: number}
	| {kind: 'allocBulk'; cache: number; cpu: number; n: number}
	| {kind: 'freeBulk'; cache: number; cpu: number; n: number}
	| {kind: 'shrink'; cache: number}
	| {kind: 'destroy'; cache: number; isFreeFirst: boolean}
	| {kind: 'kmalloc'; size: number; isAccount: boolean; cpu: number}
	| {kind: 'kfree'; pick: number; cpu: number}
	| {kind: 'krealloc'; pick: number; size: number; cpu: number};

/** Request sizes for kmalloc and krealloc: around every class boundary, and large ones. */
const KMALLOC_SIZE_ARB = fc.oneof(
	fc.integer({min: 1, max: 300}),
	fc.integer({min: 1, max: KMALLOC_MAX_CACHE_SIZE}),
	fc.integer({min: KMALLOC_MAX_CACHE_SIZE + 1, max: 70_000}),
);

const cpuArb = fc.integer({min: 0, max: 3});
const opArb: fc.Arbitrary<Op> = fc.oneof(
	{
		weight: 2,
		arbitrary: fc.record({
			kind: fc.constant('create' as const),
			size: fc.constantFrom(...SIZES),
			flags: fc.constantFrom(...FLAGS),
			hasCtor: fc.boolean(),
		}),
	},
	{
		weight: 6,
		arbitrary: fc.record({
			kind: fc.constant('alloc' as const),
			cache: fc.nat(),
			cpu: cpuArb,
			n: fc.integer({min: 1, max: 300}),
		}),
	},
	{
		weight: 6,
		arbitrary: fc.record({
			kind: fc.constant('free' as const),
			pick: fc.nat(),
			cpu: cpuArb,
			n: fc.integer({min: 1, max: 300}),
		}),
	},
	{
		weight: 2,
		arbitrary: fc.record({
			kind: fc.constant('allocBulk' as const),
			cache: fc.nat(),
			cpu: cpuArb,
			n: fc.integer({min: 1, max: 200}),
		}),
	},
	{
		weight: 2,
		arbitrary: fc.record({
			kind: fc.constant('freeBulk' as const),
			cache: fc.nat(),
			cpu: cpuArb,
			n: fc.integer({min: 1, max: 200}),
		}),
	},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('shrink' as const), cache: fc.nat()})},
	{
		weight: 1,
		arbitrary: fc.record({kind: fc.constant('destroy' as const), cache: fc.nat(), isFreeFirst: fc.boolean()}),
	},
	{
		weight: 3,
		arbitrary: fc.record({
			kind: fc.constant('kmalloc' as const),
			size: KMALLOC_SIZE_ARB,
			isAccount: fc.boolean(),
			cpu: cpuArb,
		}),
	},
	{weight: 2, arbitrary: fc.record({kind: fc.constant('kfree' as const), pick: fc.nat(), cpu: cpuArb})},
	{
		weight: 2,
		arbitrary: fc.record({kind: fc.constant('krealloc' as const), pick: fc.nat(), size: KMALLOC_SIZE_ARB, cpu: cpuArb}),
	},
);

/** The kmalloc caches the random sequences use: kmalloc-* and kmalloc-cg-*, 8 … 8k. */
const KMALLOC_CLASS_SIZES = [96, 192, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192];

function createKmallocCaches(e: Engine): string[] {
	const names: string[] = [];
	for (const [prefix, flags] of [
		['kmalloc-', SLAB_NO_MERGE],
		['kmalloc-cg-', SLAB_ACCOUNT],
	] as const) {
		for (const size of KMALLOC_CLASS_SIZES) {
			const name = `${prefix}${size >= 1024 ? `${size / 1024}k` : size}`;
			const r = createCache(e, {name, size, align: size & -size, flags: SLAB_KMALLOC | flags});
			if (!r.ok) throw new Error(r.message);
			names.push(name);
		}
	}
	return names;
}

/** One live kmalloc of the test: where, how big it was asked, and the byte pattern written into it. */
type Kmalloced = {obj: number; size: number; fill: number; pages: number};

/** Pages of a large kmalloc of `size` bytes (the smallest power-of-two run of pages), 0 for a slab object. */
const largePagesOf = (size: number): number =>
	size > KMALLOC_MAX_CACHE_SIZE ? 2 ** Math.ceil(Math.log2(Math.ceil(size / 4096))) : 0;

type Model = {
	names: string[];
	live: Map<number, number[]>;
	owner: Map<number, number>;
	kmallocs: Kmalloced[];
	leaked: number[];
};

function ids(m: Model, e: Engine): number[] {
	return [...new Set(m.names.map(n => e.byName.get(n) ?? -1).filter(id => id >= 0))];
}

function checkAll(e: Engine, m: Model, kmallocNames: readonly string[]): void {
	const problems = validateEngine(e);
	expect(problems).toEqual([]);
	for (const id of [...ids(m, e), ...m.leaked]) expect(liveObjects(e, id)).toBe(m.live.get(id)?.length ?? 0);
	// Each kmalloc cache holds exactly the test's live kmallocs of it; large ones hold their pages.
	const perCache = new Map<number, number>();
	let largePages = 0;
	for (const k of m.kmallocs) {
		const cache = e.pgCache[k.obj >> 12];
		expect(cache === 0).toBe(k.pages > 0);
		if (cache === 0) largePages += k.pages;
		else perCache.set(cache, (perCache.get(cache) ?? 0) + 1);
	}
	for (const name of kmallocNames) {
		const id = e.byName.get(name) ?? -1;
		expect(liveObjects(e, id)).toBe(perCache.get(id) ?? 0);
	}
	expect(e.largeKmallocPages).toBe(largePages);
}

/** The first `size` bytes of a kmalloc hold its fill pattern (krealloc keeps what fits). */
function expectFilled(e: Engine, k: Kmalloced, length: number): void {
	for (let i = 0; i < length; i++)
		if (e.mem8[k.obj + i] !== ((k.fill + i) & 0xff))
			expect([k.obj, i, e.mem8[k.obj + i]]).toEqual([k.obj, i, (k.fill + i) & 0xff]);
}

function fill(e: Engine, k: Kmalloced, from: number): void {
	for (let i = from; i < k.size; i++) e.mem8[k.obj + i] = (k.fill + i) & 0xff;
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
	const kmallocNames = createKmallocCaches(e);
	const m: Model = {names: [], live: new Map(), owner: new Map(), kmallocs: [], leaked: []};
	const out = new Int32Array(512);
	let created = 0;
	for (const op of ops) {
		const known = ids(m, e);
		const pickCache = (k: number): number => known[k % known.length];
		switch (op.kind) {
			case 'create': {
				const name = `c${created++}`;
				const r = createCache(e, {
					name,
					size: op.size,
					flags: op.flags,
					ctor: op.hasCtor ? {name: 'ctor', run: (en, o) => void (en.mem8[o] = 0x42)} : null,
				});
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
				freeSome(
					e,
					m,
					id,
					op.cpu % cpus,
					op.n,
					op.kind === 'freeBulk',
					op.kind === 'free' ? op.pick : op.n * 31 + op.cache,
				);
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
					// Leaked, as 6.18 leaves it: still listed with its objects, its name gone.
					expect(r.ok && r.value).toEqual({isReleased: false, leakedObjects: before.inUse});
					expect(e.caches[id].isAlive).toBe(true);
					expect(oneCacheStats(e, id).inUse).toBe(before.inUse);
					m.names = m.names.filter(n => e.byName.has(n));
					m.leaked.push(id);
				} else {
					expect(r.ok).toBe(true);
					if (isLast) {
						expect(e.nrFreePages).toBe(freeBefore + before.pages); // all its pages returned
						m.names = m.names.filter(n => e.byName.has(n));
						m.live.delete(id);
					}
				}
				break;
			}
			case 'kmalloc': {
				const r = kmalloc(e, op.size, op.isAccount ? GFP_KERNEL | Gfp.ACCOUNT : GFP_KERNEL, op.cpu % cpus);
				if (r.obj === NIL) break;
				expect(m.owner.has(r.obj)).toBe(false);
				m.owner.set(r.obj, -1);
				const k = {obj: r.obj, size: op.size, fill: op.size * 7, pages: largePagesOf(op.size)};
				fill(e, k, 0);
				m.kmallocs.push(k);
				break;
			}
			case 'kfree': {
				if (m.kmallocs.length === 0) break;
				const i = op.pick % m.kmallocs.length;
				const k = m.kmallocs[i];
				expectFilled(e, k, k.size);
				expect(kfreeAny(e, k.obj, op.cpu % cpus).status).toBe(FreeStatus.Ok);
				m.owner.delete(k.obj);
				m.kmallocs.splice(i, 1);
				break;
			}
			case 'krealloc': {
				if (m.kmallocs.length === 0) break;
				const k = m.kmallocs[op.pick % m.kmallocs.length];
				const r = krealloc(e, k.obj, op.size, GFP_KERNEL, op.cpu % cpus);
				if (r.obj === NIL) break; // failed: the old object stays
				m.owner.delete(k.obj);
				expect(m.owner.has(r.obj)).toBe(false);
				m.owner.set(r.obj, -1);
				const kept = Math.min(k.size, op.size);
				k.obj = r.obj;
				expectFilled(e, k, kept);
				if (r.isMoved) k.pages = largePagesOf(op.size);
				else expect(r.obj).toBe(m.kmallocs[op.pick % m.kmallocs.length].obj);
				k.size = op.size;
				fill(e, k, kept);
				break;
			}
		}
		checkAll(e, m, kmallocNames);
	}
	for (const k of m.kmallocs) expect(kfreeAny(e, k.obj, 0).status).toBe(FreeStatus.Ok);
	for (const name of kmallocNames) expect(destroyCache(e, name).ok).toBe(true);
	// Free everything and destroy every cache: the machine is whole again.
	for (const id of [...ids(m, e), ...m.leaked]) freeSome(e, m, id, 0, Number.MAX_SAFE_INTEGER, true);
	for (const name of [...m.names]) destroyCache(e, name);
	for (const id of m.leaked) shrinkCache(e, id); // a leaked cache gives its emptied slabs back only to shrink
	expect(validateEngine(e)).toEqual([]);
	expect(e.nrFreePages).toBe(e.nrFrames);
}

describe('random operation sequences keep the allocator consistent', () => {
	it('with 2 CPUs', () => {
		fc.assert(
			fc.property(fc.array(opArb, {minLength: 1, maxLength: 150}), ops => runOps(ops, 2)),
			{numRuns: 200},
		);
	});
	it('with 1 and 4 CPUs', () => {
		fc.assert(
			fc.property(fc.array(opArb, {minLength: 1, maxLength: 80}), fc.constantFrom(1, 4), (ops, cpus) =>
				runOps(ops, cpus),
			),
			{numRuns: 80},
		);
	});
	it('with randomised freelists', () => {
		fc.assert(
			fc.property(fc.array(opArb, {minLength: 1, maxLength: 80}), fc.nat(), (ops, seed) => runOps(ops, 2, seed)),
			{numRuns: 60},
		);
	});
	it('kfree of an address that is not a live object is refused and changes nothing', () => {
		fc.assert(
			fc.property(fc.integer({min: -10, max: (8 << 20) + 10}), addr => {
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
