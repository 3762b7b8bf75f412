// The key table: `keyToCommands(key, mode)` turns one key (as the key parser, key-parse.ts,
// reads it from the terminal) into the UiCommands it means. In browse mode keys are commands
// (slabtop's sort letters and the keys of commands/help.ts); in filter and command mode they
// edit the line as readline does (← → Home End, Ctrl-A Ctrl-E, Ctrl-U Ctrl-W, Backspace,
// Delete). `dispatchKeys` runs every key of one read in order, each in the mode the keys
// before it left, so `cb` sorts by c then b and `:show⏎` opens the bar, types and runs.

import {isSortKey} from '../report/sort.js';
import type {Key} from './key-parse.js';
import {pasteLines} from './line-editor.js';
import type {EditMove, Mode, UiCommand} from './state.js';

/** Single characters that are commands in browse mode (sort letters are handled apart). */
const BROWSE_CHARACTERS: Record<string, UiCommand> = {
	q: {kind: 'quit'},
	r: {kind: 'reverse'},
	' ': {kind: 'refresh'},
	'/': {kind: 'start-filter'},
	':': {kind: 'start-command'},
	z: {kind: 'toggle-pause'},
	'+': {kind: 'faster'},
	'=': {kind: 'faster'},
	'-': {kind: 'slower'},
	'?': {kind: 'help'},
	'[': {kind: 'speed', direction: -1},
	']': {kind: 'speed', direction: 1},
	'.': {kind: 'step', to: 'tick'},
	'>': {kind: 'step', to: 'phase'},
	f: {kind: 'trace-path'},
	e: {kind: 'explain'},
	h: {kind: 'pick-host'},
	w: {kind: 'cycle-window'},
	g: {kind: 'toggle-fleet-order'},
	m: {kind: 'mark'},
	// The simulator's operation trace; on the other sources, the rates' basis (reduce.ts).
	t: {kind: 'trace'},
	C: {kind: 'open-columns'},
};

/** Keys of the column picker (C): move, show or hide, sort by; Esc, Enter or C closes it. */
const PICKER_CHARACTERS: Record<string, UiCommand> = {
	' ': {kind: 'toggle-column'},
	s: {kind: 'sort-column'},
	C: {kind: 'back'},
	q: {kind: 'quit'},
};

const BROWSE_SPECIAL: Partial<Record<string, UiCommand>> = {
	up: {kind: 'move', delta: -1},
	down: {kind: 'move', delta: 1},
	pageup: {kind: 'page', delta: -1},
	pagedown: {kind: 'page', delta: 1},
	home: {kind: 'home'},
	end: {kind: 'end'},
	enter: {kind: 'open-detail'},
	escape: {kind: 'back'},
	tab: {kind: 'cycle-view'},
	left: {kind: 'move-across', delta: -1},
	right: {kind: 'move-across', delta: 1},
};

/** Editing keys of the filter and the command line, readline's. */
const EDIT_SPECIAL: Partial<Record<string, EditMove>> = {
	left: 'left',
	right: 'right',
	home: 'home',
	end: 'end',
	delete: 'delete',
};

const EDIT_CTRL: Partial<Record<string, EditMove>> = {
	a: 'home',
	e: 'end',
	b: 'left',
	f: 'right',
	u: 'kill-start',
	w: 'kill-word',
	h: 'backspace',
};

/** One browse-mode character: a sort letter or a key of BROWSE_CHARACTERS. */
function browseCharacter(char: string): UiCommand | null {
	if (isSortKey(char)) return {kind: 'sort', key: char};
	return BROWSE_CHARACTERS[char] ?? null;
}

function editing(key: Key, mode: Mode): UiCommand[] {
	switch (key.kind) {
		case 'text': {
			return [{kind: 'type', text: key.text}];
		}

		case 'special': {
			if (key.name === 'enter') return [{kind: 'submit'}];
			if (key.name === 'escape') return [{kind: 'cancel'}];
			if (key.name === 'backspace') return [{kind: 'edit', move: key.meta ? 'kill-word' : 'backspace'}];
			if (mode === 'command' && key.name === 'up') return [{kind: 'recall', delta: -1}];
			if (mode === 'command' && key.name === 'down') return [{kind: 'recall', delta: 1}];
			const move = EDIT_SPECIAL[key.name];
			return move === undefined ? [] : [{kind: 'edit', move}];
		}

		case 'ctrl': {
			const move = EDIT_CTRL[key.letter];
			return move === undefined ? [] : [{kind: 'edit', move}];
		}

		case 'paste': {
			return pasteCommands(key.text, mode);
		}

		case 'meta':
		case 'unknown': {
			return [];
		}
	}
}

