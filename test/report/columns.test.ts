import {describe, expect, it} from 'vitest';
import {
	COLUMN_IDS,
	columnText,
	columnValue,
	DEFAULT_COLUMNS,
	isColumnId,
	listFilesFor,
	OPTIONAL_COLUMNS,
	wasteBytes,
} from '../../source/report/columns.js';
import {cacheRow} from '../helpers/fake-sources.js';

describe('optional columns', () => {
	it('every id has one column, defaults among them', () => {
		expect(OPTIONAL_COLUMNS.map(column => column.id)).toEqual([...COLUMN_IDS]);
		expect(DEFAULT_COLUMNS.every(id => isColumnId(id))).toBe(true);
		expect(isColumnId('nope')).toBe(false);
	});

	it('waste is slab bytes less active objects × object_size, unknown without sysfs', () => {
		const row = cacheRow('c', {
			numSlabs: 10,
			pagesPerSlab: 2,
			activeObjs: 100,
			objSize: 136,
			sysfs: {object_size: 130},
		});
		expect(wasteBytes(row)).toBe(10 * 2 * 4096 - 100 * 130);
		expect(wasteBytes(cacheRow('c'))).toBeNull();
	});

	it('blank cells for what the source does not know', () => {
		const row = cacheRow('c');
		for (const id of COLUMN_IDS) expect(columnText(id, columnValue(id, {row, rates: null, counters: null}))).toBe('');
	});

	it("the simulator's aliases are names; the column counts them", () => {
		const row = cacheRow('c', {sysfs: {aliases: ['a', 'b']}});
		expect(columnValue('aliases', {row, rates: null, counters: null})).toBe(2);
	});

	it('rates and counters', () => {
		const row = cacheRow('c');
		const inputs = {
			row,
			rates: {activeObjsPerSec: 12.4, numSlabsPerSec: -0.5, kibPerSec: 2, seconds: 3},
			counters: {allocPerSec: 99.6, freePerSec: null},
		};
		expect(
			['objs_rate', 'slabs_rate', 'kib_rate', 'alloc_rate', 'free_rate'].map(id =>
				columnText(id as never, columnValue(id as never, inputs)),
			),
		).toEqual(['+12', '-0.5', '+2.0', '100', '']);
	});

	it('lists only the per-refresh sysfs files the shown columns need', () => {
		expect(listFilesFor(['order', 'waste', 'objs_rate'])).toEqual([]);
		expect(listFilesFor(['partial', 'cpu_slabs', 'partial'])).toEqual(['partial', 'cpu_slabs']);
	});
});

describe('the FAIL column', () => {
	it("shows the simulator rows' allocation failures, blank where the source does not count them", () => {
		expect(
			columnText(
				'fail',
				columnValue('fail', {row: cacheRow('kmalloc-8k', {allocFail: 37}), rates: null, counters: null}),
			),
		).toBe('37');
		expect(columnText('fail', columnValue('fail', {row: cacheRow('dentry'), rates: null, counters: null}))).toBe('');
	});
});
