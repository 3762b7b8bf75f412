// The command line's editor: a line with a cursor, edited as readline edits one (← →, Ctrl-A
// Ctrl-E, Ctrl-U Ctrl-W, Backspace, Delete), that keeps its display width as it changes (only
// the text inserted or removed is measured, never the whole line) and holds at most
// MAX_LINE_LENGTH characters. `lineWindow` gives the part of the line that fits a width, around
// the cursor, in time proportional to that width. Values are immutable; no React, Ink or Node.

import stringWidth from 'string-width';

/** Characters (UTF-16 code units) a command line holds at the most. */
export const MAX_LINE_LENGTH = 4096;

export type EditLine = {
	/** Text left of the cursor. */
	readonly before: string;
	/** Text right of the cursor. */
	readonly after: string;
	/** Display widths of `before` and `after`. */
	readonly beforeWidth: number;
	readonly afterWidth: number;
};

/** An edit's result: the new line, and a one-line note when the edit was cut short. */
export type EditResult = {line: EditLine; note: string | null};

export const EMPTY_LINE: EditLine = {before: '', after: '', beforeWidth: 0, afterWidth: 0};

const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/** A line holding `text`, the cursor at its end (cut to MAX_LINE_LENGTH). */
export function lineOf(text: string): EditLine {
	const kept = cutToLength(text, MAX_LINE_LENGTH);
	return {before: kept, after: '', beforeWidth: widthOf(kept), afterWidth: 0};
}

export function lineText(line: EditLine): string {
	return line.before + line.after;
}

export function lineLength(line: EditLine): number {
	return line.before.length + line.after.length;
}

export function lineWidth(line: EditLine): number {
	return line.beforeWidth + line.afterWidth;
}

/** Control characters are never part of a line (a paste's line ends are split off before). */
const CONTROL = /\p{Cc}/gu;

function widthOf(text: string): number {
	// Printable ASCII: one column a character (the common case, and cheap).
	return /^[\u0020-\u007E]*$/.test(text) ? text.length : stringWidth(text);
}

