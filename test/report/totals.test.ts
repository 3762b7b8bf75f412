import {describe, expect, it} from 'vitest';
import {computeTotals} from '../../source/report/totals.js';
import {cacheRow} from '../helpers/fake-sources.js';

const row = cacheRow;

describe('computeTotals', () => {
	const rows = [
		row('a', {activeObjs: 10, numObjs: 20, objSize: 100, activeSlabs: 1, numSlabs: 2, pagesPerSlab: 2}),
		row('b', {activeObjs: 0, numObjs: 0, objSize: 8, activeSlabs: 0, numSlabs: 0}),
		row('c', {activeObjs: 2 ** 32, numObjs: 2 ** 32, objSize: 16, activeSlabs: 1, numSlabs: 1, pagesPerSlab: 1}),
	];

	it('adds exact figures for the UI and JSON', () => {
		expect(computeTotals(rows)).toEqual({
			activeObjs: 10 + 2 ** 32,
			numObjs: 20 + 2 ** 32,
			activeSlabs: 2,
			numSlabs: 3,
			activeCaches: 2,
			numCaches: 3,
			pages: 5,
			activeSize: 1000 + 2 ** 36,
			totalSize: 2000 + 2 ** 36,
			minObjSize: 8,
			avgObjSize: Math.trunc((2000 + 2 ** 36) / (20 + 2 ** 32)),
			maxObjSize: 100,
		});
	});

	it('wraps counts at 2^32 in procps mode', () => {
		expect(computeTotals(rows, {procps: true})).toMatchObject({
			numObjs: 20,
			activeObjs: 10,
			avgObjSize: Math.trunc((2000 + 2 ** 36) / 20),
		});
	});

	it('gives no caches a minimum of 0, or INT_MAX as procps', () => {
		expect(computeTotals([]).minObjSize).toBe(0);
		expect(computeTotals([], {procps: true}).minObjSize).toBe(2 ** 31 - 1);
	});
});
