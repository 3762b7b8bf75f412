import {describe, expect, it} from 'vitest';
import {cacheStats, findCache, oneCacheStats, statCounters, validateEngine} from '../../source/engine/index.js';
import {startWorkload} from '../../source/workload/generator.js';
import {fromValue} from '../../source/workload/parse.js';
import {entryObject, poolEntries, poolOf} from '../../source/workload/pools.js';
import {presetWorkload} from '../../source/workload/presets.js';
import type {Workload} from '../../source/workload/types.js';
import {boot, runUntil, start, tick} from './run-helper.js';

function workload(value: unknown): Workload {
	const parsed = fromValue(value, 'test');
	if (!parsed.ok) throw new Error(parsed.error.message);
	return parsed.value;
}

const oneLoad = (load: Record<string, unknown>, ticks = 100) =>
	workload({phases: [{name: 'p', ticks, caches: [{cache: 'kmalloc-64', ...load}]}]});

const figures = (seed: number, name: string, ticks: number) => {
	const m = boot(seed);
	const run = start(m, presetWorkload(name)!);
	const out: string[] = [];
	for (let i = 0; i < ticks; i++) {
		tick(m, run);
		if (i % 50 === 49)
			out.push(JSON.stringify(cacheStats(m.engine).map(s => [s.name, s.activeObjs, s.numObjs, s.numSlabs, s.partial])));
	}
	return out;
};

