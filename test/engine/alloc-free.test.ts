import {describe, expect, it} from 'vitest';
import {
	NIL,
	SlabState,
	allocObject,
	createCache,
	createEngine,
	freeChecked,
	FreeStatus,
	isObjectFree,
	liveObjects,
	oneCacheStats,
	shrinkCache,
	slabStates,
	statCounters,
	validateEngine,
	zallocObject,
	type Engine,
} from '../../source/engine/index.js';

function setup(cpus = 2, memoryBytes = 64 << 20, size = 64): {e: Engine; c: number} {
	const e = createEngine({memoryBytes, cpus});
	const r = createCache(e, {name: 'test-cache', size});
	if (!r.ok) throw new Error(r.message);
	return {e, c: r.value};
}

/** Non-zero SLUB_STATS totals of a cache, by sysfs name. */
function stats(e: Engine, c: number): Record<string, number> {
	const out: Record<string, number> = {};
	for (const s of statCounters(e, c)) if (s.total !== 0) out[s.name] = s.total;
	return out;
}

function allocN(e: Engine, c: number, cpu: number, n: number): number[] {
	const out: number[] = [];
	for (let i = 0; i < n; i++) out.push(allocObject(e, c, cpu));
	return out;
}

describe('allocation', () => {
	it('the first allocation takes a new slab, the rest of it comes off the CPU freelist', () => {
		const {e, c} = setup();
		const objs = allocN(e, c, 0, 64);
		expect(stats(e, c)).toEqual({alloc_slowpath: 1, alloc_slab: 1, alloc_fastpath: 63});
		const base = objs[0];
		expect(objs).toEqual(objs.map((_, i) => base + i * 64)); // address order, as without freelist randomisation
		expect(validateEngine(e)).toEqual([]);
	});

	it('with freelist randomisation, a slab hands out every object once in a seeded random order', () => {
		const run = (seed: number): number[] => {
			const e = createEngine({memoryBytes: 16 << 20, cpus: 1, freelistRandomSeed: seed});
			const r = createCache(e, {name: 'rnd', size: 64});
			if (!r.ok) throw new Error(r.message);
			return allocN(e, r.value, 0, 64);
		};
		const a = run(7);
		expect(new Set(a).size).toBe(64);
		expect([...a].sort((x, y) => x - y)).toEqual(a.map((_, i) => Math.min(...a) + i * 64));
		expect(a).not.toEqual([...a].sort((x, y) => x - y));
		expect(run(7)).toEqual(a); // deterministic for a seed
		expect(run(8)).not.toEqual(a);
	});

	it('a full CPU slab is dropped without list action (deactivate_bypass) and a new slab taken', () => {
		const {e, c} = setup();
		allocN(e, c, 0, 65);
		expect(stats(e, c)).toMatchObject({alloc_slowpath: 2, alloc_slab: 2, deactivate_bypass: 1});
		expect(oneCacheStats(e, c)).toMatchObject({numSlabs: 2, full: 1, partial: 0});
	});

	it('objects freed by another CPU into the CPU slab refill it (free_frozen, alloc_refill)', () => {
		const {e, c} = setup();
		const objs = allocN(e, c, 0, 64);
		expect(freeChecked(e, c, objs[10], 1)).toBe(FreeStatus.Ok);
		expect(stats(e, c)).toMatchObject({free_slowpath: 1, free_frozen: 1});
		expect(allocObject(e, c, 0)).toBe(objs[10]);
		expect(stats(e, c)).toMatchObject({alloc_refill: 1, alloc_slowpath: 2});
	});

	it('a full slab getting a free goes to this CPU partial list; the fifth drains four to the node', () => {
		const {e, c} = setup(1);
		const objs = allocN(e, c, 0, 64 * 6); // 6 slabs; the 6th is the CPU slab
		for (let s = 0; s < 4; s++) freeChecked(e, c, objs[s * 64], 0);
		expect(stats(e, c)).toMatchObject({cpu_partial_free: 4});
		expect(slabStates(e, c).cpuPartial[0]).toHaveLength(4);
		freeChecked(e, c, objs[4 * 64], 0);
		expect(stats(e, c)).toMatchObject({cpu_partial_free: 5, cpu_partial_drain: 1, free_add_partial: 4});
		const st = slabStates(e, c);
		expect(st.cpuPartial[0]).toHaveLength(1);
		// The CPU partial list is a stack (newest first); the drain appends it to the node tail in list order.
		expect(st.nodePartial.map(s => s.slab)).toEqual([3, 2, 1, 0].map(i => objs[i * 64] >> 12));
		expect(validateEngine(e)).toEqual([]);
	});

	it('the slow path takes the CPU partial list first, then the node list, moving extra slabs to the CPU', () => {
		const {e, c} = setup(1);
		const objs = allocN(e, c, 0, 64 * 8);
		for (let s = 0; s < 7; s++) freeChecked(e, c, objs[s * 64 + 1], 0); // 7 full slabs get a free each
		// 4 went to the node on the drain, 3 stay on the CPU partial list.
		expect(oneCacheStats(e, c)).toMatchObject({partial: 4, cpuPartialSlabs: 3});
		expect(stats(e, c)).toMatchObject({alloc_slab: 8, deactivate_bypass: 7}); // each fill slab left full
		allocN(e, c, 0, 1); // CPU slab is full: bypass, then the CPU partial head
		expect(stats(e, c)).toMatchObject({cpu_partial_alloc: 1, deactivate_bypass: 8});
		allocN(e, c, 0, 2); // the two other CPU partial slabs, one free object each
		expect(stats(e, c)).toMatchObject({cpu_partial_alloc: 3, deactivate_bypass: 10});
		allocN(e, c, 0, 1);
		// CPU partial empty now: node partial head becomes the CPU slab, 3 more (> 4/2) move to the CPU.
		expect(stats(e, c)).toMatchObject({alloc_from_partial: 1, cpu_partial_node: 3});
		expect(oneCacheStats(e, c)).toMatchObject({partial: 0, cpuPartialSlabs: 3});
		expect(validateEngine(e)).toEqual([]);
	});

	it('an empty slab on the node partial list is freed once the node keeps min_partial slabs', () => {
		const {e, c} = setup(1);
		const objs = allocN(e, c, 0, 64 * 12);
		for (let s = 0; s < 10; s++) freeChecked(e, c, objs[s * 64], 0); // 10 slabs partial: 8 on the node
		const node = slabStates(e, c).nodePartial;
		expect(node.length).toBeGreaterThanOrEqual(5);
		const victim = node[0].slab;
		for (let i = 1; i < 64; i++) freeChecked(e, c, objs[objs.findIndex(o => o >> 12 === victim) + i], 0);
		expect(stats(e, c)).toMatchObject({free_remove_partial: 1, free_slab: 1});
		expect(e.pgState[victim]).toBe(SlabState.None);
		expect(validateEngine(e)).toEqual([]);
	});

	it('out of memory returns NIL, records the kernel warning and counts a failure', () => {
		const {e, c} = setup(1, 4 << 20, 4096);
		let n = 0;
		while (allocObject(e, c, 0) !== NIL) n++;
		expect(n).toBe(1024); // 4 MiB: 128 order-3 slabs of 8 objects
		expect(e.caches[c].failures).toBe(1);
		const ev = e.events.at(-1);
		expect(ev?.kind).toBe('alloc-failure');
		expect(ev?.text).toMatch(/^SLUB: Unable to allocate memory on CPU 0 \(of node 0\)/);
		expect(ev?.text).toContain(
			'cache: test-cache, object size: 4096, buffer size: 4096, default order: 3, min order: 0',
		);
		expect(liveObjects(e, c)).toBe(n);
		expect(validateEngine(e)).toEqual([]);
	});

	it('falls back to the minimum order when no block of the preferred order is left', () => {
		const e = createEngine({memoryBytes: 4 << 20, cpus: 1});
		const filler = createCache(e, {name: 'filler', size: 64, flags: 0}); // order-0 slabs
		const big = createCache(e, {name: 'big', size: 5840, align: 64});
		if (!filler.ok || !big.ok) throw new Error('create failed');
		const objs: number[] = [];
		for (let o = allocObject(e, filler.value, 0); o !== NIL; o = allocObject(e, filler.value, 0)) objs.push(o);
		// Keep one page in every 8-page block: no order-3 block is left, order-1 blocks are.
		for (const o of objs) if ((o >> 12) % 8 !== 0) freeChecked(e, filler.value, o, 0);
		shrinkCache(e, filler.value);
		expect(e.freeCount[3]).toBe(0);
		const obj = allocObject(e, big.value, 0);
		expect(obj).not.toBe(NIL);
		expect(stats(e, big.value)).toMatchObject({order_fallback: 1, alloc_slab: 1});
		expect(e.pgOrder[obj >> 12]).toBe(e.caches[big.value].layout.minOrder);
		expect(oneCacheStats(e, big.value).numObjs).toBe(e.caches[big.value].layout.minObjects);
		expect(validateEngine(e)).toEqual([]);
	});

	it('runs the constructor on every object when a slab is made, never on allocation', () => {
		const e = createEngine({memoryBytes: 16 << 20, cpus: 1});
		let calls = 0;
		const r = createCache(e, {
			name: 'ctor-cache',
			size: 128,
			ctor: {
				name: 'init_once',
				run: (en, o) => {
					calls++;
					en.mem8[o] = 0x7e;
				},
			},
		});
		if (!r.ok) throw new Error(r.message);
		const a = allocObject(e, r.value, 0);
		expect(calls).toBe(e.caches[r.value].layout.objects);
		expect(e.mem8[a]).toBe(0x7e);
		e.mem8[a] = 1;
		freeChecked(e, r.value, a, 0);
		expect(allocObject(e, r.value, 0)).toBe(a);
		expect(calls).toBe(e.caches[r.value].layout.objects); // constructed state kept, no new call
		expect(e.mem8[a]).toBe(1);
	});

	it('zalloc zeroes object_size bytes', () => {
		const {e, c} = setup(1);
		const a = allocObject(e, c, 0);
		e.mem8.fill(0xff, a, a + 64);
		freeChecked(e, c, a, 0);
		const b = zallocObject(e, c, 0);
		expect(b).toBe(a);
		expect([...e.mem8.subarray(b, b + 64)].every(x => x === 0)).toBe(true);
	});
});

