import {describe, expect, it} from 'vitest';
import {findCache, oneCacheStats, statCounters, validateEngine} from '../../source/engine/index.js';
import {listPresets, PRESET_NAMES, presetWorkload} from '../../source/workload/presets.js';
import {boot, runUntil, start, tick} from './run-helper.js';

describe('workload presets', () => {
	it('are the seven of the README, each with a description', () => {
		expect(PRESET_NAMES).toEqual(['steady', 'fork-storm', 'dentry-flood', 'net-burst', 'fragment', 'leak', 'pressure']);
		for (const p of listPresets()) expect(p.description.length).toBeGreaterThan(20);
	});

	it('give each phase one line of what to watch', () => {
		for (const p of listPresets()) {
			for (const phase of p.phases) expect(phase.watch.length, `${p.name} ${phase.name}`).toBeGreaterThan(20);
		}
	});

	// 1x is 100 ticks a second: two minutes are 12000 ticks, on the default 512 MiB machine.
	it.each(PRESET_NAMES)('%s repeats or lasts at least two minutes at 1x', name => {
		const w = presetWorkload(name)!;
		if (w.repeat) return;
		const m = boot(1, 512 * 2 ** 20);
		const run = start(m, w);
		let ticks = 0;
		while (!run.isFinished && ticks < 30_000) {
			tick(m, run);
			ticks++;
		}
		expect(run.isFinished).toBe(true);
		expect(ticks).toBeGreaterThanOrEqual(12_000);
	});

	it('repeating presets are steady, fork-storm and net-burst', () => {
		expect(PRESET_NAMES.filter(name => presetWorkload(name)!.repeat)).toEqual(['steady', 'fork-storm', 'net-burst']);
	});

	/** Objects each preset allocates in its first 600 ticks on the default machine (the committed 6.18 capture), seed 1. */
	const ALLOCATED: Record<string, number> = {
		steady: 138_356,
		'fork-storm': 3159,
		'dentry-flood': 45_363,
		'net-burst': 60_094,
		fragment: 11_990,
		leak: 56_858,
		pressure: 13_183,
	};

	it.each(PRESET_NAMES)('%s runs 600 ticks the same on every run and leaves the engine consistent', name => {
		const m = boot();
		const run = start(m, presetWorkload(name)!);
		for (let i = 0; i < 600 && !run.isFinished; i++) tick(m, run);
		expect(run.allocated).toBe(ALLOCATED[name]);
		expect(validateEngine(m.engine)).toEqual([]);
	});
});

describe('pressure', () => {
	it('runs memory out: allocation failures as events, then drop_caches and shrinking', () => {
		const m = boot(1, 128 * 2 ** 20);
		const run = start(m, presetWorkload('pressure')!);
		runUntil(m, run, () => run.phaseIndex === 1);
		// The fill ends in the tick of its 50th failure (two loads failed in that tick: 51); the starved phase goes on failing.
		expect(run.failures).toBe(51);
		const failures = m.engine.events.filter(ev => ev.kind === 'alloc-failure');
		expect(failures).toHaveLength(51);
		runUntil(m, run, () => run.phaseIndex === 2);
		expect(run.failures).toBe(5472);
		expect(failures[0].text).toMatch(/Unable to allocate memory|out of memory/i);
		const freeBefore = m.engine.nrFreePages;
		tick(m, run);
		tick(m, run);
		expect(m.engine.nrFreePages - freeBefore).toBe(16_502);
		expect(run.log.map(l => l.text)).toContain(
			'workload pressure: drop_caches: 305289 objects freed in 52 reclaimable caches, 11690 slabs (13364 pages) released',
		);
		runUntil(m, run);
		expect(validateEngine(m.engine)).toEqual([]);
	});
});

describe('fragment', () => {
	it('leaves many partial slabs at low use, then shrink and release free every slab', () => {
		const m = boot();
		const run = start(m, presetWorkload('fragment')!);
		const id = findCache(m.engine, 'fragment_demo');
		runUntil(m, run, () => run.phaseIndex === 2);
		const fragmented = oneCacheStats(m.engine, id);
		// 2277 of 2291 slabs partial, 16% of the objects in use.
		expect([fragmented.partial, fragmented.numSlabs, fragmented.inUse, fragmented.numObjs]).toEqual([
			2277, 2291, 5980, 36_656,
		]);
		runUntil(m, run, () => run.phaseIndex === 3);
		const shrunk = oneCacheStats(m.engine, id);
		expect(shrunk.cpuSlabs).toBe(0); // shrink flushed every CPU slab to the node list
		expect(shrunk.partial).toBe(shrunk.numSlabs);
		runUntil(m, run, () => run.phaseIndex === 4);
		const refilled = oneCacheStats(m.engine, id);
		expect(refilled.numSlabs).toBe(shrunk.numSlabs); // new objects went into the partial slabs
		expect([shrunk.inUse, refilled.inUse]).toEqual([5980, 16_083]);
		runUntil(m, run);
		const released = oneCacheStats(m.engine, id);
		expect(released.inUse).toBe(0);
		expect(released.numSlabs).toBe(0);
		expect(validateEngine(m.engine)).toEqual([]);
	});
});

