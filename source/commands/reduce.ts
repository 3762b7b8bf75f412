// The screen's reducer: `reduce(state, command, context) → {state, effects}`. Pure: what has
// to touch the world (quit, refresh, pause or resume the simulator, run a command line)
// is returned as Effect data for the container (ui/app.tsx) to run. `context` carries what the
// container derives from the sample and the terminal (row names in screen order, page height).
//
// After every command the selection is normalised: it names a row that is shown (by name, so it
// survives re-sorting and filtering) and the table is scrolled so that row is visible.

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
	DELAY_STEPS_MS,
	type EditMove,
	TAB_VIEWS,
	type Effect,
	type Reduction,
	type UiCommand,
	type UiState,
	type ViewContext,
} from './state.js';

const NEEDS_SIM = 'needs the simulator (--source sim)';

function clamp(value: number, min: number, max: number): number {
	return Math.max(min, Math.min(max, value));
}

/** Selection and scroll made consistent with the rows shown. */
export function normalise(state: UiState, context: ViewContext): UiState {
	const names = context.rowNames(state);
	const page = Math.max(1, context.pageRows);
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

/** Moves the selection (caches view) or the page (other views) to `target(index, count)`. */
function moveTo(state: UiState, context: ViewContext, target: (index: number, count: number) => number): UiState {
	if (state.view === 'caches') {
		const names = context.rowNames(state);
		if (names.length === 0) return state;
		const current = state.selectedName === null ? 0 : Math.max(0, names.indexOf(state.selectedName));
		return {...state, selectedName: names[clamp(target(current, names.length), 0, names.length - 1)]};
	}

	const maxScroll = Math.max(0, context.pageLines(state) - Math.max(1, context.pageRows));
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
	return {state: {...state, answer: {isOk: false, text: `${what} ${NEEDS_SIM}`}}, effects: []};
}

/**
 * Opens the help (from any view: Esc or ? returns to that view, the detail view included) or
 * the detail view (from the table, which Esc returns to).
 */
function openView(state: UiState, view: 'help' | 'detail'): UiState {
	const returnView = state.view === 'help' ? state.returnView : state.view;
	return {...state, view, returnView, pageScroll: 0};
}

/** The view of Tab's cycle the current view belongs to (the detail view is the table's). */
function tabView(state: UiState): UiState['view'] {
	const view = state.view === 'help' ? state.returnView : state.view;
	return view === 'detail' ? 'caches' : view;
}

function submit(state: UiState): Reduction {
	if (state.mode === 'filter') return same({...state, mode: 'browse'});
	const line = lineText(state.line).trim();
	const next: UiState = {...state, mode: 'browse', line: EMPTY_LINE};
	if (line === '') return same(next);
	const history = [...state.history, line].slice(-50);
	return {state: {...next, history, historyIndex: null, answer: null}, effects: [{kind: 'execute', line}]};
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
	return note === null ? next : {...next, answer: {isOk: false, text: note}};
}

/** Esc: help returns to where it was opened, the detail, memory and events views to the table. */
function back(state: UiState): UiState {
	if (state.view === 'help') return {...state, view: state.returnView, pageScroll: 0};
	if (state.view !== 'caches') return {...state, view: 'caches', returnView: 'caches', pageScroll: 0};
	if (state.filter !== '') return {...state, filter: '', line: EMPTY_LINE};
	return {...state, answer: null};
}

function step(state: UiState, command: UiCommand, context: ViewContext): Reduction {
	switch (command.kind) {
		// A new order shows its top, as slabtop does (the selection moves to the first row).
		case 'sort': {
			return same({...state, sortKey: command.key, selectedName: null, scrollTop: 0});
		}

		case 'reverse': {
			return same({...state, reversed: !state.reversed, selectedName: null, scrollTop: 0});
		}

		case 'refresh': {
			return {state, effects: [{kind: 'refresh'}]};
		}

		case 'move': {
			return same(moveTo(state, context, index => index + command.delta));
		}

		case 'page': {
			return same(moveTo(state, context, index => index + command.delta * Math.max(1, context.pageRows)));
		}

		case 'home': {
			return same(moveTo(state, context, () => 0));
		}

		case 'end': {
			return same(moveTo(state, context, (_index, count) => count - 1));
		}

		case 'open-detail': {
			// Only a cache the table shows (a filter matching nothing shows none).
			if (state.view !== 'caches' || state.selectedName === null) return same(state);
			if (!context.rowNames(state).includes(state.selectedName)) return same(state);
			return same(openView(state, 'detail'));
		}

		case 'back': {
			return same(back(state));
		}

		case 'cycle-view': {
			const next = TAB_VIEWS[(TAB_VIEWS.indexOf(tabView(state)) + 1) % TAB_VIEWS.length];
			return same({...state, view: next, returnView: next, pageScroll: 0});
		}

		case 'help': {
			return same(state.view === 'help' ? back(state) : openView(state, 'help'));
		}

		case 'start-filter': {
			return same({...state, mode: 'filter', line: lineOf(state.filter)});
		}

		case 'start-command': {
			if (!state.isSim) return refuse(state, 'the command bar');
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
			return same({...state, answer: {isOk: false, text: command.text}});
		}

		case 'submit': {
			return submit(state);
		}

		case 'cancel': {
			return same(cancel(state));
		}

		case 'toggle-pause': {
			if (!state.isSim) return refuse(state, 'pause');
			const effects: Effect[] = [{kind: 'toggle-pause'}, {kind: 'refresh'}];
			return {state, effects};
		}

		case 'speed': {
			if (!state.isSim) return refuse(state, 'the speed');
			return {state, effects: [{kind: 'speed', direction: command.direction}, {kind: 'refresh'}]};
		}

		case 'step': {
			if (!state.isSim) return refuse(state, 'stepping');
			return {state, effects: [{kind: 'step', to: command.to}, {kind: 'refresh'}]};
		}

		case 'faster':
		case 'slower': {
			const delayMs = nextDelay(state.delayMs, command.kind === 'faster' ? -1 : 1);
			if (delayMs === state.delayMs) return same(state);
			// The container's timer restarts when delayMs changes.
			return same({...state, delayMs});
		}

		case 'quit': {
			return {state, effects: [{kind: 'quit'}]};
		}

		case 'answer': {
			return same({...state, answer: command.answer});
		}
	}
}

export function reduce(state: UiState, command: UiCommand, context: ViewContext): Reduction {
	const {state: next, effects} = step(normalise(state, context), command, context);
	return {state: normalise(next, context), effects};
}
