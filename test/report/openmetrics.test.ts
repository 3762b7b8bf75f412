import {describe, expect, it} from 'vitest';
import {
	buildMetrics,
	formatOpenMetrics,
	formatPrometheusText,
	type MetricFamily,
} from '../../source/report/openmetrics.js';
import type {CacheRow, Sample} from '../../source/sources/source.js';
import {cacheRow} from '../helpers/fake-sources.js';

function sampleOf(rows: CacheRow[]): Sample {
	return {kind: 'file', label: 'fixture.txt', version: 1, timeMs: 0, rows};
}

function family(families: MetricFamily[], name: string): MetricFamily | undefined {
	return families.find(f => f.name === name);
}

/** `{cache → value}` of one family, with the duplicate label appended as `#N`. */
function values(families: MetricFamily[], name: string): Record<string, number> {
	const found = family(families, name);
	if (found === undefined) throw new Error(`no family ${name}`);
	const out: Record<string, number> = {};
	for (const s of found.samples) {
		const labels = Object.fromEntries(s.labels);
		const key = labels.bucket === undefined ? labels.cache : `[${labels.bucket}]`;
		out[labels.duplicate === undefined ? key : `${key}#${labels.duplicate}`] = s.value;
	}

	return out;
}

const dentry = cacheRow('dentry', {
	activeObjs: 100,
	numObjs: 126,
	objSize: 192,
	objsPerSlab: 21,
	numSlabs: 6,
	activeSlabs: 6,
	partial: 2,
});
const inode = cacheRow('inode_cache', {
	activeObjs: 30,
	numObjs: 39,
	objSize: 624,
	objsPerSlab: 13,
	pagesPerSlab: 2,
	numSlabs: 3,
	activeSlabs: 3,
	partial: 1,
	sysfs: {object_size: 600, reclaim_account: 1, aliases: ['a', 'b'], alloc_fastpath: 7, free_slowpath: 3},
});
const small = cacheRow('kmalloc-8', {
	activeObjs: 10,
	numObjs: 512,
	objSize: 8,
	objsPerSlab: 512,
	numSlabs: 1,
	activeSlabs: 1,
	partial: 0,
});

