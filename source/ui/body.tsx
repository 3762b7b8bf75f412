// The body of the screen, between the header and the command bar: the view the state names
// (the cache table, a cache's detail, the objects of one slab, memory, events, the operation
// trace, explain, help, or with a Prometheus source the fleet view and the host picker), a
// function of the frame's data (body-data.ts).

import {useMemo} from 'react';
import {baseFor} from '../report/rates.js';
import {detailProps, explanationOf, memoryProps, traceRecordsShown, traceShown, type BodyData} from './body-data.js';
import {HISTORY_WINDOW_MS} from './sample-store.js';
import {cacheColumns, CacheTable, tableRows, trendCells} from './views/cache-table.js';
import {Detail} from './views/detail.js';
import {Events} from './views/events.js';
import {FleetView} from './views/fleet.js';
import {Help} from './views/help.js';
import {AnswerPanel} from './views/answer-panel.js';
import {HostPicker} from './views/host-picker.js';
import {Memory} from './views/memory.js';
import {ExplainView} from './views/explain.js';
import {SlabObjectsView} from './views/slab-objects.js';
import {TraceView} from './views/trace.js';
import {ColumnPicker} from './views/column-picker.js';

export type {BodyData} from './body-data.js';

/** The table's page: recomputed for a new sample, scroll, order or width, not for a selection move. */
function Caches({state, snapshot, layout, visible}: BodyData) {
	const columns = useMemo(() => cacheColumns(layout.width, state.columns), [layout.width, state.columns]);
	const top = state.scrollTop;
	const {pageRows} = layout;
	const base = baseFor(snapshot.tracker, state.rateBasis);
	const rows = useMemo(
		() =>
			tableRows(
				visible.rows.slice(top, top + pageRows),
				snapshot.rates,
				snapshot.history,
				snapshot.sample?.timeMs ?? 0,
				HISTORY_WINDOW_MS,
				trendCells(columns),
				base,
			),
		[visible, top, pageRows, snapshot, columns, base],
	);
	return (
		<CacheTable
			rows={rows}
			columns={columns}
			sortKey={state.sortKey}
			sortColumn={state.sortColumn}
			selectedName={state.selectedName}
			filter={state.filter}
		/>
	);
}

export function Body(data: BodyData) {
	const {state, snapshot, layout, isSim} = data;
	switch (state.view) {
		case 'caches': {
			return layout.bodyHeight >= 2 ? <Caches {...data} /> : null;
		}

		case 'detail': {
			return <Detail {...detailProps(data)} />;
		}

		case 'memory': {
			return <Memory {...memoryProps(data)} />;
		}

		case 'columns': {
			return (
				<ColumnPicker
					columns={state.columns}
					sortColumn={state.sortColumn}
					cursor={state.pickerIndex}
					sourceKind={state.sourceKind}
					settingsNote={data.settingsNote}
					height={layout.bodyHeight}
				/>
			);
		}

		case 'events': {
			return <Events events={snapshot.events} isSim={isSim} height={layout.bodyHeight} scroll={state.pageScroll} />;
		}

		case 'help': {
			return <Help height={layout.bodyHeight} scroll={state.pageScroll} isSim={isSim} />;
		}

		case 'answer': {
			return <AnswerPanel answer={state.answer} height={layout.bodyHeight} scroll={state.pageScroll} />;
		}

		case 'fleet': {
			const {fleet} = data;
			return (
				<FleetView
					cache={state.selectedName ?? ''}
					windowSeconds={state.fleetWindow}
					order={state.fleetOrder}
					fleet={fleet?.snapshot.fleet ?? null}
					error={
						fleet === null ? 'the fleet view needs a Prometheus source (--source prometheus=URL)' : fleet.snapshot.error
					}
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
					error={
						fleet === null
							? 'the host picker needs a Prometheus source (--source prometheus=URL)'
							: fleet.snapshot.hostsError
					}
					width={layout.width}
					height={layout.bodyHeight}
				/>
			);
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
			return (
				<ExplainView
					explanation={explanationOf(data)}
					width={layout.width}
					height={layout.bodyHeight}
					scroll={state.pageScroll}
				/>
			);
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
	}
}
