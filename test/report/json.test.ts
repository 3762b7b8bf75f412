import {describe, expect, it} from 'vitest';
import {buildJsonReport, formatJson} from '../../source/report/json.js';
import {parseConfig} from '../../source/config.js';
import {STAT_NAMES} from '../../source/engine/index.js';
import {createFileSource} from '../../source/sources/file-source.js';
import {createSimSource} from '../../source/sources/simulated.js';
import type {Sample} from '../../source/sources/source.js';

function fixtureSample(name: string): Sample {
	const result = createFileSource(new URL(`../fixtures/slabinfo/${name}`, import.meta.url).pathname).sample();
	if (!result.ok) throw new Error(result.error.message);
	return result.sample;
}

describe('--once --json', () => {
	it('is one document with totals and one object per cache, named as slabinfo names columns', () => {
		const document = JSON.parse(formatJson(fixtureSample('slab-tunables.txt'), 'n')) as Record<string, unknown>;
		expect(Object.keys(document)).toEqual(['source', 'sort', 'totals', 'caches']);
		const caches = document.caches as Array<Record<string, unknown>>;
		expect(caches.map(cache => cache.name)).toEqual(['dentry', 'ext4_inode_cache', 'kmem_cache', 'size-32', 'size-4096']);
		expect(caches[1]).toEqual({
			name: 'ext4_inode_cache',
			active_objs: 11520,
			num_objs: 11528,
			objsize: 1072,
			objperslab: 7,
			pagesperslab: 2,
			active_slabs: 1646,
			num_slabs: 1647,
			limit: 54,
			batchcount: 27,
			sharedfactor: 8,
			sharedavail: 13,
			cache_size: 1647 * 2 * 4096,
			use: 99,
			partial: null,
		});
	});

	it('gives the header figures as numbers', () => {
		const report = buildJsonReport(fixtureSample('one-cache.txt'), 'o');
		expect(report.totals).toEqual({
			activeObjs: 16000,
			numObjs: 16128,
			activeSlabs: 768,
			numSlabs: 768,
			activeCaches: 1,
			numCaches: 1,
			pages: 768,
			activeSize: 16000 * 192,
			totalSize: 16128 * 192,
			minObjSize: 192,
			avgObjSize: 192,
			maxObjSize: 192,
		});
	});

	it('keeps counts beyond 2^32 exact, where the table wraps them as slabtop does', () => {
		const report = buildJsonReport(fixtureSample('big-counts.txt'), 'o');
		expect(report.caches[0]).toMatchObject({name: 'over_u32_slabs', num_objs: 3 * 2 ** 32, num_slabs: 4_294_967_300});
		expect(report.totals.numCaches).toBe(5);
	});

	it('ends with one newline and is valid for no caches', () => {
		const text = formatJson(fixtureSample('no-caches.txt'), 'o');
		expect(text.endsWith('}\n')).toBe(true);
		expect(JSON.parse(text)).toMatchObject({caches: [], totals: {numCaches: 0, minObjSize: 0}});
	});
});

describe('--once --json on the simulator', () => {
	function simReport(flags: Record<string, string>) {
		const parsed = parseConfig({source: 'sim', ...flags});
		if (parsed.kind !== 'run') throw new Error(JSON.stringify(parsed));
		const created = createSimSource(parsed.config);
		if (!created.ok) throw new Error(created.message);
		const result = created.source.sample();
		if (!result.ok) throw new Error(result.error.message);
		return {report: buildJsonReport(result.sample, 'o'), source: created.source};
	}

	it('carries each cache\'s layout, list figures and SLUB_STATS under the sysfs names', () => {
		const {report, source} = simReport({ticks: '50'});
		const cache = report.caches.find(c => c.name === 'kmalloc-64');
		expect(cache?.sysfs).toMatchObject({
			sysfs_name: 'kmalloc-64',
			object_size: 64,
			slab_size: 64,
			align: 64,
			order: 0,
			objs_per_slab: 64,
			min_partial: 5,
			cpu_partial: 120,
			flags: ['KMALLOC', 'NO_MERGE'],
			aliases: [],
			ctor: '',
			usersize: 64,
			sheaf_capacity: 0,
			hwcache_align: 0,
			poison: 0,
			partial: cache?.partial,
		});
		const detail = source.detail('kmalloc-64');
		expect(detail).not.toBeNull();
		if (detail === null || cache?.sysfs === undefined) return;
		expect(cache.sysfs).toMatchObject({
			objects_partial: detail.cache.objectsPartial,
			cpu_slabs: detail.cache.cpuSlabs,
			slabs_cpu_partial: detail.cache.cpuPartialSlabs,
		});
		for (const counter of detail.counters) expect(cache.sysfs[counter.name], counter.name).toBe(counter.total);
		expect(STAT_NAMES.every(name => typeof cache.sysfs?.[name] === 'number')).toBe(true);
		expect(cache.sysfs.alloc_fastpath).toBeGreaterThan(0);
		expect(cache.sysfs.alloc_slab).toBe(cache.num_slabs + Number(cache.sysfs.free_slab));
	});

	it('gives a cache with a constructor and HWCACHE_ALIGN its ctor and flag files', () => {
		const demo = simReport({}).report.caches.find(c => c.name === 'demo_objects');
		expect(demo?.sysfs).toMatchObject({object_size: 128, hwcache_align: 1, flags: ['HWCACHE_ALIGN']});
		expect(demo?.sysfs?.ctor).not.toBe('');
	});

	it('leaves the slabinfo columns as they were', () => {
		const {report} = simReport({ticks: '50'});
		for (const cache of report.caches) {
			expect(Object.keys(cache).slice(0, 16)).toEqual([
				'name', 'active_objs', 'num_objs', 'objsize', 'objperslab', 'pagesperslab', 'active_slabs', 'num_slabs',
				'limit', 'batchcount', 'sharedfactor', 'sharedavail', 'cache_size', 'use', 'partial', 'sysfs',
			]);
			expect(cache.sysfs?.slab_size).toBe(cache.objsize);
			expect(cache.sysfs?.objs_per_slab).toBe(cache.objperslab);
			expect(2 ** Number(cache.sysfs?.order)).toBe(cache.pagesperslab);
		}
	});
});
