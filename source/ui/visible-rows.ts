// The table's rows for a state: the sample's rows whose name contains the filter, sorted with
// slabtop's comparators (report/sort.ts), so the screen's order equals --once's. Memoised on
// the sample and the state's sort, direction and filter: `createRowSelector()`, which also
// keeps the rows' names (the reducer asks for them after every command).

import type {UiState} from '../commands/state.js';
import {sortRows} from '../report/sort.js';
import type {CacheRow, Sample} from '../sources/source.js';

export type RowQuery = Pick<UiState, 'sortKey' | 'reversed' | 'filter'>;

export function visibleRows(rows: readonly CacheRow[], state: RowQuery): CacheRow[] {
	const shown = state.filter === '' ? rows : rows.filter(row => row.name.includes(state.filter));
	return sortRows(shown, state.sortKey, state.reversed);
}

/** The rows shown, in screen order, and their names. */
export type VisibleRows = {rows: readonly CacheRow[]; names: readonly string[]};

export type RowSelector = (sample: Sample | null, state: RowQuery) => VisibleRows;

const NONE: VisibleRows = {rows: [], names: []};

/** A memoised visibleRows: the same object while sample, sort, direction and filter are the same. */
export function createRowSelector(): RowSelector {
	let last: {sample: Sample | null; query: RowQuery; visible: VisibleRows} | null = null;
	return (sample, state) => {
		if (
			last !== null &&
			last.sample === sample &&
			last.query.sortKey === state.sortKey &&
			last.query.reversed === state.reversed &&
			last.query.filter === state.filter
		) {
			return last.visible;
		}

		let visible = NONE;
		if (sample !== null) {
			const rows = visibleRows(sample.rows, state);
			visible = {rows, names: rows.map(row => row.name)};
		}

		last = {sample, query: {sortKey: state.sortKey, reversed: state.reversed, filter: state.filter}, visible};
		return visible;
	};
}
