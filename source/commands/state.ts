// The interactive screen's view model: `UiState`, the `UiCommand` union that keys (keymap.ts)
// and typed commands produce, the `Frame` of data the reducer reads, and the `Effect`s the
// reducer (reduce.ts) asks the container (ui/use-screen.ts) to run. Plain data, no React or
// Ink; `initialState(options)` builds the first state.

import type {TracePathFilter} from '../engine/index.js';
import {defaultColumnsFor, type ColumnId} from '../report/columns.js';
import type {RateBasis} from '../report/rates.js';
import type {SortKey} from '../report/sort.js';
import {FLEET_WINDOWS, type FleetOrder} from '../sources/prometheus-fleet.js';
import type {CacheRow, SourceKind} from '../sources/source.js';
import type {BarCommand, CommandAnswer} from './bar-command.js';
import {EMPTY_LINE, type EditLine} from './line-editor.js';

/**
 * The screens Tab cycles through, plus the detail view (Enter), the objects of one slab (Enter
 * on the detail view's slab map), explain (e), the help screen (?), the column picker (C) and,
 * with a Prometheus source, the fleet view (Tab) and the host picker (h).
 */
export type View =
	| 'caches'
	| 'detail'
	| 'slab'
	| 'memory'
	| 'events'
	| 'trace'
	| 'explain'
	| 'help'
	| 'columns'
	| 'fleet'
	| 'hosts'
	| 'answer';

/** Answers longer than this many lines (show, help <x>, validate, objects) open the answer panel; shorter ones stay on the command line. */
export const ANSWER_PANEL_MIN_LINES = 4;

/** Tab's cycle, in order. */
export const TAB_VIEWS: readonly View[] = ['caches', 'memory', 'events', 'trace'];
/** Tab's cycle with a Prometheus source (no simulator memory or events; the fleet instead). */
export const FLEET_TAB_VIEWS: readonly View[] = ['caches', 'fleet'];

/** What typed characters do: browse (keys are commands), or editing the filter or command line. */
export type Mode = 'browse' | 'filter' | 'command' | 'picker';

export type UiState = {
	view: View;
	/** Where Esc from the detail view or help goes back to. */
	returnView: View;
	sortKey: SortKey;
	reversed: boolean;
	/** Substring filter on cache names ('' shows all). */
	filter: string;
	/** The selected cache, by name, so selection survives re-sorting; null before the first sample. */
	selectedName: string | null;
	/** First table row shown. */
	scrollTop: number;
	/** Scroll offset (lines) of the detail, events and help views. */
	pageScroll: number;
	delayMs: number;
	mode: Mode;
	/** The line being typed in filter or command mode, with its cursor (line-editor.ts). */
	line: EditLine;
	/** The command bar's last answer (from the source, a parse error, or the screen's own refusal). */
	answer: CommandAnswer | null;
	/** Lines typed into the command bar, oldest first. */
	history: string[];
	/** The history line ↑/↓ recalled into the command bar, or null for a new line. */
	historyIndex: number | null;
	/** The trace view's cache (null: every cache) and path filter. */
	traceCache: string | null;
	tracePath: TracePathFilter;
	/** What explain shows: an index into EXPLAIN_TARGETS (report/explain.ts). */
	explainIndex: number;
	/** The slab chosen on the detail view's slab map (index in address order). */
	slabCursor: number;
	/** The source's kind: the footer and help list only the keys that work for it; sim-only keys are refused elsewhere (isSimState), the fleet views are a Prometheus source's (isFleetState). */
	sourceKind: SourceKind;
	/** The optional columns shown after slabtop's, in order (report/columns.ts). */
	columns: ColumnId[];
	/** An optional column the table is sorted by (descending; `r` reverses), or null for sortKey. */
	sortColumn: ColumnId | null;
	/** What the rate columns are taken against: the last refresh, the start, or the mark (`m`). */
	rateBasis: RateBasis;
	/** The column picker's cursor, an index into OPTIONAL_COLUMNS. */
	pickerIndex: number;
	/** The fleet view's growth window, seconds (one of FLEET_WINDOWS). */
	fleetWindow: number;
	/** The host selected in the fleet view or the host picker, by name. */
	selectedHost: string | null;
	/** The fleet view's host order: largest cache first, or fastest-growing first (`g`). */
	fleetOrder: FleetOrder;
};

/**
 * What the reducer needs to know of the sample and the screen, computed once per frame by the
 * container (ui/layout.ts): data only.
 */
export type Frame = {
	/** The sample's rows, in the source's order (the reducer filters and sorts them as the table does). */
	rows: readonly CacheRow[];
	/** Table rows, or lines of a scrolled view, that fit on the screen (at least 1). */
	pageRows: number;
	/** Lines of content of the scrolled view shown (detail, memory, events, help); 0 for the table. */
	pageLines: number;
	/** Whether the simulator's clock is stopped (z resumes it then). */
	isPaused: boolean;
	/** Slabs on the detail view's slab map (0 or absent elsewhere). */
	slabCount?: number;
	/** With a sort column: its figure for each cache (null: unknown, sorted last). */
	figures?: ReadonlyMap<string, number | null>;
	/** The hosts listed in the fleet view or the host picker, in screen order. */
	hosts?: readonly string[];
	/** The host the table shows (Prometheus source): where the host picker's selection starts. */
	currentHost?: string;
};

