// The --once --json report: `formatJson(sample)` is one JSON document with the header figures
// (`totals`, exact numbers from computeTotals) and one object per cache, sorted as the table is,
// named as /proc/slabinfo's header names its columns.

import type {CacheRow, Sample} from '../sources/source.js';
import {computeTotals, type Totals} from './totals.js';
import {sortRows, type SortKey} from './sort.js';
import {cacheSizeBytes, usePercent} from './row-figures.js';

export type JsonCache = {
	name: string;
	active_objs: number;
	num_objs: number;
	objsize: number;
	objperslab: number;
	pagesperslab: number;
	active_slabs: number;
	num_slabs: number;
	limit: number;
	batchcount: number;
	sharedfactor: number;
	sharedavail: number;
	/** Derived as slabtop does: num_slabs × pagesperslab × page size, and percent used. */
	cache_size: number;
	use: number;
	/** Node partial slabs where the source knows them, else null. */
	partial: number | null;
};

export type JsonReport = {
	source: string;
	sort: SortKey;
	totals: Totals;
	caches: JsonCache[];
};

function toJsonCache(row: CacheRow): JsonCache {
	return {
		name: row.name,
		active_objs: row.activeObjs,
		num_objs: row.numObjs,
		objsize: row.objSize,
		objperslab: row.objsPerSlab,
		pagesperslab: row.pagesPerSlab,
		active_slabs: row.activeSlabs,
		num_slabs: row.numSlabs,
		limit: row.limit,
		batchcount: row.batchCount,
		sharedfactor: row.sharedFactor,
		sharedavail: row.sharedAvail,
		cache_size: cacheSizeBytes(row),
		use: usePercent(row),
		partial: row.partial,
	};
}

export function buildJsonReport(sample: Sample, key: SortKey): JsonReport {
	return {
		source: sample.label,
		sort: key,
		totals: computeTotals(sample.rows),
		caches: sortRows(sample.rows, key).map(row => toJsonCache(row)),
	};
}

/** The document as printed: two-space indented, one trailing newline. */
export function formatJson(sample: Sample, key: SortKey): string {
	return `${JSON.stringify(buildJsonReport(sample, key), null, 2)}\n`;
}