describe('free', () => {
	it('frees to the CPU freelist when the object is in this CPU slab (free_fastpath)', () => {
		const {e, c} = setup();
		const a = allocObject(e, c, 0);
		expect(freeChecked(e, c, a, 0)).toBe(FreeStatus.Ok);
		expect(stats(e, c)).toMatchObject({free_fastpath: 1});
		expect(allocObject(e, c, 0)).toBe(a); // LIFO
	});

	it('refuses a double free and a pointer inside an object, changing nothing', () => {
		const {e, c} = setup();
		const a = allocObject(e, c, 0);
		allocObject(e, c, 0);
		freeChecked(e, c, a, 0);
		const before = oneCacheStats(e, c);
		expect(freeChecked(e, c, a, 0)).toBe(FreeStatus.DoubleFree);
		expect(freeChecked(e, c, a + 72, 0)).toBe(FreeStatus.BadPointer);
		expect(freeChecked(e, c, e.memoryBytes - 64, 0)).toBe(FreeStatus.NotSlab);
		expect(oneCacheStats(e, c)).toEqual(before);
		expect(e.events.map(ev => ev.text.split('\n')[0])).toEqual([
			'------------[ cut here ]------------', // the object heads the CPU freelist: FREELIST_HARDENED's BUG
			expect.stringContaining('is not the start of an object: refused'),
			'virt_to_cache: Object is not a Slab page! (0x' + (e.memoryBytes - 64).toString(16).padStart(8, '0') + ')',
		]);
		expect(validateEngine(e)).toEqual([]);
	});

	it('an object freed to the wrong cache goes to its real owner after the kernel warning', () => {
		const {e, c} = setup();
		const other = createCache(e, {name: 'other', size: 128, flags: 0x10});
		if (!other.ok) throw new Error(other.message);
		const a = allocObject(e, c, 0);
		expect(freeChecked(e, other.value, a, 0)).toBe(FreeStatus.WrongCache);
		expect(e.events.at(-1)?.text).toBe('cache_from_obj: Wrong slab cache. other but object is from test-cache');
		expect(liveObjects(e, c)).toBe(0);
		expect(validateEngine(e)).toEqual([]);
	});
});

