// The table's rows for a state: the sample's rows whose name contains the filter, sorted with
// slabtop's comparators (report/sort.ts), so the screen's order equals --once's. Memoised on
// the rows and the state's sort, direction and filter: `createRowSelector()` for the table,
// and `visibleNames()`, which the reducer reads after every command.

import type {UiState} from './state.js';
import {sortRows, sortRowsBy, type RowRates} from '../report/sort.js';
import type {CacheRow} from '../sources/source.js';

export type RowQuery = Pick<UiState, 'sortKey' | 'reversed' | 'filter'> & Partial<Pick<UiState, 'extraSort'>>;

/** `rates`: the rates the table shows (sorting by ALLOC/s or FREE/s needs them). */
export function visibleRows(rows: readonly CacheRow[], state: RowQuery, rates?: RowRates): CacheRow[] {
	const shown = state.filter === '' ? rows : rows.filter(row => row.name.includes(state.filter));
	const extra = state.extraSort ?? null;
	return extra === null ? sortRows(shown, state.sortKey, state.reversed) : sortRowsBy(shown, extra, rates, state.reversed);
}

/** The rows shown, in screen order, and their names. */
export type VisibleRows = {rows: readonly CacheRow[]; names: readonly string[]};

export type RowSelector = (rows: readonly CacheRow[] | null, state: RowQuery, rates?: RowRates) => VisibleRows;

const NONE: VisibleRows = {rows: [], names: []};

/** A memoised visibleRows: the same object while rows, sort, direction and filter are the same. */
export function createRowSelector(): RowSelector {
	let last: {rows: readonly CacheRow[] | null; query: RowQuery; rates: RowRates | undefined; visible: VisibleRows} | null = null;
	return (rows, state, rates) => {
		const extra = state.extraSort ?? null;
		if (
			last !== null &&
			last.rows === rows &&
			last.query.sortKey === state.sortKey &&
			last.query.reversed === state.reversed &&
			last.query.filter === state.filter &&
			(last.query.extraSort ?? null) === extra &&
			(last.rates === rates || (extra !== 'alloc' && extra !== 'free'))
		) {
			return last.visible;
		}

		let visible = NONE;
		if (rows !== null) {
			const shown = visibleRows(rows, state, rates);
			visible = {rows: shown, names: shown.map(row => row.name)};
		}

		last = {rows, query: {sortKey: state.sortKey, reversed: state.reversed, filter: state.filter, extraSort: extra}, rates, visible};
		return visible;
	};
}

const namesSelector = createRowSelector();

/** The names of the rows shown for a state, in screen order (memoised: the same array while nothing changed). */
export function visibleNames(rows: readonly CacheRow[], state: RowQuery, rates?: RowRates): readonly string[] {
	return namesSelector(rows, state, rates).names;
}
