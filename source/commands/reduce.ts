// The screen's reducer: `reduce(state, command, frame) → {state, effects}`. Pure, on data
// only: what has to touch the world (quit, refresh, hand a command to the simulator) is
// returned as Effect data for the container (ui/use-screen.ts) to run. `frame` carries what the
// container computed once for the frame on screen (the sample's rows, page sizes, the clock).
//
// Keys and typed commands meet here: a typed line is parsed (bar-parse.ts) into a BarCommand;
// `help` opens the help screen as `?` does, and `pause`/`resume` run as `z` does.
//
// After every command the selection is normalised: it names a row that is shown (by name, so it
// survives re-sorting and filtering) and the table is scrolled so that row is visible.

import {TRACE_PATH_FILTERS} from '../engine/index.js';
import {EXPLAIN_TARGETS, explainIndexForSortKey} from '../report/explain.js';
import {err} from '../result.js';
import {parseCommand} from './bar-parse.js';
import {answerText, refused, type BarCommand} from './bar-command.js';
import {
	deleteBack,
	deleteForward,
	EMPTY_LINE,
	insertText,
	killToStart,
	killWordBack,
	lineOf,
	lineText,
	moveEnd,
	moveHome,
	moveLeft,
	moveRight,
	type EditLine,
} from './line-editor.js';
import {
	ANSWER_PANEL_MIN_LINES,
	DELAY_STEPS_MS,
	FLEET_TAB_VIEWS,
	TAB_VIEWS,
	type EditMove,
	type Effect,
	type Frame,
	type Mode,
	type Reduction,
	type UiCommand,
	type UiState,
	isFleetState,
	isSimState,
} from './state.js';
import {visibleNames} from './visible-rows.js';
import {COLUMN_IDS, OPTIONAL_COLUMNS} from '../report/columns.js';
import {RATE_BASES} from '../report/rates.js';
import {FLEET_WINDOWS} from '../sources/prometheus-fleet.js';

const NEEDS_SIM = 'needs the simulator (--source sim)';

function clamp(value: number, min: number, max: number): number {
	return Math.max(min, Math.min(max, value));
}

/** Selection and scroll made consistent with the rows shown. */
export function normalise(state: UiState, frame: Frame): UiState {
	const names = visibleNames(frame.rows, {...state, figures: frame.figures});
	const page = Math.max(1, frame.pageRows);
	if (names.length === 0) {
		return state.scrollTop === 0 ? state : {...state, scrollTop: 0};
	}

	let index = state.selectedName === null ? -1 : names.indexOf(state.selectedName);
	if (index < 0) index = clamp(state.scrollTop, 0, names.length - 1);
	const selectedName = names[index];
	let scrollTop = clamp(state.scrollTop, 0, Math.max(0, names.length - page));
	if (index < scrollTop) scrollTop = index;
	if (index >= scrollTop + page) scrollTop = index - page + 1;
	if (selectedName === state.selectedName && scrollTop === state.scrollTop) return state;
	return {...state, selectedName, scrollTop};
}

/** Moves the selection (caches view, or the hosts of the fleet view and picker) or the page (other views) to `target(index, count)`. */
function moveTo(state: UiState, frame: Frame, target: (index: number, count: number) => number): UiState {
	if (state.view === 'columns') {
		return {
			...state,
			pickerIndex: clamp(target(state.pickerIndex, OPTIONAL_COLUMNS.length), 0, OPTIONAL_COLUMNS.length - 1),
		};
	}

	if (state.view === 'fleet' || state.view === 'hosts') {
		const hosts = frame.hosts ?? [];
		if (hosts.length === 0) return state;
		const current = hosts.indexOf(state.selectedHost ?? frame.currentHost ?? '');
		const index = current < 0 ? 0 : clamp(target(current, hosts.length), 0, hosts.length - 1);
		return {...state, selectedHost: hosts[index]};
	}

	if (state.view === 'caches') {
		const names = visibleNames(frame.rows, {...state, figures: frame.figures});
		if (names.length === 0) return state;
		const current = state.selectedName === null ? 0 : Math.max(0, names.indexOf(state.selectedName));
		return {...state, selectedName: names[clamp(target(current, names.length), 0, names.length - 1)]};
	}

	const maxScroll = Math.max(0, frame.pageLines - Math.max(1, frame.pageRows));
	return {...state, pageScroll: clamp(target(state.pageScroll, maxScroll + 1), 0, maxScroll)};
}

