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

	it.each(PRESET_NAMES)('%s runs 600 ticks and leaves the engine consistent', name => {
		const m = boot();
		const run = start(m, presetWorkload(name)!);
		for (let i = 0; i < 600 && !run.isFinished; i++) tick(m, run);
		expect(run.allocated).toBeGreaterThan(0);
		expect(validateEngine(m.engine)).toEqual([]);
	});
});

describe('pressure', () => {
	it('runs memory out: allocation failures as events, then drop_caches and shrinking', () => {
		const m = boot(1, 128 * 2 ** 20);
		const run = start(m, presetWorkload('pressure')!);
		runUntil(m, run, () => run.phaseIndex === 1);
		expect(run.failures).toBeGreaterThanOrEqual(50);
		runUntil(m, run, () => run.phaseIndex === 2); // starved: more failures, nothing freed
		expect(run.failures).toBeGreaterThan(50);
		const failures = m.engine.events.filter(ev => ev.kind === 'alloc-failure');
		expect(failures.length).toBeGreaterThan(0);
		expect(failures[0].text).toMatch(/Unable to allocate memory|out of memory/i);
		const freeBefore = m.engine.nrFreePages;
		tick(m, run);
		tick(m, run);
		expect(m.engine.nrFreePages).toBeGreaterThan(freeBefore + 1000);
		expect(run.log.map(l => l.text).join('\n')).toMatch(/drop_caches: \d+ objects freed/);
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
		expect(fragmented.partial).toBeGreaterThan(fragmented.numSlabs * 0.8);
		expect(fragmented.inUse / fragmented.numObjs).toBeLessThan(0.3);
		runUntil(m, run, () => run.phaseIndex === 3);
		const shrunk = oneCacheStats(m.engine, id);
		expect(shrunk.cpuSlabs).toBe(0); // shrink flushed every CPU slab to the node list
		expect(shrunk.partial).toBe(shrunk.numSlabs);
		runUntil(m, run, () => run.phaseIndex === 4);
		const refilled = oneCacheStats(m.engine, id);
		expect(refilled.numSlabs).toBe(shrunk.numSlabs); // new objects went into the partial slabs
		expect(refilled.inUse).toBeGreaterThan(shrunk.inUse);
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
		expect(grown.numObjs).toBeGreaterThan(before + 150_000);
		runUntil(m, run);
		expect(oneCacheStats(m.engine, dentry).numSlabs).toBeLessThan(grown.numSlabs / 5);
		expect(oneCacheStats(m.engine, ext4).numSlabs).toBeLessThan(grownInodes.numSlabs / 5);
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
		expect(sum(allocs, 0)).toBeGreaterThan(before.alloc[0] + 2000); // the first bursts
		expect(sum(allocs, 1)).toBe(before.alloc[1]);
		expect(sum(frees, 1)).toBeGreaterThan(before.free[1] + 2000);
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
		expect(last - before.inUse).toBeGreaterThan(12_000 * 30 * 0.95);
		filpFrees = oneCacheStats(m.engine, filp).frees - filpFrees;
		expect(filpFrees).toBeGreaterThan(0); // the churn elsewhere frees
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
		names.forEach((name, i) => {
			expect(afterStorm[i], name).toBeGreaterThan(beforeStorm[i] + 100);
			expect(afterExits[i], name).toBeLessThan(afterStorm[i]);
		});
		expect(validateEngine(m.engine)).toEqual([]);
	});
});