describe('the workload generator', () => {
	it('gives the same statistics tick for tick for the same workload and seed', () => {
		expect(figures(5, 'steady', 300)).toEqual(figures(5, 'steady', 300));
		expect(figures(5, 'net-burst', 300)).not.toEqual(figures(6, 'net-burst', 300));
	});

	it('allocates rate objects per tick on average and frees them when a fixed lifetime ends', () => {
		const m = boot();
		const id = findCache(m.engine, 'kmalloc-64');
		const base = oneCacheStats(m.engine, id).inUse;
		const run = start(m, oneLoad({rate: 20, lifetime: {kind: 'fixed', ticks: 10}}, 200));
		for (let i = 0; i < 200; i++) tick(m, run);
		expect(run.allocated).toBeGreaterThan(3600);
		expect(run.allocated).toBeLessThan(4400);
		// Live: what the last 10 ticks allocated, about rate × lifetime.
		const live = oneCacheStats(m.engine, id).inUse - base;
		expect(live).toBeGreaterThan(120);
		expect(live).toBeLessThan(280);
		for (let i = 0; i < 11; i++) tick(m, null);
		expect(oneCacheStats(m.engine, id).inUse).toBe(base);
	});

	it('settles at about rate × mean live objects with exponential lifetimes', () => {
		const m = boot();
		const id = findCache(m.engine, 'kmalloc-64');
		const base = oneCacheStats(m.engine, id).inUse;
		const run = start(m, oneLoad({rate: 10, lifetime: {kind: 'exponential', mean: 50}}, 1000));
		for (let i = 0; i < 1000; i++) tick(m, run);
		const live = oneCacheStats(m.engine, id).inUse - base;
		expect(live).toBeGreaterThan(350);
		expect(live).toBeLessThan(650);
	});

	it('allocates bursts on their ticks', () => {
		const m = boot();
		const run = start(
			m,
			oneLoad({rate: 0, lifetime: {kind: 'forever'}, burst: {every: 10, count: 100, offset: 3}}, 30),
		);
		const counts: number[] = [];
		for (let i = 0; i < 30; i++) {
			tick(m, run);
			counts.push(run.allocated);
		}
		expect(counts[2]).toBe(0);
		expect(counts[3]).toBe(100);
		expect(counts[12]).toBe(100);
		expect(counts[13]).toBe(200);
		expect(counts[29]).toBe(300);
	});

	it('frees on the CPU the load says: "other" never frees on the allocating CPU', () => {
		const m = boot();
		const id = findCache(m.engine, 'kmalloc-256');
		const perCpu = (name: string) => statCounters(m.engine, id).find(c => c.name === name)!.perCpu;
		const before = {fast: perCpu('free_fastpath'), slow: perCpu('free_slowpath'), alloc: perCpu('alloc_fastpath')};
		const beforeFrees = oneCacheStats(m.engine, id).frees;
		const run = start(
			m,
			workload({
				phases: [
					{
						name: 'p',
						ticks: 50,
						caches: [
							{cache: 'kmalloc-256', rate: 30, lifetime: {kind: 'fixed', ticks: 5}, allocCpu: 0, freeCpu: 'other'},
						],
					},
				],
			}),
		);
		runUntil(m, run);
		for (let i = 0; i < 6; i++) tick(m, null);
		expect(perCpu('alloc_fastpath')[0]).toBeGreaterThan(before.alloc[0] + 1000);
		expect(perCpu('alloc_fastpath')[1]).toBe(before.alloc[1]);
		expect(perCpu('free_fastpath')[0]).toBe(before.fast[0]);
		expect(perCpu('free_slowpath')[0]).toBe(before.slow[0]);
		expect(perCpu('free_fastpath')[1] + perCpu('free_slowpath')[1]).toBeGreaterThan(before.fast[1] + before.slow[1]);
		expect(oneCacheStats(m.engine, id).frees - beforeFrees).toBe(run.allocated); // every one freed, none twice
		expect(validateEngine(m.engine)).toEqual([]);
	});

	it('scales rates with rateScale', () => {
		const m1 = boot();
		const r1 = start(m1, oneLoad({rate: 10, lifetime: {kind: 'forever'}}, 100));
		runUntil(m1, r1);
		const m2 = boot();
		const r2 = start(m2, oneLoad({rate: 10, lifetime: {kind: 'forever'}}, 100), 3);
		runUntil(m2, r2);
		expect(r2.allocated / r1.allocated).toBeGreaterThan(2.6);
		expect(r2.allocated / r1.allocated).toBeLessThan(3.4);
	});

	it('refuses, touching nothing, a workload naming an unknown cache or a missing CPU', () => {
		const m = boot();
		const caches = m.engine.cacheOrderList.length;
		const bad = workload({
			caches: [{name: 'new_one', size: 64}],
			phases: [{name: 'p', ticks: 5, caches: [{cache: 'no_such', rate: 1, lifetime: {kind: 'forever'}}]}],
		});
		expect(startWorkload(m.engine, bad, m.prng)).toEqual({
			ok: false,
			error: {
				kind: 'invalid-workload',
				message:
					'phases[0].caches[0].cache: no cache named "no_such" (define it under "caches" or use an existing one)',
			},
		});
		const cpu = oneLoad({rate: 1, lifetime: {kind: 'forever'}, freeCpu: 7});
		expect(startWorkload(m.engine, cpu, m.prng)).toEqual({
			ok: false,
			error: {
				kind: 'invalid-workload',
				message: 'phases[0].caches[0].freeCpu: CPU 7 does not exist (the machine has CPUs 0-1; see --cpus)',
			},
		});
		expect(m.engine.cacheOrderList.length).toBe(caches);
	});

	it('refuses, creating none of them, a workload whose cache definitions include one that cannot be created', () => {
		const m = boot();
		const caches = [...m.engine.cacheOrderList];
		const phases = [{name: 'p', ticks: 5, caches: [{cache: 'good_one', rate: 1, lifetime: {kind: 'forever'}}]}];
		const tooBig = workload({
			caches: [
				{name: 'good_one', size: 64},
				{name: 'too_big', size: 5 * 2 ** 20},
			],
			phases,
		});
		expect(startWorkload(m.engine, tooBig, m.prng)).toEqual({
			ok: false,
			error: {kind: 'invalid-workload', message: 'caches[1]: object size 5242880 is too large (at most 4194304)'},
		});
		const badName = workload({
			caches: [
				{name: 'good_one', size: 64},
				{name: 'bad name', size: 64},
			],
			phases,
		});
		expect(startWorkload(m.engine, badName, m.prng)).toEqual({
			ok: false,
			error: {
				kind: 'invalid-workload',
				message: 'caches[1].name: bad cache name "bad name": use 1-64 letters, digits and _ : . ( ) + -',
			},
		});
		expect(m.engine.cacheOrderList).toEqual(caches);
		expect(findCache(m.engine, 'good_one')).toBe(-1);
		expect(startWorkload(m.engine, workload({caches: [{name: 'good_one', size: 64}], phases}), m.prng).ok).toBe(true);
		expect(findCache(m.engine, 'good_one')).toBeGreaterThanOrEqual(0);
	});

	it.each([
		['oldest', (order: number[]) => order.slice(30)],
		['newest', (order: number[]) => order.slice(0, 70)],
	] as const)('the free action with pick %s frees that end of the held objects', (pick, kept) => {
		const m = boot();
		const run = start(
			m,
			workload({
				caches: [{name: 'picked', size: 64, flags: 'NO_MERGE'}],
				phases: [
					{
						name: 'fill',
						ticks: 10,
						caches: [{cache: 'picked', rate: 0, lifetime: {kind: 'forever'}, burst: {every: 1, count: 10}}],
					},
					{name: 'free', ticks: 2, actions: [{at: 0, kind: 'free', cache: 'picked', fraction: 0.3, pick}]},
				],
			}),
		);
		const id = findCache(m.engine, 'picked');
		runUntil(m, run, () => run.phaseIndex === 1);
		const pool = poolOf(m.pools, id);
		const inAllocationOrder = Array.from(poolEntries(m.pools, pool), place => entryObject(m.pools, place));
		expect(inAllocationOrder.length).toBe(100);
		tick(m, run);
		const left = Array.from(poolEntries(m.pools, pool), place => entryObject(m.pools, place)).sort((a, b) => a - b);
		expect(left).toEqual([...kept(inAllocationOrder)].sort((a, b) => a - b));
		expect(oneCacheStats(m.engine, id).inUse).toBe(70);
		expect(run.log.at(-1)?.text).toBe(`workload test: freed 30 ${pick} objects of picked`);
		expect(validateEngine(m.engine)).toEqual([]);
	});

	it('creates the caches a workload defines', () => {
		const m = boot();
		const run = start(
			m,
			workload({
				caches: [{name: 'my_objects', size: 200, flags: 'HWCACHE_ALIGN|NO_MERGE'}],
				phases: [{name: 'p', ticks: 20, caches: [{cache: 'my_objects', rate: 10, lifetime: {kind: 'forever'}}]}],
			}),
		);
		runUntil(m, run);
		const st = oneCacheStats(m.engine, findCache(m.engine, 'my_objects'));
		expect(st.name).toBe('my_objects');
		expect(st.inUse).toBe(run.allocated);
	});

	it('repeats a repeating workload and logs each phase', () => {
		const m = boot();
		const run = start(
			m,
			workload({
				repeat: true,
				phases: [
					{name: 'a', ticks: 2},
					{name: 'b', ticks: 3},
				],
			}),
		);
		for (let i = 0; i < 11; i++) tick(m, run);
		expect(run.loops).toBe(2);
		expect(run.isFinished).toBe(false);
		expect(run.log.map(l => l.text)).toEqual([
			'workload test: phase 1/2 "a" (2 ticks)',
			'workload test: phase 2/2 "b" (3 ticks)',
			'workload test: phase 1/2 "a" (2 ticks)',
			'workload test: phase 2/2 "b" (3 ticks)',
			'workload test: phase 1/2 "a" (2 ticks)',
		]);
	});
});