/**
 * A paste into the command bar runs each of its lines in order (the last one, without a line
 * end, stays on the line to be edited); a paste into the filter takes its first line, and says so.
 */
function pasteCommands(text: string, mode: Mode): UiCommand[] {
	const lines = pasteLines(text);
	const isLastOpen = !/[\r\n]$/.test(text);
	if (mode === 'filter') {
		const commands: UiCommand[] = [{kind: 'type', text: lines[0] ?? ''}];
		if (lines.length > 1)
			commands.push({kind: 'note', text: `the filter took the first line of the paste (of ${lines.length})`});
		return commands;
	}

	const commands: UiCommand[] = [];
	for (const [index, line] of lines.entries()) {
		if (index > 0) commands.push({kind: 'start-command'});
		commands.push({kind: 'type', text: line});
		if (index < lines.length - 1 || !isLastOpen) commands.push({kind: 'submit'});
	}

	return commands;
}

/** The column picker's keys: ↑ ↓ move, Enter or Esc closes it, and PICKER_CHARACTERS. */
function picking(key: Key): UiCommand[] {
	if (key.kind === 'text') {
		const command = PICKER_CHARACTERS[String.fromCodePoint(key.text.codePointAt(0) ?? 0)];
		return command === undefined ? [] : [command];
	}

	if (key.kind !== 'special' || key.ctrl || key.meta) return [];
	if (key.name === 'up') return [{kind: 'move', delta: -1}];
	if (key.name === 'down') return [{kind: 'move', delta: 1}];
	if (key.name === 'enter' || key.name === 'escape') return [{kind: 'back'}];
	return [];
}

/** The commands of one key in `mode` (a text key in browse mode and the picker: its first character's). */
export function keyToCommands(key: Key, mode: Mode): UiCommand[] {
	if (key.kind === 'ctrl' && key.letter === 'c') return [{kind: 'quit'}];
	if (mode === 'picker') return picking(key);
	if (mode !== 'browse') return editing(key, mode);
	switch (key.kind) {
		case 'text': {
			const command = browseCharacter(String.fromCodePoint(key.text.codePointAt(0) ?? 0));
			return command === null ? [] : [command];
		}

		case 'special': {
			const command = key.ctrl || key.meta ? undefined : BROWSE_SPECIAL[key.name];
			return command === undefined ? [] : [command];
		}

		case 'paste': {
			return [{kind: 'note', text: 'a paste goes to the command bar (:) or the filter (/)'}];
		}

		case 'ctrl':
		case 'meta':
		case 'unknown': {
			return [];
		}
	}
}

/**
 * Runs the keys of one read in order. `mode()` is asked before each key, so a key that opens
 * the command bar makes the text after it typed there. A text key in browse mode is taken one
 * character at a time; once a character opens the filter or the command bar, the rest is typed.
 * Text that follows an Enter in the same read was pasted (nobody types that fast): in the command
 * bar each line runs in turn; the filter keeps its first line and says so.
 */
export function dispatchKeys(keys: readonly Key[], mode: () => Mode, dispatch: (command: UiCommand) => void): void {
	/** The mode an Enter in this read left, while the text after it is a paste's next line. */
	let pastedAfter: Mode | null = null;
	for (const key of keys) {
		if (pastedAfter !== null && mode() === 'browse' && (key.kind === 'text' || isEnter(key))) {
			if (pastedAfter === 'filter') {
				dispatch({kind: 'note', text: 'the filter took the first line of the paste'});
				return;
			}

			// An empty pasted line runs nothing (and opens no detail view).
			if (isEnter(key)) continue;
			dispatch({kind: 'start-command'});
		}

		pastedAfter = isEnter(key) && isEditing(mode()) ? mode() : pastedAfter;
		if (key.kind !== 'text' || isEditing(mode())) {
			for (const command of keyToCommands(key, mode())) dispatch(command);
			continue;
		}

		let index = 0;
		while (index < key.text.length && !isEditing(mode())) {
			const char = String.fromCodePoint(key.text.codePointAt(index) ?? 0);
			for (const command of keyToCommands({kind: 'text', text: char}, mode())) dispatch(command);
			index += char.length;
		}

		if (index < key.text.length) {
			for (const command of keyToCommands({kind: 'text', text: key.text.slice(index)}, mode())) dispatch(command);
		}
	}
}

/** The filter and the command line: where text is typed rather than taken key by key. */
function isEditing(mode: Mode): boolean {
	return mode === 'filter' || mode === 'command';
}

function isEnter(key: Key): boolean {
	return key.kind === 'special' && key.name === 'enter';
}
