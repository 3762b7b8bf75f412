// Per-cache figures derived from one slabinfo row, computed the way procps-ng's
// library/slabinfo.c does, so the table, the sort and the --once report agree.
// Main exports: cacheSizeBytes(row), utilisationPercent(row).

import {PAGE_SIZE} from '../engine/constants.js';
import type {CacheRow} from '../sources/source.js';

/** Page size used for cache sizes (procps uses the reading machine's getpagesize()); the UI takes it from here. */
export {PAGE_SIZE};

/** procps keeps counts in 32-bit unsigned ints: they wrap at 2^32. */
export const TWO_TO_32 = 2 ** 32;

/** Upper bound of the memory a cache holds: num_slabs × pages_per_slab × page size. */
export function cacheSizeBytes(row: CacheRow, pageSize: number = PAGE_SIZE): number {
	return row.numSlabs * row.pagesPerSlab * pageSize;
}

/**
 * Utilisation in whole percent: procps computes `(unsigned)(100 * ((float)active / num))`, in
 * single precision and truncated (so 99.99 % shows as 99 %, and rounding of large counts to
 * 24-bit mantissas is visible); 0 for a cache without objects.
 */
export function utilisationPercent(row: CacheRow): number {
	if (row.numObjs === 0) return 0;
	const ratio = Math.fround(Math.fround(row.activeObjs) / Math.fround(row.numObjs));
	// The C conversion of an out-of-range float keeps the low 32 bits on x86-64.
	return Math.trunc(Math.fround(100 * ratio)) % TWO_TO_32;
}
