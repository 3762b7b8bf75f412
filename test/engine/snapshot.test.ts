import {describe, expect, it} from 'vitest';
import {
	allocObject,
	cacheStats,
	createCache,
	createEngine,
	freeChecked,
	memoryStats,
	oneCacheStats,
	slabMap,
	slabStates,
	statFileText,
	statCounters,
	type Engine,
} from '../../source/engine/index.js';

function setup(): {e: Engine; c: number; objs: number[]} {
	const e = createEngine({memoryBytes: 16 << 20, cpus: 1});
	const r = createCache(e, {name: 'snap', size: 64});
	if (!r.ok) throw new Error(r.message);
	const objs: number[] = [];
	for (let i = 0; i < 64 * 7; i++) objs.push(allocObject(e, r.value, 0));
	return {e, c: r.value, objs};
}

describe('snapshots', () => {
	it('counts active_objs as the kernel does: free objects count only on node partial slabs', () => {
		const {e, c, objs} = setup();
		// 6 full slabs + the CPU slab (full). Free 3 objects from each of slabs 0..5: each goes to
		// the CPU partial list; the 5th drains 4 to the node.
		for (let s = 0; s < 6; s++) for (let i = 0; i < 3; i++) freeChecked(e, c, objs[s * 64 + i], 0);
		const st = oneCacheStats(e, c);
		expect([st.numSlabs, st.partial, st.cpuPartialSlabs]).toEqual([7, 4, 2]);
		expect(st.numObjs).toBe(448);
		expect(st.inUse).toBe(448 - 18);
		expect(st.activeObjs).toBe(448 - 4 * 3); // free objects on CPU partial slabs count as active
		expect(st.objectsPartial).toBe(4 * 61);
		expect(st.full).toBe(0);
		expect(st.cpuSlabs).toBe(1 + 2);
	});

	it('lists slabs by state and maps every slab with its fullness', () => {
		const {e, c, objs} = setup();
		freeChecked(e, c, objs[0], 0);
		const states = slabStates(e, c);
		expect(states.cpuSlab[0]?.inuse).toBe(64);
		expect(states.cpuPartial[0].map(s => s.inuse)).toEqual([63]);
		expect(states.full).toBe(5);
		const map = slabMap(e, c);
		expect(map).toHaveLength(7);
		expect(map.map(cell => cell.used).sort((a, b) => a - b)).toEqual([63, 64, 64, 64, 64, 64, 64]);
	});

	it('prints SLUB_STATS counters as the sysfs files do', () => {
		const e = createEngine({memoryBytes: 16 << 20, cpus: 2});
		const r = createCache(e, {name: 'two', size: 64});
		if (!r.ok) throw new Error(r.message);
		allocObject(e, r.value, 1);
		allocObject(e, r.value, 1);
		const fast = statCounters(e, r.value).find(s => s.name === 'alloc_fastpath');
		expect(fast && statFileText(fast)).toBe('1 C1=1');
	});

	it('lists live caches newest first, as /proc/slabinfo', () => {
		const e = createEngine({memoryBytes: 16 << 20});
		for (const name of ['first', 'second', 'third']) createCache(e, {name, size: 32 + name.length * 8, flags: 0x1000});
		expect(cacheStats(e).map(s => s.name)).toEqual(['third', 'second', 'first']);
	});

	it('accounts pages in slabs and free pages', () => {
		const {e} = setup();
		const m = memoryStats(e);
		expect(m.slabPages).toBe(7);
		expect(m.freePages + m.slabPages).toBe(m.totalPages);
		expect(m.freeBlocks.reduce((sum, n, order) => sum + n * 2 ** order, 0)).toBe(m.freePages);
	});
});
