// The one container of the screen: it wires the sample store (read through
// useSyncExternalStore), the refresh timer (use-refresh.ts), the state and keys
// (use-screen.ts) and the layout (layout.ts) to the views: the header, the body (body.tsx) and
// the command bar. The frame of data the reducer reads is computed here, once per render, from
// the sample and frame-data.ts; use-fleet.ts and use-sysfs-request.ts serve the Prometheus and
// kernel sources.

import {Box, Text} from 'ink';
import {memo, useMemo} from 'react';
import type {CommandAnswer} from '../commands/bar-command.js';
import type {Palette} from '../config/terminal.js';
import {columnById, type ColumnId} from '../report/columns.js';
import {ok} from '../result.js';
import {PaletteContext} from './palette.js';
import {normalise} from '../commands/reduce.js';
import type {Frame, View} from '../commands/state.js';
import {selectVisibleRows} from '../commands/visible-rows.js';
import type {SortKey} from '../report/sort.js';
import {computeTotals} from '../report/totals.js';
import {err} from '../result.js';
import {isSimSource} from '../sim/types.js';
import {isPrometheusSource} from '../sources/prometheus-source.js';
import type {Sample, SlabSource} from '../sources/source.js';
import {Body} from './body.js';
import {sortFigures, useSimViews} from './frame-data.js';
import {useFleet} from './use-fleet.js';
import {sysfsRequest, useSysfsRequest} from './use-sysfs-request.js';
import {listedHosts, pageLines, type BodyData} from './body-data.js';
import {screenLayout} from './layout.js';
import {createSampleStore} from './sample-store.js';
import {useRefresh, type Clock} from './use-refresh.js';
import {useSample} from './use-sample.js';
import {useEffects, useKeys, useScreen} from './use-screen.js';
import {useTerminalSize, type TerminalSize} from './use-terminal-size.js';
import {CommandBar, CroppedNote} from './views/command-bar.js';
import {NarrationLine} from './views/narration.js';
import {Summary} from './views/summary.js';

export {MIN_COLUMNS, MIN_ROWS, screenLayout, type ScreenLayout} from './layout.js';

export type AppProps = {
	source: SlabSource;
	/** A sample already taken from the source (the CLI's start-up check): the first frame shows it. */
	firstSample?: Sample | null;
	sortKey: SortKey;
	delayMs: number;
	/** A fixed size (tests, the bench); otherwise the terminal's, following resizes. */
	size?: TerminalSize;
	/** Real time in milliseconds, for advancing the simulator (injectable for tests). */
	now?: Clock;
	/** A line to show first in the answer area (e.g. that `-d` was capped). */
	notice?: string | null;
	/** What the settings file set (columns, direction, palette) and how to save a new choice. */
	settings?: ScreenSettings;
	/** The view shown first (the host picker, for a Prometheus source with several hosts and no --instance). */
	initialView?: View;
};

// The views around the body keep their last render while their props are unchanged (a selection
// move, a typed character or a frame of the body alone does not render them again).
const SummaryView = memo(Summary);
const NarrationView = memo(NarrationLine);
const CommandBarView = memo(CommandBar);

/** The screen's settings from the settings file (config/config-file.ts), and how to keep new ones. */
export type ScreenSettings = {
	columns?: readonly ColumnId[];
	reversed?: boolean;
	palette?: Palette;
	/** The settings file could not be used: one line, shown on the status line until the first refresh. */
	note?: string | null;
	/** Where the picker's choice goes, for the picker's last line. */
	fileNote?: string;
	/** Saves sort, direction, delay and columns; returns the one line to show. */
	save?: (chosen: SavedSettings) => CommandAnswer;
};

export type SavedSettings = {sortKey: SortKey; reversed: boolean; delayMs: number; columns: readonly ColumnId[]};

