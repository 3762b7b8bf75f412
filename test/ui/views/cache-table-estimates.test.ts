import {describe, expect, it} from 'vitest';
import {cacheColumns, type TableRow} from '../../../source/ui/views/cache-table.js';
import {cacheRow} from '../../helpers/fake-sources.js';

function cells(row: TableRow): Record<string, string> {
	return Object.fromEntries(cacheColumns(200).map(column => [column.key, column.format(row)]));
}

describe('the cache table with estimated figures', () => {
	it('marks slabs and cache size with ~ where the source estimated them, and nothing else', () => {
		const estimated = cells({
			row: cacheRow('dentry', {numSlabs: 4, estimated: ['activeSlabs', 'numSlabs']}),
			rates: null,
			trend: [],
		});
		expect([estimated.slabs, estimated.cacheSize, estimated.objs]).toEqual(['~4', '~16K', '128']);
		const exact = cells({row: cacheRow('dentry', {numSlabs: 4}), rates: null, trend: []});
		expect([exact.slabs, exact.cacheSize]).toEqual(['4', '16K']);
	});
});
