import {describe, expect, it} from 'vitest';
import {comparatorFor, sortRows, toSortKey} from '../../source/report/sort.js';
import {cacheRow} from '../helpers/fake-sources.js';

const row = cacheRow;

describe('sortRows', () => {
	const rows = [
		row('b', {numObjs: 10, objSize: 32}),
		row('a', {numObjs: 20, objSize: 32}),
		row('c', {numObjs: 10, objSize: 64}),
	];

	it('sorts descending, ties in the original order', () => {
		expect(sortRows(rows, 'o').map(r => r.name)).toEqual(['a', 'b', 'c']);
		expect(sortRows(rows, 's').map(r => r.name)).toEqual(['c', 'b', 'a']);
	});

	it('sorts names ascending, byte-wise', () => {
		expect(sortRows([...rows, row('B'), row('_')], 'n').map(r => r.name)).toEqual(['B', '_', 'a', 'b', 'c']);
	});

	it('reverses on request and keeps ties stable', () => {
		expect(sortRows(rows, 'o', true).map(r => r.name)).toEqual(['b', 'c', 'a']);
	});

	it('maps typed keys as slabtop: first character, lower case, unknown means o', () => {
		expect(toSortKey('N')).toBe('n');
		expect(toSortKey('cx')).toBe('c');
		expect(toSortKey('z')).toBe('o');
		expect(toSortKey('')).toBe('o');
		expect(
			comparatorFor('u')(row('x', {activeObjs: 1, numObjs: 2}), row('y', {activeObjs: 2, numObjs: 2})),
		).toBeGreaterThan(0);
	});
});