describe('buildMetrics', () => {
	it('gives each cache its slabinfo figures and the exact cache and waste bytes', () => {
		const families = buildMetrics(sampleOf([dentry, inode]));
		expect(values(families, 'slabtop_objects')).toEqual({dentry: 126, inode_cache: 39});
		expect(values(families, 'slabtop_active_objects')).toEqual({dentry: 100, inode_cache: 30});
		expect(values(families, 'slabtop_object_size_bytes')).toEqual({dentry: 192, inode_cache: 624});
		expect(values(families, 'slabtop_objects_per_slab')).toEqual({dentry: 21, inode_cache: 13});
		expect(values(families, 'slabtop_pages_per_slab')).toEqual({dentry: 1, inode_cache: 2});
		expect(values(families, 'slabtop_slabs')).toEqual({dentry: 6, inode_cache: 3});
		expect(values(families, 'slabtop_cache_bytes')).toEqual({dentry: 6 * 4096, inode_cache: 3 * 2 * 4096});
		// Waste: 24576 - 100 × 192; inode uses sysfs object_size 600, not the 624-byte slot.
		expect(values(families, 'slabtop_waste_bytes')).toEqual({dentry: 24_576 - 19_200, inode_cache: 24_576 - 18_000});
		expect(values(families, 'slabtop_partial_slabs')).toEqual({dentry: 2, inode_cache: 1});
		expect(values(families, 'slabtop_caches')).toEqual({undefined: 2});
	});

	it('exports sysfs figures only for the caches that have them', () => {
		const families = buildMetrics(sampleOf([dentry, inode]));
		expect(values(families, 'slabtop_reclaimable')).toEqual({inode_cache: 1});
		expect(values(families, 'slabtop_aliases')).toEqual({inode_cache: 2});
		expect(family(families, 'slabtop_cache_alias')?.samples.map(s => Object.fromEntries(s.labels))).toEqual([
			{cache: 'inode_cache', alias: 'a'},
			{cache: 'inode_cache', alias: 'b'},
		]);
		expect(family(families, 'slabtop_stat_alloc_fastpath')?.type).toBe('counter');
		expect(values(families, 'slabtop_stat_alloc_fastpath')).toEqual({inode_cache: 7});
		expect(values(families, 'slabtop_stat_free_slowpath')).toEqual({inode_cache: 3});
		expect(family(families, 'slabtop_stat_alloc_slowpath')).toBeUndefined();
	});

	it('leaves out a figure no row has (no partial counts from a plain file)', () => {
		const families = buildMetrics(sampleOf([cacheRow('x', {partial: null})]));
		expect(family(families, 'slabtop_partial_slabs')).toBeUndefined();
		expect(family(families, 'slabtop_reclaimable')).toBeUndefined();
		expect(families.every(f => f.name.startsWith('slabtop_'))).toBe(true);
	});

	it('labels the second and later caches of one name as duplicates', () => {
		const twin = cacheRow('dentry', {numObjs: 21, activeObjs: 1, numSlabs: 1, objsPerSlab: 21});
		const families = buildMetrics(sampleOf([dentry, twin, twin]));
		expect(values(families, 'slabtop_objects')).toEqual({dentry: 126, 'dentry#2': 21, 'dentry#3': 21});
	});

	it('keeps the N largest caches and sums the rest into the other bucket', () => {
		const families = buildMetrics(sampleOf([small, dentry, inode]), {top: 1});
		// inode_cache holds 24576 bytes, as dentry does: the tie goes to the first name.
		expect(values(families, 'slabtop_cache_bytes')).toEqual({dentry: 24_576, '[other]': 24_576 + 4096});
		expect(values(families, 'slabtop_objects')).toEqual({dentry: 126, '[other]': 39 + 512});
		expect(values(families, 'slabtop_partial_slabs')).toEqual({dentry: 2, '[other]': 1});
		expect(values(families, 'slabtop_object_size_bytes')).toEqual({dentry: 192});
		expect(family(families, 'slabtop_stat_alloc_fastpath')).toBeUndefined();
		expect(values(families, 'slabtop_caches')).toEqual({undefined: 3});
	});

	it('has no other bucket when every cache is kept', () => {
		const families = buildMetrics(sampleOf([small, dentry]), {top: 2});
		expect(values(families, 'slabtop_objects')).toEqual({'kmalloc-8': 512, dentry: 126});
	});
});

describe('formatOpenMetrics and formatPrometheusText', () => {
	const families = buildMetrics(sampleOf([inode]));

	it('prints OpenMetrics with TYPE, UNIT and HELP, counters as _total, info as _info, and # EOF', () => {
		const text = formatOpenMetrics(families);
		expect(text.endsWith('\n# EOF\n')).toBe(true);
		expect(text.match(/# EOF/g)).toHaveLength(1);
		expect(text).toContain('# TYPE slabtop_cache_bytes gauge\n# UNIT slabtop_cache_bytes bytes\n');
		expect(text).toContain('slabtop_cache_bytes{cache="inode_cache"} 24576\n');
		expect(text).toContain('# TYPE slabtop_stat_alloc_fastpath counter\n');
		expect(text).toContain('\nslabtop_stat_alloc_fastpath_total{cache="inode_cache"} 7\n');
		expect(text).toContain('# TYPE slabtop_cache_alias info\n');
		expect(text).toContain('\nslabtop_cache_alias_info{cache="inode_cache",alias="a"} 1\n');
		expect(text).not.toMatch(/ \d+ \d+\n/); // no timestamps
	});

	it('prints the text format with counters and info metrics typed under their sample names', () => {
		const text = formatPrometheusText(families);
		expect(text).toContain('# HELP slabtop_stat_alloc_fastpath_total ');
		expect(text).toContain('# TYPE slabtop_stat_alloc_fastpath_total counter\n');
		expect(text).toContain('# TYPE slabtop_cache_alias_info gauge\n');
		expect(text).not.toContain('# EOF');
		expect(text).not.toContain('# UNIT');
	});

	it('escapes quotes, backslashes and newlines in label values', () => {
		const text = formatPrometheusText(buildMetrics(sampleOf([cacheRow('a"b\\c\nd')])));
		expect(text).toContain('slabtop_objects{cache="a\\"b\\\\c\\nd"} 128\n');
	});
});
