import {describe, expect, it} from 'vitest';
import {cacheSizeBytes, utilisationPercent} from '../../source/report/row-figures.js';
import {cacheRow} from '../helpers/fake-sources.js';

const row = cacheRow;

describe('row figures', () => {
	it('computes USE in single precision, truncated', () => {
		expect(utilisationPercent(row('a', {activeObjs: 99_999_999, numObjs: 100_000_000}))).toBe(100);
		expect(utilisationPercent(row('a', {activeObjs: 2, numObjs: 3}))).toBe(66);
		expect(utilisationPercent(row('a', {activeObjs: 7, numObjs: 3}))).toBe(233);
		expect(utilisationPercent(row('a', {activeObjs: 0, numObjs: 0}))).toBe(0);
	});

	it('sizes a cache as slabs × pages per slab × 4 KiB', () => {
		expect(cacheSizeBytes(row('a', {numSlabs: 3, pagesPerSlab: 8}))).toBe(98_304);
	});
});
