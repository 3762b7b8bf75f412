// The table's rows for a state: the sample's rows whose name contains the filter, sorted with
// slabtop's comparators (report/sort.ts), so the screen's order equals --once's. Memoised on
// the sample's version and the state's sort and filter: `createRowSelector()`.

import type {UiState} from '../commands/state.js';
import {sortRows} from '../report/sort.js';
import type {CacheRow, Sample} from '../sources/source.js';

export function visibleRows(rows: readonly CacheRow[], state: Pick<UiState, 'sortKey' | 'reversed' | 'filter'>): CacheRow[] {
	const shown = state.filter === '' ? rows : rows.filter(row => row.name.includes(state.filter));
	return sortRows(shown, state.sortKey, state.reversed);
}

export type RowSelector = (sample: Sample | null, state: Pick<UiState, 'sortKey' | 'reversed' | 'filter'>) => readonly CacheRow[];

/** A memoised visibleRows: the same array while sample, sort, direction and filter are the same. */
export function createRowSelector(): RowSelector {
	let last: {sample: Sample | null; sortKey: string; reversed: boolean; filter: string; rows: readonly CacheRow[]} | null = null;
	return (sample, state) => {
		if (
			last !== null &&
			last.sample === sample &&
			last.sortKey === state.sortKey &&
			last.reversed === state.reversed &&
			last.filter === state.filter
		) {
			return last.rows;
		}

		const rows = sample === null ? [] : visibleRows(sample.rows, state);
		last = {sample, sortKey: state.sortKey, reversed: state.reversed, filter: state.filter, rows};
		return rows;
	};
}
