import {describe, expect, it} from 'vitest';
import {buildJsonReport, formatJson} from '../../source/report/json.js';
import {STAT_NAMES} from '../../source/engine/index.js';
import {createFileSource} from '../../source/sources/file-source.js';
import {simOf} from '../helpers/config.js';
import type {Sample} from '../../source/sources/source.js';

function fixtureSample(name: string): Sample {
	const result = createFileSource(new URL(`../fixtures/slabinfo/${name}`, import.meta.url).pathname).sample();
	if (!result.ok) throw new Error(result.error.message);
	return result.value;
}

describe('--once --json', () => {
	it('is one document with totals and one object per cache, named as slabinfo names columns', () => {
		const document = JSON.parse(formatJson(fixtureSample('slab-tunables.txt'), 'n')) as Record<string, unknown>;
		expect(Object.keys(document)).toEqual(['source', 'sort', 'totals', 'caches']);
		const caches = document.caches as Array<Record<string, unknown>>;
		expect(caches.map(cache => cache.name)).toEqual([
			'dentry',
			'ext4_inode_cache',
			'kmem_cache',
			'size-32',
			'size-4096',
		]);
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
			alloc_fail: null,
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
		const source = simOf({source: 'sim', json: true, ...flags});
		const result = source.sample();
		if (!result.ok) throw new Error(result.error.message);
		return {report: buildJsonReport(result.value, 'o'), source};
	}

	it("carries each cache's layout, list figures and SLUB_STATS under the sysfs names", () => {
		const {report} = simReport({ticks: '50'});
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
		});
		if (cache?.sysfs === undefined) throw new Error('kmalloc-64 has no sysfs figures');
		const sysfs = cache.sysfs;
		// The node partial count is the row's `partial`, and the list figures fit the layout.
		expect(typeof sysfs.partial).toBe('number');
		expect(cache.partial).toBe(sysfs.partial);
		// cpu_slabs counts each CPU's slab (2 CPUs) and the slabs on the CPU partial lists: after 50
		// ticks of background churn still the committed capture's kmalloc-64 (10 partial holding 536
		// objects, cpu_slabs 9, CPU partial slabs 3 + 4).
		expect([sysfs.partial, sysfs.objects_partial, sysfs.cpu_slabs, sysfs.slabs_cpu_partial]).toEqual([10, 536, 9, 7]);
		expect(STAT_NAMES.every(name => typeof sysfs[name] === 'number')).toBe(true);
		expect(sysfs.alloc_fastpath).toBe(2233); // the boot rebuild's allocations and 50 ticks of background churn
		expect(sysfs.alloc_slab).toBe(cache.num_slabs + Number(sysfs.free_slab));
	});

	it('counts exactly the allocations an --exec command makes', () => {
		const exec = 'alloc -c kmalloc-64 -n 100 --cpu 0';
		const kmalloc64 = (flags: Record<string, string>) => {
			const cache = simReport({ticks: '0', ...flags}).report.caches.find(c => c.name === 'kmalloc-64');
			if (cache?.sysfs === undefined) throw new Error('kmalloc-64 has no sysfs figures');
			return {...cache, sysfs: cache.sysfs};
		};

		const allocs = (sysfs: Record<string, unknown>) => Number(sysfs.alloc_fastpath) + Number(sysfs.alloc_slowpath);
		const frees = (sysfs: Record<string, unknown>) => Number(sysfs.free_fastpath) + Number(sysfs.free_slowpath);
		const before = kmalloc64({});
		const after = kmalloc64({exec});
		expect(allocs(after.sysfs) - allocs(before.sysfs)).toBe(100);
		expect(frees(after.sysfs)).toBe(frees(before.sysfs));
		expect([after.sysfs.slab_size, after.sysfs.objs_per_slab, after.objperslab]).toEqual([64, 64, 64]);
		// SLUB's slabinfo counts only node-partial free objects as free: allocations served from
		// the free objects CPUs hold leave active_objs as it was; it never goes down.
		// Here every one of the 100 came from free objects the CPUs held: active_objs stays as it was.
		expect(after.active_objs - before.active_objs).toBe(0);
		for (const {sysfs, num_slabs: numSlabs} of [before, after]) {
			expect(Number(sysfs.objects_partial)).toBeLessThanOrEqual(Number(sysfs.partial) * Number(sysfs.objs_per_slab));
			expect(Number(sysfs.partial) + Number(sysfs.cpu_slabs)).toBeLessThanOrEqual(numSlabs);
		}
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
				'name',
				'active_objs',
				'num_objs',
				'objsize',
				'objperslab',
				'pagesperslab',
				'active_slabs',
				'num_slabs',
				'limit',
				'batchcount',
				'sharedfactor',
				'sharedavail',
				'cache_size',
				'use',
				'partial',
				'alloc_fail',
			]);
			expect(cache.alloc_fail).toBe(0);
			expect(cache.sysfs?.slab_size).toBe(cache.objsize);
			expect(cache.sysfs?.objs_per_slab).toBe(cache.objperslab);
			expect(2 ** Number(cache.sysfs?.order)).toBe(cache.pagesperslab);
		}
	});
});