export type UiCommand =
	| {kind: 'sort'; key: SortKey}
	| {kind: 'reverse'}
	| {kind: 'refresh'}
	| {kind: 'move'; delta: number}
	| {kind: 'page'; delta: number}
	| {kind: 'home'}
	| {kind: 'end'}
	| {kind: 'open-detail'}
	| {kind: 'back'}
	| {kind: 'cycle-view'}
	| {kind: 'help'}
	| {kind: 'start-filter'}
	| {kind: 'start-command'}
	| {kind: 'type'; text: string}
	/** An editing key of the filter or command line. */
	| {kind: 'edit'; move: EditMove}
	/** A one-line message about the keys themselves (a paste cut short). */
	| {kind: 'note'; text: string}
	/** ↑ (-1) / ↓ (+1) in the command bar: an earlier or later line of its history. */
	| {kind: 'recall'; delta: -1 | 1}
	| {kind: 'submit'}
	| {kind: 'cancel'}
	| {kind: 'toggle-pause'}
	/** `[` (-1) / `]` (+1): the simulator's speed one step down or up. */
	| {kind: 'speed'; direction: 1 | -1}
	/** `.` one tick / `>` to the start of the next workload phase, while paused. */
	| {kind: 'step'; to: 'tick' | 'phase'}
	/** ← (-1) / → (+1): another slab on the slab map, another number in explain. */
	| {kind: 'move-across'; delta: -1 | 1}
	/** `t`: the operation trace (of the selected cache from the detail view; in the trace view: that cache ⇄ every cache). */
	| {kind: 'trace'}
	/** `f` in the trace view: the next path filter. */
	| {kind: 'trace-path'}
	/** `e`: explain the number the sort column (or the last one explained) shows for the selected cache. */
	| {kind: 'explain'}
	| {kind: 'faster'}
	| {kind: 'slower'}
	/** `h`: the host picker (Prometheus source). */
	| {kind: 'pick-host'}
	/** `w`: the fleet view's next growth window. */
	| {kind: 'cycle-window'}
	/** `g`: the fleet view's hosts by size or by growth. */
	| {kind: 'toggle-fleet-order'}
	| {kind: 'quit'}
	/** `m`: set the rates' mark to the latest sample, and show rates since it. */
	| {kind: 'mark'}
	/** `t`: rates since the last refresh → since start → since the mark. */
	| {kind: 'cycle-rates'}
	/** `C`: the column picker. */
	| {kind: 'open-columns'}
	/** In the picker: show or hide the column under the cursor (space). */
	| {kind: 'toggle-column'}
	/** In the picker: sort the table by the column under the cursor, or back to the sort key (s). */
	| {kind: 'sort-column'}
	/** The container's report of what the source answered to a command it ran. */
	| {kind: 'answer'; answer: CommandAnswer};

/** Readline's editing keys: ← → Home/Ctrl-A End/Ctrl-E Backspace Delete Ctrl-U Ctrl-W. */
export type EditMove = 'left' | 'right' | 'home' | 'end' | 'backspace' | 'delete' | 'kill-start' | 'kill-word';

export type Effect =
	| {kind: 'quit'}
	| {kind: 'refresh'}
	/**
	 * Hand a command to the simulator (`line`: as typed, for its event log), then show its
	 * answer and refresh. Typed commands and keys that mean one (`z`: pause or resume) alike.
	 */
	| {kind: 'run'; command: BarCommand; line: string}
	/** The simulator's speed one step up or down (sim/clock.ts). */
	| {kind: 'speed'; direction: 1 | -1}
	/** While paused: one tick, or to the start of the next workload phase. */
	| {kind: 'step'; to: 'tick' | 'phase'}
	/** Open the simulator's operation trace for one cache (null: all), or close it (open false). */
	| {kind: 'trace'; open: boolean; cacheName: string | null}
	/** Set the rates' mark to the latest sample. */
	| {kind: 'mark'}
	/** Write sort, delay and columns to the settings file (the picker closed). */
	| {kind: 'save-settings'}
	/** Show another host's table (Prometheus source). */
	| {kind: 'show-host'; host: string};

export type Reduction = {state: UiState; effects: Effect[]};

/** The refresh delays `+` and `-` step through, in milliseconds. */
export const DELAY_STEPS_MS: readonly number[] = [100, 250, 500, 1000, 2000, 3000, 5000, 10_000, 30_000];

export type InitialStateOptions = {
	sortKey: SortKey;
	delayMs: number;
	isSim: boolean;
	sourceKind?: SourceKind;
	reversed?: boolean;
	columns?: readonly ColumnId[];
	isFleet?: boolean;
	/** The view shown first (the host picker, when several hosts and no --instance). */
	initialView?: View;
};

export function initialState(options: InitialStateOptions): UiState {
	return {
		view: options.initialView ?? 'caches',
		returnView: 'caches',
		sortKey: options.sortKey,
		reversed: options.reversed ?? false,
		filter: '',
		selectedName: null,
		scrollTop: 0,
		pageScroll: 0,
		delayMs: options.delayMs,
		mode: 'browse',
		line: EMPTY_LINE,
		answer: null,
		history: [],
		historyIndex: null,
		traceCache: null,
		tracePath: 'all',
		explainIndex: -1,
		slabCursor: 0,
		sourceKind: options.sourceKind ?? (options.isFleet === true ? 'prometheus' : options.isSim ? 'sim' : 'file'),
		columns: [...(options.columns ?? defaultColumnsFor(options.isSim))],
		sortColumn: null,
		rateBasis: 'interval',
		pickerIndex: 0,
		fleetWindow: FLEET_WINDOWS[0],
		selectedHost: null,
		fleetOrder: 'size',
	};
}

/** Whether the source is the simulator (sim-only keys are refused otherwise). */
export const isSimState = (state: Pick<UiState, 'sourceKind'>): boolean => state.sourceKind === 'sim';

/** Whether the source is a Prometheus server (the fleet view and the host picker). */
export const isFleetState = (state: Pick<UiState, 'sourceKind'>): boolean => state.sourceKind === 'prometheus';
