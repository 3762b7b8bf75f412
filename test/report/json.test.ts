import {describe, expect, it} from 'vitest';
import {buildJsonReport, formatJson} from '../../source/report/json.js';
import {createFileSource} from '../../source/sources/file-source.js';
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
