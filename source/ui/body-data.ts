// What the body's views need, gathered once per frame (`BodyData`), and the figures the
// reducer's Frame takes from it: how long the scrolled view is (`pageLines`) and the hosts a
// fleet view or host picker lists (`listedHosts`). Data only; body.tsx draws it.

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
	/** Where the column picker saves its choice (or why it cannot), for the picker's last line. */
	settingsNote: string;
};

/** The hosts the fleet view or the host picker lists, in screen order (the reducer moves through them). */
export function listedHosts(data: Pick<BodyData, 'state' | 'fleet'>): readonly string[] {
	const {state, fleet} = data;
	if (fleet === null) return [];
	if (state.view === 'hosts') return fleet.snapshot.hosts ?? [];
	if (state.view !== 'fleet') return [];
	const figures = fleet.snapshot.fleet;
	return figures !== null && figures.cache === state.selectedName ? orderHosts(figures.hosts, state.fleetOrder).map(host => host.host) : [];
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

		case 'caches':
		case 'fleet':
		case 'hosts': {
			return 0;
		}
	}
}