/** At most `max` code units of `text`, not splitting a surrogate pair. */
function cutToLength(text: string, max: number): string {
	if (text.length <= max) return text;
	const code = text.charCodeAt(max - 1);
	return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** Inserts `text` at the cursor (control characters dropped); past the cap the rest is cut, and said. */
export function insertText(line: EditLine, text: string): EditResult {
	const clean = text.replace(CONTROL, '');
	const room = MAX_LINE_LENGTH - lineLength(line);
	const kept = cutToLength(clean, Math.max(0, room));
	const next: EditLine =
		kept === '' ? line : {...line, before: line.before + kept, beforeWidth: line.beforeWidth + widthOf(kept)};
	const note =
		kept.length < clean.length
			? `the command line holds ${MAX_LINE_LENGTH} characters: ${clean.length - kept.length} not taken`
			: null;
	return {line: next, note};
}

/** The last grapheme of `text` (looking at its end only). */
function lastGrapheme(text: string): string {
	if (text === '') return '';
	let last = '';
	for (const {segment} of segmenter.segment(text.slice(-16))) last = segment;
	return last;
}

function firstGrapheme(text: string): string {
	if (text === '') return '';
	for (const {segment} of segmenter.segment(text.slice(0, 16))) return segment;
	return '';
}

/** Removes `count` code units from the end of `before`. */
function dropBefore(line: EditLine, count: number): EditLine {
	if (count <= 0) return line;
	const removed = line.before.slice(line.before.length - count);
	return {...line, before: line.before.slice(0, -count), beforeWidth: line.beforeWidth - widthOf(removed)};
}

/** Backspace: the character left of the cursor. */
export function deleteBack(line: EditLine): EditLine {
	return dropBefore(line, lastGrapheme(line.before).length);
}

/** Delete (and Ctrl-D on a non-empty line): the character under the cursor. */
export function deleteForward(line: EditLine): EditLine {
	const first = firstGrapheme(line.after);
	if (first === '') return line;
	return {...line, after: line.after.slice(first.length), afterWidth: line.afterWidth - widthOf(first)};
}

/** ←: one character left. */
export function moveLeft(line: EditLine): EditLine {
	const last = lastGrapheme(line.before);
	if (last === '') return line;
	const width = widthOf(last);
	return {
		before: line.before.slice(0, -last.length),
		after: last + line.after,
		beforeWidth: line.beforeWidth - width,
		afterWidth: line.afterWidth + width,
	};
}

/** →: one character right. */
export function moveRight(line: EditLine): EditLine {
	const first = firstGrapheme(line.after);
	if (first === '') return line;
	const width = widthOf(first);
	return {
		before: line.before + first,
		after: line.after.slice(first.length),
		beforeWidth: line.beforeWidth + width,
		afterWidth: line.afterWidth - width,
	};
}

/** Ctrl-A / Home: the start of the line. */
export function moveHome(line: EditLine): EditLine {
	if (line.before === '') return line;
	return {before: '', after: line.before + line.after, beforeWidth: 0, afterWidth: lineWidth(line)};
}

/** Ctrl-E / End: the end of the line. */
export function moveEnd(line: EditLine): EditLine {
	if (line.after === '') return line;
	return {before: line.before + line.after, after: '', beforeWidth: lineWidth(line), afterWidth: 0};
}

/** Ctrl-U: readline's unix-line-discard, everything left of the cursor. */
export function killToStart(line: EditLine): EditLine {
	return {...line, before: '', beforeWidth: 0};
}

/** Ctrl-W: readline's unix-word-rubout, the word left of the cursor (up to whitespace) and the whitespace after it. */
export function killWordBack(line: EditLine): EditLine {
	const match = /\S*\s*$/.exec(line.before);
	return dropBefore(line, match === null ? 0 : match[0].length);
}

/** What of the line fits in `columns` display columns, the cursor kept in view: `left`, then the cursor, then `right`. */
export type LineWindow = {left: string; right: string; isCutLeft: boolean; isCutRight: boolean};

/** Characters from the end of `text` that fit in `columns` (walks back at most `columns` graphemes). */
function tailFitting(text: string, columns: number): string {
	if (columns <= 0) return '';
	const from = Math.max(0, text.length - columns * 2 - 8);
	const graphemes = [...segmenter.segment(text.slice(from))].map(part => part.segment);
	let width = 0;
	let index = graphemes.length;
	while (index > 0) {
		const next = widthOf(graphemes[index - 1]);
		if (width + next > columns) break;
		width += next;
		index--;
	}

	return graphemes.slice(index).join('');
}

function headFitting(text: string, columns: number): string {
	if (columns <= 0) return '';
	let width = 0;
	let out = '';
	for (const {segment} of segmenter.segment(text.slice(0, columns * 2 + 8))) {
		const next = widthOf(segment);
		if (width + next > columns) break;
		width += next;
		out += segment;
	}

	return out;
}

/**
 * The part of the line to draw in `columns` columns (one of them is the cursor's): the whole
 * line when it fits, else the text around the cursor, with the cursor at most two-thirds across.
 */
export function lineWindow(line: EditLine, columns: number): LineWindow {
	const room = Math.max(1, columns - 1);
	if (lineWidth(line) <= room) return {left: line.before, right: line.after, isCutLeft: false, isCutRight: false};
	const leftRoom = line.afterWidth === 0 ? room : Math.min(line.beforeWidth, Math.ceil((room * 2) / 3));
	const left = line.beforeWidth <= leftRoom ? line.before : tailFitting(line.before, leftRoom);
	const leftWidth = line.beforeWidth <= leftRoom ? line.beforeWidth : widthOf(left);
	const rightRoom = room - leftWidth;
	const right = line.afterWidth <= rightRoom ? line.after : headFitting(line.after, rightRoom);
	return {left, right, isCutLeft: left.length < line.before.length, isCutRight: right.length < line.after.length};
}

/** The lines of a pasted text (\r\n, \r and \n end a line; a last empty line is not one). */
export function pasteLines(text: string): string[] {
	const lines = text.split(/\r\n|\r|\n/);
	if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
	return lines;
}
