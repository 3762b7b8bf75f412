// slabtop's sort keys as comparators over cache rows: `sortRows(rows, key)`.
// `n` sorts by name ascending, every other key descending; ties keep the rows' own order
// (procps sorts with glibc's qsort_r, a merge sort, so equal rows stay in file order).
// An unknown key falls back to `o`, as slabtop does.

import type {CacheRow} from '../sources/source.js';
import {cacheSizeBytes, utilisationPercent} from './row-figures.js';

export const SORT_KEYS = ['a', 'b', 'c', 'l', 'v', 'n', 'o', 'p', 's', 'u'] as const;

export type SortKey = (typeof SORT_KEYS)[number];

export const DEFAULT_SORT_KEY: SortKey = 'o';

/** What each key sorts by, in the words of slabtop's help. */
export const SORT_KEY_DESCRIPTIONS: Record<SortKey, string> = {
	a: 'number of active objects',
	b: 'objects per slab',
	c: 'cache size',
	l: 'number of slabs',
	v: '(non display) number of active slabs',
	n: 'name',
	o: 'number of objects (the default)',
	p: '(non display) pages per slab',
	s: 'object size',
	u: 'cache utilization',
};

export function isSortKey(value: string): value is SortKey {
	return (SORT_KEYS as readonly string[]).includes(value);
}

/**
 * The key slabtop uses for a typed character: its first character, lower-cased; anything that
 * is not a key means `o`.
 */
export function toSortKey(text: string): SortKey {
	const first = text.charAt(0).toLowerCase();
	return isSortKey(first) ? first : DEFAULT_SORT_KEY;
}

type RowComparator = (a: CacheRow, b: CacheRow) => number;

const NUMERIC_FIGURES: Record<Exclude<SortKey, 'n'>, (row: CacheRow) => number> = {
	a: row => row.activeObjs,
	b: row => row.objsPerSlab,
	c: row => cacheSizeBytes(row),
	l: row => row.numSlabs,
	v: row => row.activeSlabs,
	o: row => row.numObjs,
	p: row => row.pagesPerSlab,
	s: row => row.objSize,
	u: row => utilisationPercent(row),
};

/** Code-unit order, which is strcoll() in the C locale for the ASCII names caches have. */
function compareNames(a: CacheRow, b: CacheRow): number {
	if (a.name === b.name) return 0;
	return a.name < b.name ? -1 : 1;
}

/** The comparator for a key in its natural direction (`n` ascending, the rest descending). */
export function comparatorFor(key: SortKey): RowComparator {
	if (key === 'n') return compareNames;
	const figure = NUMERIC_FIGURES[key];
	return (a, b) => figure(b) - figure(a);
}

/** A sorted copy; `reversed` flips the direction, ties still keep the rows' order. */
export function sortRows<T extends CacheRow>(rows: readonly T[], key: SortKey, reversed = false): T[] {
	const compare = comparatorFor(key);
	const sign = reversed ? -1 : 1;
	// Array.prototype.sort is stable (ES2019), as glibc's merge-sort qsort_r is.
	return [...rows].sort((a, b) => sign * compare(a, b));
}