export function App({
	source,
	firstSample = null,
	sortKey,
	delayMs,
	size: fixedSize,
	now,
	notice = null,
	initialView,
	settings = {},
}: AppProps) {
	const terminal = useTerminalSize();
	const size = fixedSize ?? terminal;
	const isSim = isSimSource(source);
	const store = useMemo(() => {
		const created = createSampleStore(source);
		created.refresh(firstSample);
		return created;
	}, [source, firstSample]);
	const snapshot = useSample(store);
	const isFleet = isPrometheusSource(source);
	const firstView = initialView ?? (isFleet && !source.isHostChosen ? 'hosts' : 'caches');
	const [screen, dispatch] = useScreen(
		{
			sortKey,
			delayMs,
			isSim,
			isFleet,
			initialView: firstView,
			sourceKind: source.kind,
			reversed: settings.reversed,
			columns: settings.columns,
		},
		notice === null ? null : err('refused', notice),
	);
	// The simulator's narration line (failures, what to watch) sits under the status line.
	const layout = screenLayout(size, screen.ui, isSim ? 1 : 0);
	const rows = snapshot.sample?.rows ?? null;
	const totals = useMemo(() => computeTotals(rows ?? []), [rows]);
	const isPaused = snapshot.status?.isPaused ?? false;
	// What the reducer reads is data of this frame; the state shown is kept consistent with it.
	const {sortColumn, rateBasis} = screen.ui;
	const figures = useMemo(
		() => sortFigures(rows, {sortColumn, rateBasis}, snapshot),
		[rows, sortColumn, rateBasis, snapshot],
	);
	const base: Frame = {rows: rows ?? [], pageRows: layout.pageRows, pageLines: 0, isPaused, figures, slabCount: 0};
	const state = normalise(screen.ui, base);
	const {detailName, detail, trace, slab} = useSimViews(
		source,
		snapshot.sample,
		state.view,
		state.selectedName,
		state.slabCursor,
	);
	const visible = selectVisibleRows(rows, {...state, figures});
	const refreshSample = useMemo(() => () => store.refresh(), [store]);
	const fleet = useFleet(source, refreshSample, state.view, state.selectedName, state.fleetWindow, state.delayMs);
	const data: BodyData = {
		state,
		snapshot,
		layout,
		isSim,
		totals,
		detail,
		visible,
		fleet,
		settingsNote: settings.fileNote ?? '',
		trace,
		slab,
	};
	const frame: Frame = {
		...base,
		pageLines: pageLines(data),
		hosts: listedHosts(data),
		currentHost: fleet?.host,
		slabCount: state.view === 'detail' ? (detail?.map.length ?? 0) : 0,
	};
	const refresh = useRefresh(source, store, state.delayMs, now);
	useSysfsRequest(source, snapshot, () => sysfsRequest(state, visible, layout.pageRows, detailName), refresh);
	const save = settings.save;
	const effects = useMemo(
		() => ({
			mark: () => {
				store.mark();
			},
			saveSettings: (): CommandAnswer =>
				save === undefined
					? ok('columns chosen for this run (no settings file)')
					: save({sortKey: state.sortKey, reversed: state.reversed, delayMs: state.delayMs, columns: state.columns}),
		}),
		[store, save, state.sortKey, state.reversed, state.delayMs, state.columns],
	);
	useEffects(screen.effects, dispatch, {source, frame, refresh, ...effects});
	useKeys(state.mode, isSim, frame, dispatch);
	const isRateShown =
		state.columns.some(id => columnById(id).need === 'rates') ||
		(state.sortColumn !== null && columnById(state.sortColumn).need === 'rates');
	const note =
		snapshot.sample !== null && snapshot.sample.version > (firstSample?.version ?? 0) + 1
			? null
			: (settings.note ?? null);

	return (
		<PaletteContext.Provider value={settings.palette ?? 'color'}>
			<Box flexDirection="column" width={layout.width} height={layout.height}>
				{layout.isCropped ? <CroppedNote columns={size.columns} rows={size.rows} /> : null}
				<SummaryView
					totals={totals}
					label={snapshot.sample?.label ?? source.label}
					status={snapshot.status}
					sortKey={state.sortKey}
					reversed={state.reversed}
					delayMs={state.delayMs}
					error={snapshot.error}
					sortColumn={state.sortColumn}
					rateBasis={isRateShown ? state.rateBasis : null}
					note={note}
				/>
				{isSim && snapshot.status !== null ? <NarrationView status={snapshot.status} /> : isSim ? <Text> </Text> : null}
				{/* No overflow clipping here: it costs a slice of every line per frame. Views fit their height. */}
				<Box flexDirection="column" height={layout.bodyHeight}>
					<Body {...data} />
				</Box>
				<CommandBarView
					mode={state.mode}
					line={state.line}
					answer={state.view === 'answer' ? null : state.answer}
					answerRows={layout.answerRows}
					filter={state.filter}
					isAnswerPanel={state.view === 'answer'}
					sourceKind={source.kind}
					width={layout.width}
				/>
			</Box>
		</PaletteContext.Provider>
	);
}
