// The five header lines of slabtop as numbers: `computeTotals(rows)`. Pure; the --once
// printer, the JSON report and the UI's summary all use it.

import type {CacheRow} from '../sources/source.js';
import {TWO_TO_32} from './row-figures.js';

export type Totals = {
	activeObjs: number;
	numObjs: number;
	activeSlabs: number;
	numSlabs: number;
	/** Caches with at least one object. */
	activeCaches: number;
	numCaches: number;
	/** Pages held by all slabs: Σ num_slabs × pages_per_slab. */
	pages: number;
	/** Bytes of active objects and of all objects: Σ active_objs × objsize, Σ num_objs × objsize. */
	activeSize: number;
	totalSize: number;
	/** Object sizes in bytes; the average is total size / objects, truncated (0 without objects). */
	minObjSize: number;
	avgObjSize: number;
	maxObjSize: number;
};

export type TotalsOptions = {
	/**
	 * Reproduce procps-ng's C arithmetic: counts summed in 32-bit unsigned integers (they wrap),
	 * and a minimum object size of INT_MAX when there are no caches. Without it every sum is
	 * exact and the minimum of no caches is 0.
	 */
	procps?: boolean;
};

const INT_MAX = 2 ** 31 - 1;

export function computeTotals(rows: readonly CacheRow[], options: TotalsOptions = {}): Totals {
	const isProcps = options.procps === true;
	const wrap = isProcps ? (value: number) => value % TWO_TO_32 : (value: number) => value;
	let activeObjs = 0;
	let numObjs = 0;
	let activeSlabs = 0;
	let numSlabs = 0;
	let activeCaches = 0;
	let pages = 0;
	let activeSize = 0;
	let totalSize = 0;
	let minObjSize = isProcps ? INT_MAX : Number.POSITIVE_INFINITY;
	let maxObjSize = 0;
	for (const row of rows) {
		activeObjs = wrap(activeObjs + row.activeObjs);
		numObjs = wrap(numObjs + row.numObjs);
		activeSlabs = wrap(activeSlabs + row.activeSlabs);
		numSlabs = wrap(numSlabs + row.numSlabs);
		pages = wrap(pages + wrap(row.numSlabs * row.pagesPerSlab));
		if (row.numObjs !== 0) activeCaches++;
		activeSize += row.activeObjs * row.objSize;
		totalSize += row.numObjs * row.objSize;
		minObjSize = Math.min(minObjSize, row.objSize);
		maxObjSize = Math.max(maxObjSize, row.objSize);
	}

	return {
		activeObjs,
		numObjs,
		activeSlabs,
		numSlabs,
		activeCaches,
		numCaches: rows.length,
		pages,
		activeSize,
		totalSize,
		minObjSize: minObjSize === Number.POSITIVE_INFINITY ? 0 : minObjSize,
		avgObjSize: numObjs === 0 ? 0 : Math.trunc(totalSize / numObjs),
		maxObjSize,
	};
}
