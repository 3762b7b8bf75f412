import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {SLAB_ACCOUNT, SLAB_HWCACHE_ALIGN} from '../../source/engine/index.js';
import {parseWorkload} from '../../source/workload/parse.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/workloads/${name}`, import.meta.url), 'utf8');

const minimal = (phase: Record<string, unknown>) => JSON.stringify({phases: [{name: 'p', ticks: 10, ...phase}]});

function error(text: string): string {
	const result = parseWorkload(text, 'x');
	if (result.ok) throw new Error('expected an error');
	return result.error.message;
}

describe('parseWorkload', () => {
	it('names the kmalloc cache a {"kmalloc": SIZE, "gfp": …} load allocates from, as kmalloc_index and kmalloc_type pick it', () => {
		const load = (fields: Record<string, unknown>) =>
			minimal({caches: [{rate: 1, lifetime: {kind: 'forever'}, ...fields}]});
		const cacheOf = (fields: Record<string, unknown>): string => {
			const result = parseWorkload(load(fields), 'k');
			if (!result.ok) throw new Error(result.error.message);
			return result.value.phases[0].caches[0].cache;
		};
		expect(cacheOf({kmalloc: 100})).toBe('kmalloc-128');
		expect(cacheOf({kmalloc: 96, gfp: 'GFP_KERNEL_ACCOUNT'})).toBe('kmalloc-cg-96');
		expect(cacheOf({kmalloc: 8192, gfp: 'GFP_KERNEL|__GFP_RECLAIMABLE'})).toBe('kmalloc-rcl-8k');
		expect(error(load({kmalloc: 8193}))).toBe(
			'phases[0].caches[0].kmalloc: must be a whole number from 1 to 8192, not 8193',
		);
		expect(error(load({kmalloc: 64, gfp: 'GFP_ACCOUNT'}))).toBe(
			'phases[0].caches[0].gfp: unknown flag "GFP_ACCOUNT" (e.g. "GFP_KERNEL|__GFP_ACCOUNT")',
		);
		expect(error(load({kmalloc: 64, cache: 'dentry'}))).toBe(
			'phases[0].caches[0]: give "cache" or "kmalloc", not both',
		);
		expect(error(load({cache: 'dentry', gfp: 'GFP_KERNEL'}))).toBe(
			'phases[0].caches[0].gfp: only with "kmalloc": SIZE',
		);
	});

	it('reads a full workload file with defaults filled in', () => {
		const result = parseWorkload(fixture('web-server.json'), 'web-server');
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const w = result.value;
		expect(w.name).toBe('web-server');
		expect(w.repeat).toBe(true);
		expect(w.caches).toEqual([{name: 'http_request', size: 320, align: 64, flags: SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT}]);
		expect(w.phases.map(p => p.name)).toEqual(['warm-up', 'peak']);
		expect(w.phases[0].caches[0]).toEqual({
			cache: 'http_request',
			rate: 5,
			lifetime: {kind: 'exponential', mean: 50},
			allocCpu: 'any',
			freeCpu: 'same',
			burst: null,
		});
		expect(w.phases[1].caches[0].burst).toEqual({every: 100, count: 300, offset: 0});
		expect(w.phases[1].actions.map(a => a.at)).toEqual([10, 150]);
	});

	it('names the workload after the file when it has no name', () => {
		const result = parseWorkload(minimal({}), 'mine');
		expect(result.ok && result.value.name).toBe('mine');
	});

	it('says what is wrong with text that is not JSON', () => {
		expect(error('{"phases": [')).toMatch(/^not valid JSON: /);
	});

	it('names the field at fault and what it should be', () => {
		const cases: Array<[string, string]> = [
			['[]', 'workload: must be an object {…}, not []'],
			['{}', 'workload: missing field "phases"'],
			['{"phases": []}', 'phases: must list at least one phase'],
			['{"phases": [], "repeat": 1}', 'phases: must list at least one phase'],
			[JSON.stringify({repeat: 'yes', phases: [{name: 'p', ticks: 1}]}), 'repeat: must be true or false, not "yes"'],
			[minimal({ticks: 0}), 'phases[0].ticks: must be a whole number from 1 to 100000000, not 0'],
			[minimal({ticks: 1.5}), 'phases[0].ticks: must be a whole number from 1 to 100000000, not 1.5'],
			[JSON.stringify({phases: [{ticks: 5}]}), 'phases[0]: missing field "name"'],
			[
				minimal({tics: 5}),
				'phases[0]: unknown field "tics" (allowed: name, ticks, caches, actions, untilFailures, watch)',
			],
			[
				minimal({caches: [{cache: 'dentry', rate: 'fast', lifetime: {kind: 'forever'}}]}),
				'phases[0].caches[0].rate: must be a number from 0 to 100000, not "fast"',
			],
			[minimal({caches: [{cache: 'dentry', rate: 1}]}), 'phases[0].caches[0]: missing field "lifetime"'],
			[
				minimal({caches: [{cache: 'dentry', rate: 1, lifetime: {kind: 'gamma'}}]}),
				'phases[0].caches[0].lifetime.kind: must be "fixed" (ticks), "uniform" (min, max), "exponential" (mean) or "forever", not "gamma"',
			],
			[
				minimal({caches: [{cache: 'dentry', rate: 1, lifetime: {kind: 'uniform', min: 10, max: 5}}]}),
				'phases[0].caches[0].lifetime.max: must be a whole number from 10 to 100000000, not 5',
			],
			[
				minimal({caches: [{cache: 'dentry', rate: 1, lifetime: {kind: 'fixed'}}]}),
				'phases[0].caches[0].lifetime: missing field "ticks"',
			],
			[
				minimal({caches: [{cache: 'dentry', rate: 1, lifetime: 5}]}),
				'phases[0].caches[0].lifetime: must be an object such as {"kind": "exponential", "mean": 200}, not 5',
			],
			[
				minimal({caches: [{cache: 'dentry', rate: 1, lifetime: {kind: 'forever'}, freeCpu: 'next'}]}),
				'phases[0].caches[0].freeCpu: must be "same", "other", "any" or a CPU number, not "next"',
			],
			[
				minimal({caches: [{cache: 'dentry', rate: 1, lifetime: {kind: 'forever'}, allocCpu: 'same'}]}),
				'phases[0].caches[0].allocCpu: must be "any" or a CPU number, not "same"',
			],
			[
				minimal({caches: [{cache: 'dentry', rate: 1, lifetime: {kind: 'forever'}, burst: {every: 10}}]}),
				'phases[0].caches[0].burst: missing field "count"',
			],
			[
				minimal({
					caches: [{cache: 'dentry', rate: 1, lifetime: {kind: 'forever'}, burst: {every: 10, count: 5, offset: 10}}],
				}),
				'phases[0].caches[0].burst.offset: must be a whole number from 0 to 9, not 10',
			],
			[
				minimal({caches: [{cache: '', rate: 1, lifetime: {kind: 'forever'}}]}),
				'phases[0].caches[0].cache: must be a non-empty string, not ""',
			],
			[
				minimal({actions: [{at: 10, kind: 'drop_caches'}]}),
				'phases[0].actions[0].at: must be a whole number from 0 to 9, not 10',
			],
			[
				minimal({actions: [{at: 1, kind: 'compact'}]}),
				'phases[0].actions[0].kind: must be "shrink", "drop_caches" or "free", not "compact"',
			],
			[
				minimal({actions: [{at: 1, kind: 'free', cache: 'dentry', fraction: 2}]}),
				'phases[0].actions[0].fraction: must be a number from 0 to 1, not 2',
			],
			[
				minimal({actions: [{at: 1, kind: 'free', cache: 'dentry', fraction: 0.5, pick: 'largest'}]}),
				'phases[0].actions[0].pick: must be "random", "oldest" or "newest", not "largest"',
			],
			[minimal({actions: 'shrink'}), 'phases[0].actions: must be a list [...], not "shrink"'],
			[
				JSON.stringify({caches: [{name: 'c', size: 64, flags: 'HWCACHE_ALIGN|FAST'}], phases: [{name: 'p', ticks: 1}]}),
				'caches[0].flags: unknown flag "FAST" (write e.g. "HWCACHE_ALIGN|ACCOUNT")',
			],
			[
				JSON.stringify({caches: [{name: 'c', size: 64, align: 24}], phases: [{name: 'p', ticks: 1}]}),
				'caches[0].align: must be 0 or a power of two, not 24',
			],
			[JSON.stringify({caches: [{name: 'c'}], phases: [{name: 'p', ticks: 1}]}), 'caches[0]: missing field "size"'],
		];
		for (const [text, message] of cases) expect(error(text), text).toBe(message);
	});

	it('reports the first error of the bad fixture file', () => {
		expect(error(fixture('bad-rate.json'))).toBe('phases[1].caches[0].rate: must be a number from 0 to 100000, not -3');
	});
});
