import {describe, expect, it} from 'vitest';
import {findCache, oneCacheStats, validateEngine} from '../../source/engine/index.js';
import {parseWorkload} from '../../source/workload/parse.js';
import {listPresets, PRESET_NAMES, presetJson, presetWorkload} from '../../source/workload/presets.js';
import {boot, runUntil, start, tick} from './run-helper.js';

describe('workload presets', () => {
	it('are the seven of product.md, each with a description', () => {
		expect(PRESET_NAMES).toEqual(['steady', 'fork-storm', 'dentry-flood', 'net-burst', 'fragment', 'leak', 'pressure']);
		for (const p of listPresets()) expect(p.description.length).toBeGreaterThan(20);
	});

	it('are data in the workload file format', () => {
		for (const name of PRESET_NAMES) {
			const parsed = parseWorkload(presetJson(name) ?? '', name);
			expect(parsed.ok, name).toBe(true);
			expect(parsed.ok && parsed.workload).toEqual(presetWorkload(name));
		}
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