function nextDelay(delayMs: number, direction: 1 | -1): number {
	if (direction < 0) {
		const faster = DELAY_STEPS_MS.filter(step => step < delayMs);
		return faster.length === 0 ? delayMs : faster[faster.length - 1];
	}

	return DELAY_STEPS_MS.find(step => step > delayMs) ?? delayMs;
}

function same(state: UiState): Reduction {
	return {state, effects: []};
}

function refuse(state: UiState, what: string): Reduction {
	return {state: {...state, answer: err('needs-sim', `${what} ${NEEDS_SIM}`)}, effects: []};
}

/** A command for the simulator: run it, then refresh to show what it did. */
function run(state: UiState, command: BarCommand, line: string): Reduction {
	return {state, effects: [{kind: 'run', command, line}, {kind: 'refresh'}]};
}

/**
 * Opens the help (from any view: Esc or ? returns to that view, the detail view included), the
 * detail view (from the table, which Esc returns to), the host picker or the column picker.
 */
function openView(state: UiState, view: UiState['view']): UiState {
	const returnView = isOverlay(state.view) || state.view === 'columns' ? state.returnView : state.view;
	return {...state, view, returnView, pageScroll: 0};
}

/** The view of Tab's cycle the current view belongs to (the detail and slab views are the table's). */
function tabView(state: UiState, views: readonly UiState['view'][]): UiState['view'] {
	const view = isOverlay(state.view) ? state.returnView : state.view;
	return views.includes(view) ? view : 'caches';
}

/** Lines the command bar's history keeps. */
const HISTORY_LINES = 50;

function submit(state: UiState, frame: Frame): Reduction {
	if (state.mode === 'filter') return same({...state, mode: 'browse'});
	const line = lineText(state.line).trim();
	const next: UiState = {...state, mode: 'browse', line: EMPTY_LINE};
	if (line === '') return same(next);
	const history = [...state.history, line].slice(-HISTORY_LINES);
	const typed: UiState = {...next, history, historyIndex: null, answer: null};
	const parsed = parseCommand(line);
	if (!parsed.ok) return same({...typed, answer: parsed});
	const command = parsed.value;
	// `help` is `?`: the help screen lists every command; `help <command>` is the simulator's answer.
	if (command.kind === 'help' && command.topic === null) return step(typed, {kind: 'help'}, frame);
	return run(typed, command, line);
}

/** ↑/↓ in the command bar: step through its history; past the newest line is an empty line. */
function recall(state: UiState, delta: -1 | 1): UiState {
	const {history} = state;
	if (state.mode !== 'command' || history.length === 0) return state;
	const at = Math.min(history.length, Math.max(0, (state.historyIndex ?? history.length) + delta));
	return at === history.length
		? {...state, historyIndex: null, line: EMPTY_LINE}
		: {...state, historyIndex: at, line: lineOf(history[at])};
}

function cancel(state: UiState): UiState {
	if (state.mode === 'filter') return {...state, mode: 'browse', line: EMPTY_LINE, filter: ''};
	return {...state, mode: 'browse', line: EMPTY_LINE};
}

/** The state with its line edited; the filter follows the filter line as it is typed. */
function editLine(state: UiState, line: EditLine): UiState {
	if (line === state.line) return state;
	return state.mode === 'filter' ? {...state, line, filter: lineText(line)} : {...state, line};
}

const EDITS: Record<EditMove, (line: EditLine) => EditLine> = {
	left: moveLeft,
	right: moveRight,
	home: moveHome,
	end: moveEnd,
	backspace: deleteBack,
	delete: deleteForward,
	'kill-start': killToStart,
	'kill-word': killWordBack,
};

/** Typed (or pasted) text at the cursor; past the line's cap, the answer says what was not taken. */
function type(state: UiState, text: string): UiState {
	const {line, note} = insertText(state.line, text);
	const next = editLine(state, line);
	return note === null ? next : {...next, answer: err('refused', note)};
}

