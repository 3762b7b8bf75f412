// The table's rows for a state: the sample's rows whose name contains the filter, sorted with
// slabtop's comparators (report/sort.ts), so the screen's order equals --once's. Memoised on
// the rows and the state's sort, direction and filter: `createRowSelector()` for the table,
// and `visibleNames()`, which the reducer reads after every command.

import type {UiState} from './state.js';
import {sortRows} from '../report/sort.js';
import type {CacheRow} from '../sources/source.js';

export type RowQuery = Pick<UiState, 'sortKey' | 'reversed' | 'filter'> & {
	sortColumn?: UiState['sortColumn'];
	/** The sort column's figure per cache name (the container computes it; rates need the samples). */
	figures?: ReadonlyMap<string, number | null>;
};

/** Rows by a column's figure, largest first (unknown last); ties keep the sort key's order. */
function sortByFigure(rows: CacheRow[], figures: ReadonlyMap<string, number | null>, reversed: boolean): CacheRow[] {
	const value = (row: CacheRow) => figures.get(row.name) ?? null;
	return rows.sort((a, b) => {
		const x = value(a);
		const y = value(b);
		if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
		return reversed ? x - y : y - x;
	});
}

export function visibleRows(rows: readonly CacheRow[], state: RowQuery): CacheRow[] {
	const shown = state.filter === '' ? rows : rows.filter(row => row.name.includes(state.filter));
	if (state.sortColumn != null && state.figures !== undefined) {
		return sortByFigure(sortRows(shown, state.sortKey), state.figures, state.reversed);
	}

	return sortRows(shown, state.sortKey, state.reversed);
}

/** The rows shown, in screen order, and their names. */
export type VisibleRows = {rows: readonly CacheRow[]; names: readonly string[]};

export type RowSelector = (rows: readonly CacheRow[] | null, state: RowQuery) => VisibleRows;

const NONE: VisibleRows = {rows: [], names: []};

/** A memoised visibleRows: the same object while rows, sort, direction and filter are the same. */
export function createRowSelector(): RowSelector {
	let last: {rows: readonly CacheRow[] | null; query: RowQuery; visible: VisibleRows} | null = null;
	return (rows, state) => {
		if (
			last !== null &&
			last.rows === rows &&
			last.query.sortKey === state.sortKey &&
			last.query.reversed === state.reversed &&
			last.query.filter === state.filter &&
			last.query.sortColumn === state.sortColumn &&
			last.query.figures === state.figures
		) {
			return last.visible;
		}

		let visible = NONE;
		if (rows !== null) {
			const shown = visibleRows(rows, state);
			visible = {rows: shown, names: shown.map(row => row.name)};
		}

		last = {
			rows,
			query: {
				sortKey: state.sortKey,
				reversed: state.reversed,
				filter: state.filter,
				sortColumn: state.sortColumn,
				figures: state.figures,
			},
			visible,
		};
		return visible;
	};
}

/** The one selector of the screen: the reducer and the container ask it the same query each frame. */
export const selectVisibleRows = createRowSelector();

/** The names of the rows shown for a state, in screen order (memoised: the same array while nothing changed). */
export function visibleNames(rows: readonly CacheRow[], state: RowQuery): readonly string[] {
	return selectVisibleRows(rows, state).names;
}
