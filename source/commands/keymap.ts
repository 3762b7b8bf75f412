// The key table: `keyToCommand(input, key, mode)` turns one key press (as Ink's useInput reports
// it) into the UiCommand it means, or null. In browse mode keys are commands (slabtop's sort
// letters and the keys of commands/help.ts); in filter and command mode they edit the line.

import {isSortKey} from '../report/sort.js';
import type {Mode, UiCommand} from './state.js';

/** The fields of Ink's `Key` the table reads (Ink's own type is assignable to it). */
export type KeyPress = {
	upArrow: boolean;
	downArrow: boolean;
	leftArrow?: boolean;
	rightArrow?: boolean;
	pageUp: boolean;
	pageDown: boolean;
	home: boolean;
	end: boolean;
	return: boolean;
	escape: boolean;
	ctrl: boolean;
	meta: boolean;
	tab: boolean;
	backspace: boolean;
	delete: boolean;
};

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

/** Navigation keys, the same in every view. */
function navigation(key: KeyPress): UiCommand | null {
	if (key.upArrow) return {kind: 'move', delta: -1};
	if (key.downArrow) return {kind: 'move', delta: 1};
	if (key.pageUp) return {kind: 'page', delta: -1};
	if (key.pageDown) return {kind: 'page', delta: 1};
	if (key.home) return {kind: 'home'};
	if (key.end) return {kind: 'end'};
	if (key.leftArrow === true) return {kind: 'move-across', delta: -1};
	if (key.rightArrow === true) return {kind: 'move-across', delta: 1};
	return null;
}

/**
 * Enter: Ink's `return` (\r), or a lone \n (Ctrl-J; also what a terminal still in cooked mode
 * delivers for an Enter typed before the screen switched it to raw mode).
 */
function isEnter(input: string, key: KeyPress): boolean {
	return key.return || input === '\n';
}

/** Printable text of a key press: control characters dropped. */
function printable(input: string): string {
	return input.replace(/\p{Cc}/gu, '');
}

function editing(input: string, key: KeyPress, mode: Mode): UiCommand | null {
	if (isEnter(input, key)) return {kind: 'submit'};
	if (key.escape) return {kind: 'cancel'};
	if (mode === 'command' && key.upArrow) return {kind: 'recall', delta: -1};
	if (mode === 'command' && key.downArrow) return {kind: 'recall', delta: 1};
	if (key.backspace || key.delete) return {kind: 'erase'};
	if (key.ctrl || key.meta || key.tab) return null;
	const text = printable(input);
	return text === '' ? null : {kind: 'type', text};
}

/**
 * Every command one input event carries. A terminal delivers pasted text, or text typed faster
 * than it is read, as one event: in the command bar or filter, text ending a line is typed and
 * then submitted, and whatever follows the first line is dropped (so a pasted `show⏎q` cannot
 * quit). Everything else is one key: keyToCommand.
 */
export function keyToCommands(input: string, key: KeyPress, mode: Mode): UiCommand[] {
	const newline = input.search(/[\r\n]/);
	if (mode !== 'browse' && input.length > 1 && newline >= 0 && !key.ctrl && !key.meta) {
		const text = printable(input.slice(0, newline));
		return text === '' ? [{kind: 'submit'}] : [{kind: 'type', text}, {kind: 'submit'}];
	}
	const command = keyToCommand(input, key, mode);
	return command === null ? [] : [command];
}

export function keyToCommand(input: string, key: KeyPress, mode: Mode): UiCommand | null {
	if (key.ctrl && input === 'c') return {kind: 'quit'};
	if (mode === 'picker') {
		if (key.upArrow) return {kind: 'move', delta: -1};
		if (key.downArrow) return {kind: 'move', delta: 1};
		if (isEnter(input, key) || key.escape) return {kind: 'back'};
		return PICKER_CHARACTERS[input] ?? null;
	}

	if (mode !== 'browse') return editing(input, key, mode);
	const moved = navigation(key);
	if (moved !== null) return moved;
	if (isEnter(input, key)) return {kind: 'open-detail'};
	if (key.escape) return {kind: 'back'};
	if (key.tab) return {kind: 'cycle-view'};
	if (key.ctrl || key.meta) return null;
	if (isSortKey(input)) return {kind: 'sort', key: input};
	return BROWSE_CHARACTERS[input] ?? null;
}