/** Enter on a host (fleet view, host picker): that host's table. */
function showHost(state: UiState, frame: Frame): Reduction {
	const hosts = frame.hosts ?? [];
	const chosen = state.selectedHost ?? frame.currentHost ?? null;
	const host = chosen !== null && hosts.includes(chosen) ? chosen : hosts[0];
	if (host === undefined) return same(state);
	return {
		state: {...state, view: 'caches', returnView: 'caches', pageScroll: 0},
		effects: [{kind: 'show-host', host}, {kind: 'refresh'}],
	};
}

/** Views drawn over another one (Esc and Tab go back to it): help, the host picker, a long answer. */
function isOverlay(view: UiState['view']): boolean {
	return view === 'help' || view === 'explain' || view === 'hosts' || view === 'answer';
}

/**
 * Esc: help, the host picker and a long answer return to where they were opened (the answer is
 * cleared); the detail, memory, events and fleet views to the table.
 */
function back(state: UiState): UiState {
	if (state.view === 'columns') return {...state, view: state.returnView, mode: 'browse', pageScroll: 0};
	if (state.view === 'slab') return {...state, view: 'detail', pageScroll: 0};
	if (state.view === 'answer') return {...state, view: state.returnView, pageScroll: 0, answer: null};
	if (isOverlay(state.view)) return {...state, view: state.returnView, pageScroll: 0};
	if (state.view !== 'caches') return {...state, view: 'caches', returnView: 'caches', pageScroll: 0};
	if (state.filter !== '') return {...state, filter: '', line: EMPTY_LINE};
	return {...state, answer: null};
}