describe('shrink', () => {
	it('flushes the CPUs, frees every empty slab ignoring min_partial, and sorts the rest fullest first', () => {
		const {e, c} = setup(1);
		const objs = allocN(e, c, 0, 64 * 10);
		// slab k keeps k+1 objects (k < 8); slabs 8 and 9 become empty
		objs.forEach((o, i) => {
			const slab = Math.floor(i / 64);
			if (i % 64 > (slab < 8 ? slab : -1)) freeChecked(e, c, o, 0);
		});
		const r = shrinkCache(e, c);
		expect(r.ret).toBe(1);
		const node = slabStates(e, c).nodePartial;
		expect(oneCacheStats(e, c).numSlabs).toBe(8);
		expect(node.map(s => s.inuse).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		expect(r.slabsFreed).toBe(2);
		expect(validateEngine(e)).toEqual([]);
		for (const o of objs) if (!isObjectFree(e, c, e.pgHead[o >> 12], o)) freeChecked(e, c, o, 0);
		expect(shrinkCache(e, c)).toMatchObject({ret: 0});
		expect(e.nrFreePages).toBe(e.nrFrames);
	});

	it('orders slabs with 1..32 free objects by free count ahead of the others', () => {
		const e = createEngine({memoryBytes: 64 << 20, cpus: 1});
		const r = createCache(e, {name: 'k8', size: 8}); // 512 per slab
		if (!r.ok) throw new Error(r.message);
		const objs = allocN(e, r.value, 0, 512 * 6);
		const frees = [40, 3, 1, 100, 3, 2]; // free objects left per slab
		frees.forEach((f, s) => {
			for (let i = 0; i < f; i++) freeChecked(e, r.value, objs[s * 512 + i], 0);
		});
		shrinkCache(e, r.value);
		const order = slabStates(e, r.value).nodePartial.map(s => s.objects - s.inuse);
		expect(order).toEqual([1, 2, 3, 3, 40, 100]);
	});
});
