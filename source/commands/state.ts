// The interactive screen's view model: `UiState`, the `UiCommand` union that keys (keymap.ts)
// produce, and the `Effect`s the reducer (reduce.ts) asks the container (ui/app.tsx) to run.
// Plain data, no React or Ink; `initialState(options)` builds the first state.

import type {SortKey} from '../report/sort.js';
import {EMPTY_LINE, type EditLine} from './line-editor.js';

/** The screens Tab cycles through, plus the detail view (Enter) and the help screen (?). */
export type View = 'caches' | 'detail' | 'memory' | 'events' | 'help';

/** Tab's cycle, in order. */
export const TAB_VIEWS: readonly View[] = ['caches', 'memory', 'events'];

/** What typed characters do: browse (keys are commands), or editing the filter or command line. */
export type Mode = 'browse' | 'filter' | 'command';

/** The command bar's last answer (from source.execute, or the UI's own refusal). */
export type Answer = {isOk: boolean; text: string};

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
	answer: Answer | null;
	/** Lines typed into the command bar, oldest first. */
	history: string[];
	/** The history line ↑/↓ recalled into the command bar, or null for a new line. */
	historyIndex: number | null;
	/** Whether the source is the simulator (sim-only keys are refused otherwise). */
	isSim: boolean;
};

/** What the container knows that keys need; pure functions of the current sample and screen. */
export type ViewContext = {
	/** The table's cache names in screen order for a state (its filter, sort and direction). */
	rowNames(state: UiState): readonly string[];
	/** Table rows, or lines of a scrolled view, that fit on the screen (at least 1). */
	pageRows: number;
	/** Lines of content of a scrolled view (detail, memory, events, help) for a state. */
	pageLines(state: UiState): number;
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
	| {kind: 'faster'}
	| {kind: 'slower'}
	| {kind: 'quit'}
	/** The container's report of what source.execute answered. */
	| {kind: 'answer'; answer: Answer};

/** Readline's editing keys: ← → Home/Ctrl-A End/Ctrl-E Backspace Delete Ctrl-U Ctrl-W. */
export type EditMove = 'left' | 'right' | 'home' | 'end' | 'backspace' | 'delete' | 'kill-start' | 'kill-word';

export type Effect =
	| {kind: 'quit'}
	| {kind: 'refresh'}
	/**
	 * Pause a running simulator or resume a paused one. Whether it is paused is the source's
	 * (status().isPaused): `:pause`, `:resume` and `--exec` change it without a key.
	 */
	| {kind: 'toggle-pause'}
	| {kind: 'speed'; direction: 1 | -1}
	| {kind: 'step'; to: 'tick' | 'phase'}
	| {kind: 'execute'; line: string};

export type Reduction = {state: UiState; effects: Effect[]};

/** The refresh delays `+` and `-` step through, in milliseconds. */
export const DELAY_STEPS_MS: readonly number[] = [100, 250, 500, 1000, 2000, 3000, 5000, 10_000, 30_000];

export type InitialStateOptions = {sortKey: SortKey; delayMs: number; isSim: boolean};

export function initialState(options: InitialStateOptions): UiState {
	return {
		view: 'caches',
		returnView: 'caches',
		sortKey: options.sortKey,
		reversed: false,
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
		isSim: options.isSim,
	};
}