function step(state: UiState, command: UiCommand, frame: Frame): Reduction {
	switch (command.kind) {
		// A new order shows its top, as slabtop does (the selection moves to the first row).
		case 'sort': {
			return same({...state, sortKey: command.key, sortColumn: null, selectedName: null, scrollTop: 0});
		}

		case 'reverse': {
			return same({...state, reversed: !state.reversed, selectedName: null, scrollTop: 0});
		}

		case 'refresh': {
			return {state, effects: [{kind: 'refresh'}]};
		}

		case 'move': {
			return same(moveTo(state, frame, index => index + command.delta));
		}

		case 'page': {
			return same(moveTo(state, frame, index => index + command.delta * Math.max(1, frame.pageRows)));
		}

		case 'home': {
			return same(moveTo(state, frame, () => 0));
		}

		case 'end': {
			return same(moveTo(state, frame, (_index, count) => count - 1));
		}

		case 'open-detail': {
			// Enter on the detail view opens the slab chosen on its slab map.
			if (state.view === 'detail' && (frame.slabCount ?? 0) > 0) return same({...state, view: 'slab', pageScroll: 0});
			if (state.view === 'fleet' || state.view === 'hosts') return showHost(state, frame);
			// Only a cache the table shows (a filter matching nothing shows none).
			if (state.view !== 'caches' || state.selectedName === null) return same(state);
			if (!visibleNames(frame.rows, {...state, figures: frame.figures}).includes(state.selectedName))
				return same(state);
			return same(openView(state, 'detail'));
		}

		case 'move-across': {
			const slabCount = frame.slabCount ?? 0;
			if (state.view === 'detail' && slabCount > 0) {
				return same({...state, slabCursor: clamp(state.slabCursor + command.delta, 0, slabCount - 1)});
			}
			if (state.view === 'explain') {
				const count = EXPLAIN_TARGETS.length;
				return same({...state, explainIndex: (state.explainIndex + command.delta + count) % count, pageScroll: 0});
			}
			return same(state);
		}

		case 'trace': {
			// `t` on the other sources cycles the rates' basis (the simulator's trace has no meaning there).
			if (!isSimState(state)) return step(state, {kind: 'cycle-rates'}, frame);
			if (state.view === 'trace')
				return same({...state, traceCache: state.traceCache === null ? state.selectedName : null, pageScroll: 0});
			return same({...state, view: 'trace', returnView: 'trace', traceCache: state.selectedName, pageScroll: 0});
		}

		case 'trace-path': {
			if (state.view !== 'trace') return same(state);
			const next = TRACE_PATH_FILTERS[(TRACE_PATH_FILTERS.indexOf(state.tracePath) + 1) % TRACE_PATH_FILTERS.length];
			return same({...state, tracePath: next, pageScroll: 0});
		}

		case 'explain': {
			if (state.view === 'explain') return same(back(state));
			const explainIndex = state.explainIndex < 0 ? explainIndexForSortKey(state.sortKey) : state.explainIndex;
			const returnView = state.view === 'detail' || state.view === 'caches' ? state.view : state.returnView;
			return same({...state, view: 'explain', returnView, explainIndex, pageScroll: 0});
		}

		case 'back': {
			// Leaving the column picker keeps its choice in the settings file.
			if (state.view === 'columns') return {state: back(state), effects: [{kind: 'save-settings'}]};
			return same(back(state));
		}

		case 'mark': {
			return {state: {...state, rateBasis: 'mark'}, effects: [{kind: 'mark'}]};
		}

		case 'cycle-rates': {
			return same({...state, rateBasis: RATE_BASES[(RATE_BASES.indexOf(state.rateBasis) + 1) % RATE_BASES.length]});
		}

		case 'open-columns': {
			return same({...openView(state, 'columns'), mode: 'picker'});
		}

		case 'toggle-column': {
			const id = OPTIONAL_COLUMNS[state.pickerIndex].id;
			const isShown = state.columns.includes(id);
			const columns = COLUMN_IDS.filter(other => (other === id ? !isShown : state.columns.includes(other)));
			return same({...state, columns, sortColumn: isShown && state.sortColumn === id ? null : state.sortColumn});
		}

		case 'sort-column': {
			const id = OPTIONAL_COLUMNS[state.pickerIndex].id;
			if (state.sortColumn === id) return same({...state, sortColumn: null});
			const columns = state.columns.includes(id)
				? state.columns
				: COLUMN_IDS.filter(other => other === id || state.columns.includes(other));
			return same({...state, columns, sortColumn: id});
		}

		case 'cycle-view': {
			if (state.view === 'columns') return same(state);
			const views = isFleetState(state) ? FLEET_TAB_VIEWS : TAB_VIEWS;
			const next = views[(views.indexOf(tabView(state, views)) + 1) % views.length];
			return same({...state, view: next, returnView: next, pageScroll: 0});
		}

		case 'help': {
			return same(state.view === 'help' ? back(state) : openView(state, 'help'));
		}

		case 'start-filter': {
			return same({...state, mode: 'filter', line: lineOf(state.filter)});
		}

		case 'start-command': {
			if (!isSimState(state)) return refuse(state, 'the command bar');
			return same({...state, mode: 'command', line: EMPTY_LINE, answer: null, historyIndex: null});
		}

		case 'type': {
			return same(type(state, command.text));
		}

		case 'recall': {
			return same(recall(state, command.delta));
		}

		case 'edit': {
			return same(editLine(state, EDITS[command.move](state.line)));
		}

		case 'note': {
			return same({...state, answer: err('refused', command.text)});
		}

		case 'submit': {
			return submit(state, frame);
		}

		case 'cancel': {
			return same(cancel(state));
		}

		case 'toggle-pause': {
			if (!isSimState(state)) return refuse(state, 'pause');
			// Whether the clock is stopped is the simulator's (`:pause`, `:resume` and --exec change it too).
			return frame.isPaused ? run(state, {kind: 'resume'}, 'resume') : run(state, {kind: 'pause'}, 'pause');
		}

		case 'speed': {
			if (!isSimState(state)) return refuse(state, 'the speed');
			return {state, effects: [{kind: 'speed', direction: command.direction}, {kind: 'refresh'}]};
		}

		case 'step': {
			if (!isSimState(state)) return refuse(state, 'stepping');
			return {state, effects: [{kind: 'step', to: command.to}, {kind: 'refresh'}]};
		}

		case 'faster':
		case 'slower': {
			const delayMs = nextDelay(state.delayMs, command.kind === 'faster' ? -1 : 1);
			if (delayMs === state.delayMs) return same(state);
			// The container's timer restarts when delayMs changes.
			return same({...state, delayMs});
		}

		case 'pick-host': {
			if (!isFleetState(state))
				return same({...state, answer: refused('the host picker needs a Prometheus source (--source prometheus=URL)')});
			return same(state.view === 'hosts' ? back(state) : {...openView(state, 'hosts'), selectedHost: null});
		}

		case 'cycle-window': {
			if (state.view !== 'fleet') return same(state);
			const next = FLEET_WINDOWS[(FLEET_WINDOWS.indexOf(state.fleetWindow) + 1) % FLEET_WINDOWS.length];
			return same({...state, fleetWindow: next});
		}

		case 'toggle-fleet-order': {
			if (state.view !== 'fleet') return same(state);
			return same({...state, fleetOrder: state.fleetOrder === 'size' ? 'growth' : 'size'});
		}

		case 'quit': {
			return {state, effects: [{kind: 'quit'}]};
		}

		case 'answer': {
			// A long answer (show, validate, objects, a report) opens its own scrollable panel.
			const lines = answerText(command.answer).replace(/\n+$/, '').split('\n').length;
			if (lines < ANSWER_PANEL_MIN_LINES)
				return same({...state, answer: command.answer, view: state.view === 'answer' ? state.returnView : state.view});
			const returnView = isOverlay(state.view) ? state.returnView : state.view;
			return same({...state, answer: command.answer, view: 'answer', returnView, pageScroll: 0});
		}
	}
}

