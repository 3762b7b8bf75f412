import {describe, expect, it} from 'vitest';
import {Stat, STAT_COUNT, type Engine} from '../../source/engine/index.js';
import {PRESET_NAMES, presetWorkload} from '../../source/workload/presets.js';
import {parseWorkload} from '../../source/workload/parse.js';
import {boot, start, tick} from './run-helper.js';

// The kernel's users free their objects one kmem_cache_free() at a time: every object whose
// lifetime ends, every object a workload `free` action or drop_caches gives back. Each such call
// is one FREE_FASTPATH or one FREE_SLOWPATH (a cache without sheaves), so the two counters add
// up to the objects freed one by one. Only a `bulk` free step goes through
// kmem_cache_free_bulk, whose detached freelists count several objects per FREE_SLOWPATH.

function freeCounters(e: Engine): number[] {
	const out: number[] = [];
	for (let cache = 0; cache < e.caches.length; cache++) {
		let sum = 0;
		for (let cpu = 0; cpu < e.cpus; cpu++) {
			const base = (cache * e.cpus + cpu) * STAT_COUNT;
			sum += e.stats[base + Stat.FreeFastpath] + e.stats[base + Stat.FreeSlowpath];
		}
		out.push(sum);
	}
	return out;
}

describe('frees as the kernel does them', () => {
	it.each(PRESET_NAMES)(
		'%s: free_fastpath + free_slowpath equal the objects freed one by one, in every cache without sheaves',
		name => {
			const m = boot(1, 512 * 2 ** 20, 2);
			const e = m.engine;
			const before = freeCounters(e);
			const singlyBefore = [...m.pools.freedSingly];
			const w = presetWorkload(name)!;
			const run = start(m, w);
			// One pass through every phase (the presets free in their later phases).
			const ticks = w.phases.reduce((n, p) => n + p.ticks, 0);
			for (let i = 0; i < ticks && !run.isFinished; i++) tick(m, run);
			const after = freeCounters(e);
			let checked = 0;
			let freedTotal = 0;
			for (let cache = 1; cache < e.caches.length; cache++) {
				if (e.caches[cache].sheafCapacity > 0) continue;
				const freed = (m.pools.freedSingly[cache] ?? 0) - (singlyBefore[cache] ?? 0);
				expect({cache: e.caches[cache].name, counted: after[cache] - (before[cache] ?? 0)}).toEqual({
					cache: e.caches[cache].name,
					counted: freed,
				});
				checked++;
				freedTotal += freed;
			}
			expect(checked).toBeGreaterThan(50);
			expect(freedTotal).toBeGreaterThan(100);
		},
	);

	it('a bulk free step frees through kmem_cache_free_bulk: fewer slow-path frees than objects', () => {
		const w = parseWorkload(
			JSON.stringify({
				name: 'bulk-free',
				caches: [{name: 'bulk_demo', size: 256, flags: 'NO_MERGE'}],
				phases: [
					{
						name: 'fill',
						ticks: 10,
						caches: [{cache: 'bulk_demo', rate: 200, lifetime: {kind: 'forever'}, allocCpu: 0}],
					},
					{
						name: 'free',
						ticks: 1,
						actions: [{at: 0, kind: 'free', cache: 'bulk_demo', fraction: 1, pick: 'oldest', bulk: true}],
					},
				],
			}),
		);
		if (!w.ok) throw new Error(w.error.message);
		const m = boot(1, 512 * 2 ** 20, 2);
		const run = start(m, w.value);
		for (let i = 0; i < 11; i++) tick(m, run);
		const e = m.engine;
		const id = e.byName.get('bulk_demo')!;
		const counted = freeCounters(e)[id];
		const freed = run.allocated;
		expect(freed).toBeGreaterThan(1000);
		expect(m.pools.freedSingly[id] ?? 0).toBe(0);
		expect(counted).toBeLessThan(freed / 4); // one FREE_SLOWPATH per detached freelist of up to 16 objects
	});
});
