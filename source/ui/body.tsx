// The body of the screen, between the header and the command bar: the view the state names
// (the cache table, a cache's detail, memory, events or help), a function of data. `bodyData`
// gathers what the views need once per frame; `pageLines` is how long the scrolled view is
// (the reducer's Frame needs it).

import {useMemo} from 'react';
import type {UiState} from '../commands/state.js';
import type {Totals} from '../report/totals.js';
import type {SimDetail} from '../sim/types.js';
import type {ScreenLayout} from './layout.js';
import {HISTORY_WINDOW_MS, type Snapshot} from './sample-store.js';
import {cacheColumns, CacheTable, tableRows, trendCells} from './views/cache-table.js';
import {Detail, detailLineCount, type DetailProps} from './views/detail.js';
import {Events, eventsLineCount} from './views/events.js';
import {Help} from './views/help.js';
import {helpLines} from '../commands/help.js';
import {Memory, memoryLineCount} from './views/memory.js';
import type {VisibleRows} from '../commands/visible-rows.js';

export type BodyData = {
	/** The state as shown (its selection and scroll made consistent with the rows). */
	state: UiState;
	snapshot: Snapshot;
	layout: ScreenLayout;
	isSim: boolean;
	totals: Totals;
	/** The simulator's detail of the selected cache, when the detail view is open. */
	detail: SimDetail | null;
	/** The table's rows in screen order. */
	visible: VisibleRows;
};

function detailProps({state, snapshot, layout, isSim, detail}: BodyData): DetailProps {
	const name = state.selectedName ?? '';
	return {
		name,
		row: snapshot.sample?.rows.find(row => row.name === name) ?? null,
		detail,
		isSim,
		tick: snapshot.status?.tick ?? 0,
		width: layout.width,
		height: layout.bodyHeight,
		scroll: state.pageScroll,
	};
}

/** Lines of content of the scrolled view shown; 0 for the table (its rows are the reducer's to count). */
export function pageLines(data: BodyData): number {
	switch (data.state.view) {
		case 'detail': {
			return detailLineCount(detailProps(data));
		}

		case 'memory': {
			return memoryLineCount({memory: data.snapshot.status?.memory ?? null, samplePages: data.totals.pages, height: 0, scroll: 0});
		}

		case 'events': {
			return eventsLineCount({events: data.snapshot.events, isSim: data.isSim, height: 0, scroll: 0});
		}

		case 'help': {
			return helpLines().length;
		}

		case 'caches': {
			return 0;
		}
	}
}

/** The table's page: recomputed for a new sample, scroll, order or width, not for a selection move. */
function Caches({state, snapshot, layout, visible}: BodyData) {
	const columns = useMemo(() => cacheColumns(layout.width), [layout.width]);
	const top = state.scrollTop;
	const {pageRows} = layout;
	const rows = useMemo(
		() =>
			tableRows(
				visible.rows.slice(top, top + pageRows),
				snapshot.rates,
				snapshot.history,
				snapshot.sample?.timeMs ?? 0,
				HISTORY_WINDOW_MS,
				trendCells(columns),
			),
		[visible, top, pageRows, snapshot, columns],
	);
	return (
		<CacheTable rows={rows} columns={columns} sortKey={state.sortKey} selectedName={state.selectedName} filter={state.filter} />
	);
}

export function Body(data: BodyData) {
	const {state, snapshot, layout, isSim, totals} = data;
	switch (state.view) {
		case 'caches': {
			return layout.bodyHeight >= 2 ? <Caches {...data} /> : null;
		}

		case 'detail': {
			return <Detail {...detailProps(data)} />;
		}

		case 'memory': {
			return (
				<Memory memory={snapshot.status?.memory ?? null} samplePages={totals.pages} height={layout.bodyHeight} scroll={state.pageScroll} />
			);
		}

		case 'events': {
			return <Events events={snapshot.events} isSim={isSim} height={layout.bodyHeight} scroll={state.pageScroll} />;
		}

		case 'help': {
			return <Help height={layout.bodyHeight} scroll={state.pageScroll} />;
		}
	}
}