/** The simulator's trace is open exactly while the trace view is shown, for the cache it names. */
function traceEffects(before: UiState, after: UiState): Effect[] {
	const wasOpen = before.view === 'trace';
	const isOpen = after.view === 'trace';
	if (isOpen && (!wasOpen || before.traceCache !== after.traceCache))
		return [{kind: 'trace', open: true, cacheName: after.traceCache}];
	if (wasOpen && !isOpen) return [{kind: 'trace', open: false, cacheName: null}];
	return [];
}

export function reduce(state: UiState, command: UiCommand, frame: Frame): Reduction {
	const {state: next, effects} = step(normalise(state, frame), command, frame);
	const shown = normalise(next, frame);
	const trace = traceEffects(state, shown);
	return {state: shown, effects: trace.length === 0 ? effects : [...trace, ...effects]};
}

/** The screen's state as useReducer keeps it: the UI state and the effects not yet run. */
export type Screen = {ui: UiState; effects: readonly Effect[]};

export type ScreenAction =
	| {kind: 'command'; command: UiCommand; frame: Frame}
	/** The commands of one read of the terminal, in order (a paste is many). */
	| {kind: 'commands'; commands: readonly UiCommand[]; frame: Frame}
	| {kind: 'effects-run'; count: number};

/** reduce() for React's useReducer: effects queue up until the container has run them. */
export function screenReducer(screen: Screen, action: ScreenAction): Screen {
	if (action.kind === 'effects-run') return {...screen, effects: screen.effects.slice(action.count)};
	const commands = action.kind === 'command' ? [action.command] : action.commands;
	let ui = screen.ui;
	const effects: Effect[] = [];
	for (const command of commands) {
		const reduced = reduce(ui, command, action.frame);
		ui = reduced.state;
		effects.push(...reduced.effects);
	}

	if (ui === screen.ui && effects.length === 0) return screen;
	return {ui, effects: effects.length === 0 ? screen.effects : [...screen.effects, ...effects]};
}

/**
 * The mode a command leaves the line editor in, as reduce() changes it: what the key reader
 * needs to read the next key of a read before the screen has drawn (commands/keymap.ts).
 */
export function modeAfter(mode: Mode, command: UiCommand, isSim: boolean): Mode {
	switch (command.kind) {
		case 'start-filter': {
			return 'filter';
		}

		case 'start-command': {
			return isSim ? 'command' : mode;
		}

		case 'open-columns': {
			return 'picker';
		}

		case 'back': {
			return mode === 'picker' ? 'browse' : mode;
		}

		case 'submit':
		case 'cancel': {
			return 'browse';
		}

		default: {
			return mode;
		}
	}
}
