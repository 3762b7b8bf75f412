// The body of the screen, between the header and the command bar: the view the state names
// (the cache table, a cache's detail, memory, events, help, or with a Prometheus source the
// fleet view and the host picker), a function of data. `bodyData`
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
import type {SlabObjects, TraceRecord} from '../engine/index.js';
import {EXPLAIN_TARGETS, explain, type Explanation} from '../report/explain.js';
import type {TraceState} from '../sim/types.js';
import type {SysfsFigures} from '../sources/source.js';
import {ExplainView, explainLineCount} from './views/explain.js';
import {SlabObjectsView} from './views/slab-objects.js';
import {TraceView, traceLineCount} from './views/trace.js';
import {slabHeading, cellsPerRow, demoLines as slabDemoLines} from './views/slab-objects.js';
import type {FleetSnapshot} from './fleet-store.js';
import {FleetView} from './views/fleet.js';
import {HostPicker} from './views/host-picker.js';

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
	/** The simulator's operation trace while the trace view is shown. */
	trace: TraceState | null;
	/** The objects of the slab chosen on the slab map, while the slab view is shown. */
	slab: SlabObjects | null;
	/** A Prometheus source's fleet figures and host list, and the host shown; null for other sources. */
	fleet: {snapshot: FleetSnapshot; host: string} | null;
};

/** Records the trace view shows at the most (newest first). */
const TRACE_VIEW_RECORDS = 400;

/** Newest first; with --trace FILE the simulator traces every cache, so the view picks its cache here. */
function traceRecordsShown(trace: TraceState | null, cacheName: string | null): TraceRecord[] {
	if (trace === null) return [];
	const records = cacheName === null || trace.cacheName === cacheName ? trace.records : trace.records.filter(r => r.cacheName === cacheName);
	return records.slice(-TRACE_VIEW_RECORDS).reverse();
}

/** The trace as the view names it: the cache the view shows, whatever the simulator traces. */
function traceShown(trace: TraceState | null, cacheName: string | null): TraceState | null {
	return trace === null || trace.cacheName === cacheName ? trace : {...trace, cacheName};
}

/** What explain knows of the selected cache beyond its row: sysfs figures (simulator or kernel). */
function sysfsFor(data: BodyData): SysfsFigures | null {
	const cache = data.detail?.cache;
	if (cache !== undefined) {
		return {aliases: cache.aliases, sysfs_name: cache.sysfsName, min_partial: cache.layout.minPartial, object_size: cache.layout.objectSize};
	}
	const row = data.snapshot.sample?.rows.find(candidate => candidate.name === data.state.selectedName);
	return row?.sysfs ?? null;
}

/** The explanation the explain view shows. */
export function explanationOf(data: BodyData): Explanation {
	const {state, snapshot} = data;
	const rows = snapshot.sample?.rows ?? [];
	const target = EXPLAIN_TARGETS[Math.max(0, state.explainIndex) % EXPLAIN_TARGETS.length];
	return explain({
		target,
		row: rows.find(row => row.name === state.selectedName) ?? null,
		rows,
		sourceKind: snapshot.sample?.kind ?? 'file',
		sysfs: sysfsFor(data),
		rates: state.selectedName === null ? null : (snapshot.rates.get(state.selectedName) ?? null),
		failures: data.detail?.cache.failures ?? null,
	});
}

function slabLineCount(data: BodyData): number {
	const {slab} = data;
	if (slab === null) return 1;
	const demo = data.detail?.demoObjects ?? null;
	const grid = Math.ceil(slab.cells.length / cellsPerRow(data.layout.width));
	return slabHeading('', slab).length + grid + 3 + (demo === null ? 0 : 2 + slabDemoLines(slab, demo, 0).length);
}

/** The hosts the fleet view or the host picker lists, in screen order (the reducer moves through them). */
export function listedHosts(data: Pick<BodyData, 'state' | 'fleet'>): readonly string[] {
	const {state, fleet} = data;
	if (fleet === null) return [];
	if (state.view === 'hosts') return fleet.snapshot.hosts ?? [];
	if (state.view !== 'fleet') return [];
	const figures = fleet.snapshot.fleet;
	return figures !== null && figures.cache === state.selectedName ? figures.hosts.map(host => host.host) : [];
}

function detailProps({state, snapshot, layout, isSim, detail}: BodyData): DetailProps {
	const name = state.selectedName ?? '';
	return {
		name,
		row: snapshot.sample?.rows.find(row => row.name === name) ?? null,
		detail,
		isSim,
		tick: snapshot.status?.tick ?? 0,
		slabCursor: state.view === 'detail' ? state.slabCursor : -1,
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

		case 'caches':
		case 'fleet':
		case 'hosts': {
			return 0;
		}

		case 'trace': {
			const {trace, state} = data;
			return traceLineCount({trace, records: traceRecordsShown(trace, state.traceCache), pathFilter: state.tracePath, isPaused: false, height: 0, scroll: 0});
		}

		case 'explain': {
			return explainLineCount(explanationOf(data), data.layout.width);
		}

		case 'slab': {
			return slabLineCount(data);
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
		<CacheTable
			rows={rows}
			columns={columns}
			sortKey={state.sortKey}
			extraSort={state.extraSort}
			selectedName={state.selectedName}
			filter={state.filter}
		/>
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

		case 'trace': {
			return (
				<TraceView
					trace={traceShown(data.trace, state.traceCache)}
					records={traceRecordsShown(data.trace, state.traceCache)}
					pathFilter={state.tracePath}
					isPaused={snapshot.status?.isPaused ?? false}
					height={layout.bodyHeight}
					scroll={state.pageScroll}
				/>
			);
		}

		case 'explain': {
			return <ExplainView explanation={explanationOf(data)} width={layout.width} height={layout.bodyHeight} scroll={state.pageScroll} />;
		}

		case 'slab': {
			if (data.slab === null) return <Detail {...detailProps(data)} />;
			return (
				<SlabObjectsView
					cacheName={state.selectedName ?? ''}
					view={data.slab}
					demoObjects={data.detail?.demoObjects ?? null}
					tick={snapshot.status?.tick ?? 0}
					width={layout.width}
					height={layout.bodyHeight}
					scroll={state.pageScroll}
				/>
			);
		}

		case 'fleet': {
			const {fleet} = data;
			return (
				<FleetView
					cache={state.selectedName ?? ''}
					windowSeconds={state.fleetWindow}
					fleet={fleet?.snapshot.fleet ?? null}
					error={fleet === null ? 'the fleet view needs a Prometheus source (--source prometheus=URL)' : fleet.snapshot.error}
					selectedHost={state.selectedHost ?? fleet?.host ?? null}
					width={layout.width}
					height={layout.bodyHeight}
				/>
			);
		}

		case 'hosts': {
			const {fleet} = data;
			return (
				<HostPicker
					hosts={fleet?.snapshot.hosts ?? null}
					current={fleet?.host ?? ''}
					selected={state.selectedHost}
					error={fleet === null ? 'the host picker needs a Prometheus source (--source prometheus=URL)' : fleet.snapshot.hostsError}
					width={layout.width}
					height={layout.bodyHeight}
				/>
			);
		}
	}
}
