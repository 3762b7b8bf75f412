import {describe, expect, it} from 'vitest';
import {createRowSelector, visibleRows} from '../../source/commands/visible-rows.js';
import {cacheRow} from '../helpers/fake-sources.js';

const ROWS = [
	cacheRow('kmalloc-64', {numSlabs: 2}),
	cacheRow('dentry', {numSlabs: 9}),
	cacheRow('kmalloc-128', {numSlabs: 5}),
];
const sample = (): typeof ROWS => [...ROWS];

describe('visibleRows', () => {
	it('filters by a substring of the name and sorts with the sort key and direction', () => {
		const names = (state: Parameters<typeof visibleRows>[1]): string[] => visibleRows(ROWS, state).map(row => row.name);
		expect(names({sortKey: 'o', reversed: false, filter: ''})).toEqual(['dentry', 'kmalloc-128', 'kmalloc-64']);
		expect(names({sortKey: 'o', reversed: true, filter: ''})).toEqual(['kmalloc-64', 'kmalloc-128', 'dentry']);
		expect(names({sortKey: 'n', reversed: false, filter: 'kmalloc'})).toEqual(['kmalloc-128', 'kmalloc-64']);
	});
});

describe('createRowSelector', () => {
	it('returns the same rows and names while rows, sort, direction and filter are the same', () => {
		const select = createRowSelector();
		const first = sample();
		const state = {sortKey: 'o', reversed: false, filter: ''} as const;
		const shown = select(first, state);
		expect(shown.names).toEqual(['dentry', 'kmalloc-128', 'kmalloc-64']);
		expect(shown.rows.map(row => row.name)).toEqual(shown.names);
		expect(select(first, {...state})).toBe(shown);
		expect(select(first, {...state, filter: 'k'})).not.toBe(shown);
		expect(select(sample(), state)).not.toBe(shown);
		expect(select(null, state)).toEqual({rows: [], names: []});
	});
});
