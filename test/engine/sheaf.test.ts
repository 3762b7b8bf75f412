import {describe, expect, it} from 'vitest';
import {
	NIL,
	allocBulk,
	allocObject,
	createCache,
	createEngine,
	freeBulkOwned,
	kfreeOwned,
	oneCacheStats,
	sheafObjects,
	shrinkCache,
	statCounters,
	validateEngine,
	type Engine,
} from '../../source/engine/index.js';

// The 6.18 sheaf and barn paths on a small cache (sheaf capacity 4, 1 CPU), step by step; the
// counters expected are worked out by hand from mm/slub.c (docs/sheaves.md).

function machine(cpus = 1): {e: Engine; id: number} {
	const e = createEngine({memoryBytes: 64 * 2 ** 20, cpus});
	const made = createCache(e, {name: 'sheafy', size: 200, flags: 0, sheafCapacity: 4});
	if (!made.ok) throw new Error(made.message);
	return {e, id: made.value};
}

function nonZero(e: Engine, id: number): Record<string, number> {
	return Object.fromEntries(
		statCounters(e, id)
			.filter(c => c.total !== 0)
			.map(c => [c.name, c.total]),
	);
}

function shape(e: Engine, id: number): {main: number[]; spare: number | null; barnFull: number; barnEmpty: number} {
	const sh = e.sheaves[id]!;
	return {
		main: sh.pcs.map(p => p.main.size),
		spare: sh.pcs[0].spare?.size ?? null,
		barnFull: sh.barn.full.length,
		barnEmpty: sh.barn.empty.length,
	};
}

