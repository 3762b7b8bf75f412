// What the body's views need, gathered once per frame (`BodyData`), and the figures the
// reducer's Frame takes from it: how long the scrolled view is (`pageLines`) and the hosts a
// fleet view or host picker lists (`listedHosts`); the trace records, explanation and slab the
// trace, explain and slab views show. Data only; body.tsx draws it.

import {answerPanelLines} from './views/answer-panel.js';
import {helpLines} from '../commands/help.js';
import type {UiState} from '../commands/state.js';
import type {VisibleRows} from '../commands/visible-rows.js';
import type {Totals} from '../report/totals.js';
import type {SimDetail} from '../sim/types.js';
import {orderHosts} from '../sources/prometheus-fleet.js';
import type {FleetSnapshot} from './fleet-store.js';
import type {ScreenLayout} from './layout.js';
import type {Snapshot} from './sample-store.js';
import {detailLineCount, type DetailProps} from './views/detail.js';
import {eventsLineCount} from './views/events.js';
import type {SlabObjects, TraceRecord} from '../engine/index.js';
import {EXPLAIN_TARGETS, explain, type Explanation} from '../report/explain.js';
import type {TraceState} from '../sim/types.js';
import type {SysfsFigures} from '../sources/source.js';
import {explainLineCount} from './views/explain.js';
import {cellsPerRow, demoLines as slabDemoLines, slabHeading} from './views/slab-objects.js';
import {traceLineCount} from './views/trace.js';
import {memoryLineCount, type MemoryProps} from './views/memory.js';
import {OPTIONAL_COLUMNS} from '../report/columns.js';

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
	/** A Prometheus source's fleet figures and host list, and the host shown; null for other sources. */
	fleet: {snapshot: FleetSnapshot; host: string} | null;
	/** The simulator's operation trace while the trace view is shown. */
	trace: TraceState | null;
	/** The objects of the slab chosen on the slab map, while the slab view is shown. */
	slab: SlabObjects | null;
	/** Where the column picker saves its choice (or why it cannot), for the picker's last line. */
	settingsNote: string;
};

/** Records the trace view shows at the most (newest first). */
const TRACE_VIEW_RECORDS = 400;

/** Newest first; with --trace FILE the simulator traces every cache, so the view picks its cache here. */
export function traceRecordsShown(trace: TraceState | null, cacheName: string | null): TraceRecord[] {
	if (trace === null) return [];
	const records =
		cacheName === null || trace.cacheName === cacheName
			? trace.records
			: trace.records.filter(r => r.cacheName === cacheName);
	return records.slice(-TRACE_VIEW_RECORDS).reverse();
}

/** The trace as the view names it: the cache the view shows, whatever the simulator traces. */
export function traceShown(trace: TraceState | null, cacheName: string | null): TraceState | null {
	return trace === null || trace.cacheName === cacheName ? trace : {...trace, cacheName};
}

/** What explain knows of the selected cache beyond its row: sysfs figures (simulator or kernel). */
function sysfsFor(data: BodyData): SysfsFigures | null {
	const cache = data.detail?.cache;
	if (cache !== undefined) {
		return {
			aliases: cache.aliases,
			sysfs_name: cache.sysfsName,
			min_partial: cache.layout.minPartial,
			object_size: cache.layout.objectSize,
		};
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
	return figures !== null && figures.cache === state.selectedName
		? orderHosts(figures.hosts, state.fleetOrder).map(host => host.host)
		: [];
}

export function detailProps({state, snapshot, layout, isSim, detail}: BodyData): DetailProps {
	const name = state.selectedName ?? '';
	return {
		name,
		row: snapshot.sample?.rows.find(row => row.name === name) ?? null,
		detail,
		isSim,
		kernel: snapshot.sample?.kernel,
		tick: snapshot.status?.tick ?? 0,
		slabCursor: state.view === 'detail' ? state.slabCursor : -1,
		width: layout.width,
		height: layout.bodyHeight,
		scroll: state.pageScroll,
	};
}

/** The memory view's figures: the simulator's page allocator, or the kernel's /proc/buddyinfo. */
export function memoryProps({snapshot, totals, layout, state}: BodyData): MemoryProps {
	return {
		memory: snapshot.status?.memory ?? null,
		samplePages: totals.pages,
		zones: snapshot.sample?.kernel?.buddyinfo ?? null,
		zonesError: snapshot.sample?.kernel?.buddyinfoError ?? null,
		sourceKind: state.sourceKind,
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
			return memoryLineCount(memoryProps(data));
		}

		case 'columns': {
			return OPTIONAL_COLUMNS.length;
		}

		case 'events': {
			return eventsLineCount({events: data.snapshot.events, isSim: data.isSim, height: 0, scroll: 0});
		}

		case 'help': {
			return helpLines(data.isSim).length;
		}

		case 'answer': {
			return answerPanelLines(data.state.answer).length;
		}

		case 'caches':
		case 'fleet':
		case 'hosts': {
			return 0;
		}

		case 'trace': {
			const {trace, state} = data;
			return traceLineCount({
				trace,
				records: traceRecordsShown(trace, state.traceCache),
				pathFilter: state.tracePath,
				isPaused: false,
				height: 0,
				scroll: 0,
			});
		}

		case 'explain': {
			return explainLineCount(explanationOf(data), data.layout.width);
		}

		case 'slab': {
			return slabLineCount(data);
		}
	}
}