describe('dentry-flood', () => {
	it('grows the dentry and inode caches, then drop_caches shrinks them', () => {
		const m = boot(2, 512 * 2 ** 20);
		const run = start(m, presetWorkload('dentry-flood')!);
		const dentry = findCache(m.engine, 'dentry');
		const ext4 = findCache(m.engine, 'ext4_inode_cache');
		const before = oneCacheStats(m.engine, dentry).numObjs;
		runUntil(m, run, () => run.phaseIndex === 2);
		const grown = oneCacheStats(m.engine, dentry);
		const grownInodes = oneCacheStats(m.engine, ext4);
		expect([before, grown.numObjs]).toEqual([115_542, 359_646]);
		runUntil(m, run);
		expect([grown.numSlabs, oneCacheStats(m.engine, dentry).numSlabs]).toEqual([17_126, 1377]);
		expect([grownInodes.numSlabs, oneCacheStats(m.engine, ext4).numSlabs]).toEqual([11_095, 1483]);
		expect(validateEngine(m.engine)).toEqual([]);
	});
});

describe('net-burst', () => {
	it('allocates skbuff_head_cache objects on CPU 0 and frees them on the other CPU', () => {
		const m = boot();
		const id = findCache(m.engine, 'skbuff_head_cache');
		const perCpu = (name: string): number[] => statCounters(m.engine, id).find(c => c.name === name)!.perCpu;
		const sum = (names: string[], cpu: number): number => names.reduce((total, name) => total + perCpu(name)[cpu], 0);
		const allocs = ['alloc_fastpath', 'alloc_slowpath'];
		const frees = ['free_fastpath', 'free_slowpath'];
		const before = {alloc: [sum(allocs, 0), sum(allocs, 1)], free: [sum(frees, 0), sum(frees, 1)]};
		const run = start(m, presetWorkload('net-burst')!);
		for (let i = 0; i < 300; i++) tick(m, run);
		expect(sum(allocs, 0) - before.alloc[0]).toBe(11_993); // the first bursts
		expect(sum(allocs, 1)).toBe(before.alloc[1]);
		expect(sum(frees, 1) - before.free[1]).toBe(11_692);
		expect(sum(frees, 0)).toBe(before.free[0]);
		expect(validateEngine(m.engine)).toEqual([]);
	});
});

describe('leak', () => {
	it('only ever grows kmalloc-192 while the other caches churn', () => {
		const m = boot();
		const id = findCache(m.engine, 'kmalloc-192');
		const filp = findCache(m.engine, 'filp');
		const before = oneCacheStats(m.engine, id);
		const run = start(m, presetWorkload('leak')!);
		let last = before.inUse;
		let filpFrees = oneCacheStats(m.engine, filp).frees;
		while (!run.isFinished) {
			tick(m, run);
			const inUse = oneCacheStats(m.engine, id).inUse;
			expect(inUse).toBeGreaterThanOrEqual(last);
			last = inUse;
		}
		expect(oneCacheStats(m.engine, id).frees).toBe(before.frees); // nothing ever frees it
		expect(last - before.inUse).toBe(359_651); // 12000 ticks at 30 a tick, Poisson-drawn
		filpFrees = oneCacheStats(m.engine, filp).frees - filpFrees;
		expect(filpFrees).toBe(235_318); // the churn elsewhere frees
	});
});

describe('fork-storm', () => {
	it('grows the process caches during the storm and shrinks them again during the exits', () => {
		const m = boot();
		const names = ['task_struct', 'mm_struct', 'vm_area_struct', 'files_cache', 'signal_cache'];
		const inUse = () => names.map(name => oneCacheStats(m.engine, findCache(m.engine, name)).inUse);
		const run = start(m, presetWorkload('fork-storm')!);
		runUntil(m, run, () => run.phaseIndex === 1);
		const beforeStorm = inUse();
		runUntil(m, run, () => run.phaseIndex === 2);
		const afterStorm = inUse();
		runUntil(m, run, () => run.phaseIndex === 3);
		const afterExits = inUse();
		// task_struct, mm_struct, vm_area_struct, files_cache, signal_cache objects in use.
		expect(beforeStorm).toEqual([355, 62, 11_635, 74, 128]);
		expect(afterStorm).toEqual([1102, 940, 26_800, 926, 939]);
		expect(afterExits).toEqual([237, 62, 9751, 74, 128]);
		expect(validateEngine(m.engine)).toEqual([]);
	});
});
