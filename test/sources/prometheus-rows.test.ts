import {describe, expect, it} from 'vitest';
import type {VectorSample} from '../../source/sources/prometheus-parse.js';
import {estimateSlabs, rowsFromSeries} from '../../source/sources/prometheus-rows.js';

function series(name: string, labels: Record<string, string>, value: number, timeMs = 1000): VectorSample {
	return {metric: {__name__: name, instance: 'h', ...labels}, timeMs, value};
}

function nodeSeries(
	slab: string,
	figures: {objects: number; active: number; size: number; perSlab: number; pages: number},
): VectorSample[] {
	return [
		series('node_slabinfo_objects', {slab}, figures.objects),
		series('node_slabinfo_active_objects', {slab}, figures.active),
		series('node_slabinfo_object_size_bytes', {slab}, figures.size),
		series('node_slabinfo_objects_per_slab', {slab}, figures.perSlab),
		series('node_slabinfo_pages_per_slab', {slab}, figures.pages),
	];
}

describe('rowsFromSeries', () => {
	it("builds rows from node_exporter's five gauges, with the slab counts estimated", () => {
		const {rows, estimatedCount, timeMs} = rowsFromSeries([
			...nodeSeries('kmalloc-64', {objects: 130, active: 100, size: 64, perSlab: 64, pages: 1}),
			...nodeSeries('dentry', {objects: 126, active: 120, size: 192, perSlab: 21, pages: 1}),
		]);
		expect(rows.map(row => row.name)).toEqual(['dentry', 'kmalloc-64']);
		expect(rows[1]).toMatchObject({
			numObjs: 130,
			activeObjs: 100,
			objSize: 64,
			objsPerSlab: 64,
			pagesPerSlab: 1,
			numSlabs: 3,
			activeSlabs: 3,
		});
		expect(rows[1].estimated).toEqual(['activeSlabs', 'numSlabs']);
		expect(rows[1].partial).toBeNull();
		expect(estimatedCount).toBe(2);
		expect(timeMs).toBe(1000);
	});

	it("uses slabtop-ts's own series where they exist: exact, with partial, reclaimable, aliases and counters", () => {
		const own = (name: string, value: number, labels: Record<string, string> = {}) =>
			series(`slabtop_${name}`, {cache: 'dentry', ...labels}, value);
		const {rows, estimatedCount} = rowsFromSeries([
			...nodeSeries('dentry', {objects: 1, active: 1, size: 1, perSlab: 1, pages: 1}),
			own('objects', 126),
			own('active_objects', 120),
			own('object_size_bytes', 192),
			own('objects_per_slab', 21),
			own('pages_per_slab', 1),
			own('slabs', 7),
			own('active_slabs', 7),
			own('partial_slabs', 2),
			own('reclaimable', 1),
			own('cache_alias_info', 1, {alias: 'b'}),
			own('cache_alias_info', 1, {alias: 'a'}),
			own('stat_alloc_fastpath_total', 99),
			own('objects', 5, {cache: 'other', bucket: 'other'}),
		]);
		expect(estimatedCount).toBe(0);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			name: 'dentry',
			numObjs: 126,
			activeObjs: 120,
			numSlabs: 7,
			activeSlabs: 7,
			partial: 2,
		});
		expect(rows[0].estimated).toBeUndefined();
		expect(rows[0].sysfs).toEqual({alloc_fastpath: 99, reclaim_account: 1, aliases: ['a', 'b']});
	});

	it('lists the series a cache lacks', () => {
		const five = nodeSeries('dentry', {objects: 126, active: 120, size: 192, perSlab: 21, pages: 1});
		expect(rowsFromSeries(five).missing).toEqual([]);
		expect(
			rowsFromSeries(five.filter(sample => sample.metric.__name__ !== 'node_slabinfo_objects_per_slab')).missing,
		).toEqual(['node_slabinfo_objects_per_slab{slab="dentry"}']);
		expect(rowsFromSeries([series('slabtop_objects', {cache: 'x'}, 1)]).missing).toHaveLength(6);
	});

	it('keeps caches of one name apart by their duplicate label', () => {
		const {rows} = rowsFromSeries([
			series('slabtop_objects', {cache: 'x'}, 1),
			series('slabtop_objects', {cache: 'x', duplicate: '2'}, 2),
		]);
		// (The other figures are missing here; rowsFromSeries lists them, fetchHostSample refuses.)
		expect(rows.map(row => [row.name, row.numObjs])).toEqual([
			['x', 1],
			['x', 2],
		]);
	});

	it('gives no rows for other series', () => {
		expect(rowsFromSeries([series('up', {}, 1)]).rows).toEqual([]);
	});
});

describe('estimateSlabs', () => {
	it('rounds up to whole slabs', () => {
		expect(estimateSlabs(0, 21)).toBe(0);
		expect(estimateSlabs(21, 21)).toBe(1);
		expect(estimateSlabs(22, 21)).toBe(2);
		expect(estimateSlabs(5, 0)).toBe(0);
	});
});