describe('sheaves and the barn', () => {
	it('a cache created with a sheaf capacity gets an empty main sheaf per CPU (sheaf_alloc)', () => {
		const {e, id} = machine(2);
		expect(nonZero(e, id)).toEqual({sheaf_alloc: 2});
		expect(e.sheaves[id]!.pcs.map(p => p.main.size)).toEqual([0, 0]);
	});

	it('the first allocation misses the barn, refills a new sheaf from a new slab and takes its top object', () => {
		const {e, id} = machine();
		const obj = allocObject(e, id, 0);
		expect(obj).not.toBe(NIL);
		// __pcs_replace_empty_main: no spare, barn empty (barn_get_fail), a new sheaf
		// (sheaf_alloc) refilled with 4 objects through the slab layer: one slow path that takes
		// a new slab, three fast-path pops; the empty main goes to the barn.
		expect(nonZero(e, id)).toEqual({
			alloc_cpu_sheaf: 1,
			alloc_fastpath: 3,
			alloc_slowpath: 1,
			alloc_slab: 1,
			sheaf_alloc: 2,
			sheaf_refill: 4,
			barn_get_fail: 1,
		});
		expect(shape(e, id)).toEqual({main: [3], spare: null, barnFull: 0, barnEmpty: 1});
		// Objects in sheaves count as in use, as in /proc/slabinfo.
		expect(oneCacheStats(e, id).activeObjs).toBe(20);
		expect(validateEngine(e)).toEqual([]);
	});

	it('frees fill the main sheaf, swap in an empty one from the barn, then trade full sheaves with the barn', () => {
		const {e, id} = machine();
		const objs: number[] = [];
		for (let i = 0; i < 12; i++) objs.push(allocObject(e, id, 0));
		// 12 allocations: refills at the 1st, 5th and 9th (the barn's empty sheaf reused each time).
		expect(nonZero(e, id)).toMatchObject({alloc_cpu_sheaf: 12, sheaf_refill: 12, barn_get_fail: 3, sheaf_alloc: 2});
		expect(shape(e, id)).toEqual({main: [0], spare: null, barnFull: 0, barnEmpty: 1});
		for (const obj of objs.slice(0, 4)) kfreeOwned(e, obj, 0);
		expect(shape(e, id)).toEqual({main: [4], spare: null, barnFull: 0, barnEmpty: 1});
		// Main full, no spare: the barn's empty sheaf becomes main, the full one the spare.
		kfreeOwned(e, objs[4], 0);
		expect(shape(e, id)).toEqual({main: [1], spare: 4, barnFull: 0, barnEmpty: 0});
		for (const obj of objs.slice(5, 8)) kfreeOwned(e, obj, 0);
		// Main and spare full, barn without empty sheaves: a new empty sheaf (sheaf_alloc), the
		// full main to the barn (barn_put).
		kfreeOwned(e, objs[8], 0);
		expect(shape(e, id)).toEqual({main: [1], spare: 4, barnFull: 1, barnEmpty: 0});
		expect(nonZero(e, id)).toMatchObject({free_cpu_sheaf: 9, sheaf_alloc: 3, barn_put: 1});
		// Allocations and frees as callers made them (ALLOC_PCS, FREE_PCS), not what refills took.
		expect(oneCacheStats(e, id)).toMatchObject({allocs: 12, frees: 9, inUse: 3});
		expect(nonZero(e, id).free_fastpath ?? 0).toBe(0);
		// The next allocations take from main, then the full spare is swapped in.
		for (let i = 0; i < 5; i++) allocObject(e, id, 0);
		expect(shape(e, id)).toEqual({main: [0], spare: 0, barnFull: 1, barnEmpty: 0});
		// Main and spare empty: a full sheaf from the barn (barn_get), the empty main to the barn.
		allocObject(e, id, 0);
		expect(shape(e, id)).toEqual({main: [3], spare: 0, barnFull: 0, barnEmpty: 1});
		expect(nonZero(e, id)).toMatchObject({barn_get: 1});
		expect(validateEngine(e)).toEqual([]);
	});

	it('a barn with MAX_FULL_SHEAVES full sheaves refuses another (barn_put_fail): the spare is flushed to its slabs', () => {
		const {e, id} = machine();
		const objs = new Int32Array(4 * 13);
		for (let i = 0; i < objs.length; i++) objs[i] = allocObject(e, id, 0);
		for (const obj of objs) kfreeOwned(e, obj, 0);
		// 52 frees: main and spare full (8), ten full sheaves in the barn (40), then one more full main.
		const counters = nonZero(e, id);
		expect(shape(e, id).barnFull).toBe(10);
		expect(counters.barn_put_fail).toBe(1);
		expect(counters.sheaf_flush).toBe(4);
		expect(counters.free_slowpath + (counters.free_fastpath ?? 0)).toBeGreaterThan(0);
		expect(validateEngine(e)).toEqual([]);
	});

	it('kmem_cache_shrink flushes every sheaf and empties the barn, so empty slabs go back', () => {
		const {e, id} = machine();
		const objs: number[] = [];
		for (let i = 0; i < 30; i++) objs.push(allocObject(e, id, 0));
		for (const obj of objs) kfreeOwned(e, obj, 0);
		expect(oneCacheStats(e, id).activeObjs).toBeGreaterThan(0);
		const held = sheafObjects(e.sheaves[id]!);
		expect(held).toBe(30 + 2); // the 30 freed, plus 2 refilled and never handed out
		const before = nonZero(e, id);
		const r = shrinkCache(e, id);
		const after = nonZero(e, id);
		expect(r.ret).toBe(0);
		expect(oneCacheStats(e, id).numSlabs).toBe(0);
		expect(shape(e, id)).toEqual({main: [0], spare: null, barnFull: 0, barnEmpty: 0});
		expect(after.sheaf_flush - (before.sheaf_flush ?? 0)).toBe(held);
		expect(after.sheaf_free).toBeGreaterThan(before.sheaf_free ?? 0);
		expect(validateEngine(e)).toEqual([]);
	});

	it('bulk allocation and free go through the sheaves first', () => {
		const {e, id} = machine();
		allocObject(e, id, 0); // main now holds 3
		const out = new Int32Array(10);
		expect(allocBulk(e, id, 0, 10, out)).toBe(10);
		expect(nonZero(e, id).alloc_cpu_sheaf).toBe(1 + 3);
		// main takes 4, the barn's empty sheaf becomes main and takes 4 (the full one the spare);
		// then main and spare are full and the barn has no empty sheaf: barn_put_fail, the last 2
		// go to their slab.
		expect(freeBulkOwned(e, id, 0, out, 10)).toBe(10);
		expect(nonZero(e, id)).toMatchObject({free_cpu_sheaf: 8, barn_put_fail: 1});
		expect(validateEngine(e)).toEqual([]);
	});
});
