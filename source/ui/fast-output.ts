// A cheaper frame assembly for Ink 6.8 (issue 8: a refresh at 300 caches and 120x40 in under
// 5 ms of CPU). Ink lays a frame out with Yoga, then `Output.get()` (ink/build/output.js) turns
// the text written at each position into a grid of styled cells and the grid into one string.
// Ink's version tokenizes every line of every frame with @alcalzone/ansi-tokenize (a grapheme
// segmenter and an object per character), allocates a fresh cell object for each of the
// 120x40 blank cells, and diffs the ANSI styles of every pair of neighbouring cells: about 7 ms
// a frame here, more than the whole budget.
//
// `fastGet` computes the same string (byte for byte, `test/ui/fast-output.test.ts` compares
// the two on random writes and on the real screens) the same way, with three shortcuts:
//   - a line of printable ASCII and one-column symbols (… ↓ ▁ █: most of this screen) becomes
//     shared cells, with no tokenizing; other lines go through the same tokenizer, cached
//     across frames;
//   - blank cells are one shared cell, and a row written only with such lines stays text;
//   - neighbouring cells with the same styles need no ANSI diff.
// A clipping box (`overflow="hidden"`, the scrolled pages) cuts writes as Ink's get() does.
//
// `installFastOutput()` swaps Output.prototype.get for Ink 6.8.x only (the one version whose
// get() this was checked against); with any other Ink it leaves Ink as it is.

import {readFileSync} from 'node:fs';
import path from 'node:path';
import {ansiCodesToString, diffAnsiCodes, styledCharsFromTokens, tokenize} from '@alcalzone/ansi-tokenize';
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import {importInkModule, inkBuildDir} from './ink-fixes.js';

type AnsiCode = {type: 'ansi'; code: string; endCode: string};
export type StyledChar = {type: 'char'; value: string; fullWidth: boolean; styles: AnsiCode[]};
type Clip = {x1?: number; x2?: number; y1?: number; y2?: number};
type Transformer = (line: string, index: number) => string;
type Operation =
	| {type: 'write'; x: number; y: number; text: string; transformers: Transformer[]}
	| {type: 'clip'; clip: Clip}
	| {type: 'unclip'};

/** The part of Ink's Output object that get() reads. */
export type OutputLike = {width: number; height: number; operations: Operation[]};
export type OutputResult = {output: string; height: number};
type Get = (this: OutputLike) => OutputResult;

const NO_STYLES: AnsiCode[] = [];
const BLANK: StyledChar = {type: 'char', value: ' ', fullWidth: false, styles: NO_STYLES};
/**
 * Shared cells for characters that are always one grapheme of one column by Ink's own measure
 * (string-width and ansi-tokenize): printable ASCII and, found on first use, symbols such as
 * … → ↓ ▁ █ ◆. KIND says, per UTF-16 code unit, whether it is one (SINGLE), is not (OTHER) or
 * has not been looked at yet (0); the cells are in ASCII_CELLS and SYMBOL_CELLS.
 */
const SINGLE = 1;
const OTHER = 2;
const KIND = new Uint8Array(0x1_00_00);
const ASCII_CELLS: StyledChar[] = Array.from({length: 0x80}, (_, code) => ({
	type: 'char' as const,
	value: String.fromCharCode(code),
	fullWidth: false,
	styles: NO_STYLES,
}));
const SYMBOL_CELLS = new Map<number, StyledChar>();
for (let code = 0; code < 0xa0; code++) KIND[code] = code >= 0x20 && code <= 0x7e ? SINGLE : OTHER;

const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
const graphemeCount = (text: string): number => [...graphemes.segment(text)].length;

/** KIND of a code unit above 0x9f, worked out once. */
function classify(code: number): number {
	let kind = OTHER;
	// Surrogate halves never are (controls and C1 controls, 0x9b an escape for the tokenizer, are set above).
	if (code < 0xd800 || code > 0xdfff) {
		const value = String.fromCharCode(code);
		const tokens = tokenize(value);
		const isOneColumn =
			stringWidth(value) === 1 &&
			tokens.length === 1 &&
			tokens[0].type === 'char' &&
			!tokens[0].fullWidth &&
			// Does not join its neighbours into one grapheme (combining marks, joiners, prepends).
			graphemeCount(`a${value}`) === 2 &&
			graphemeCount(`${value}a`) === 2 &&
			graphemeCount(value + value) === 2;
		if (isOneColumn) {
			kind = SINGLE;
			SYMBOL_CELLS.set(code, {type: 'char', value, fullWidth: false, styles: NO_STYLES});
		}
	}

	KIND[code] = kind;
	return kind;
}

/** The shared cell of a code unit whose KIND is SINGLE. */
const cellOf = (code: number): StyledChar => (code < 0x80 ? ASCII_CELLS[code] : SYMBOL_CELLS.get(code)) ?? BLANK;

// Lines with escape sequences or non-ASCII text, tokenized once and kept across frames (a
// refresh changes a few of them). Bounded: cleared when full.
const CACHE_LIMIT = 4096;
const styledLines = new Map<string, StyledChar[]>();
const widths = new Map<string, number>();

/** Whether every unit of `line` is a shared one-column cell (no escape sequences, no wide text). */
function isSingleCells(line: string): boolean {
	for (let index = 0; index < line.length; index++) {
		const code = line.charCodeAt(index);
		const kind = KIND[code];
		if (kind === SINGLE) continue;
		if (kind === OTHER || classify(code) !== SINGLE) return false;
	}

	return true;
}

function styledChars(line: string): StyledChar[] {
	let chars = styledLines.get(line);
	if (chars === undefined) {
		chars = styledCharsFromTokens(tokenize(line));
		if (styledLines.size >= CACHE_LIMIT) styledLines.clear();
		styledLines.set(line, chars);
	}

	return chars;
}

/** string-width of a text, cached as Ink's Output caches it (bounded: cleared when full). */
function textWidth(text: string): number {
	let width = widths.get(text);
	if (width === undefined) {
		width = stringWidth(text);
		if (widths.size >= CACHE_LIMIT) widths.clear();
		widths.set(text, width);
	}

	return width;
}

function sameStyles(a: AnsiCode[], b: AnsiCode[]): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let index = 0; index < a.length; index++) {
		if (a[index].code !== b[index].code || a[index].endCode !== b[index].endCode) return false;
	}

	return true;
}

/** Writes one line's cells into `row` from column `x`, as Ink does (wide characters take two). */
function place(row: StyledChar[], x: number, line: string): void {
	let offsetX = x;
	if (isSingleCells(line)) {
		for (let index = 0; index < line.length; index++) row[offsetX++] = cellOf(line.charCodeAt(index));
		return;
	}

	for (const character of styledChars(line)) {
		row[offsetX] = character;
		// Ink's column count for one cell: string-width, at least 1.
		const width = Math.max(1, textWidth(character.value));
		for (let extra = 1; extra < width; extra++) {
			row[offsetX + extra] = {type: 'char', value: '', fullWidth: false, styles: character.styles};
		}

		offsetX += width;
	}
}

/** One row of cells as text: the cells' values with the ANSI codes between differing styles. */
function rowText(row: StyledChar[]): string {
	let text = '';
	let previous: StyledChar | undefined;
	// Indices only, as Ink's `filter` keeps them: holes and cells at non-index keys are skipped.
	for (let index = 0; index < row.length; index++) {
		const cell = row[index];
		if (cell === undefined) continue;
		if (previous === undefined) {
			if (cell.styles.length > 0) text += ansiCodesToString(cell.styles);
		} else if (!sameStyles(previous.styles, cell.styles)) {
			text += ansiCodesToString(diffAnsiCodes(previous.styles, cell.styles));
		}

		text += cell.value;
		previous = cell;
	}

	if (previous !== undefined && previous.styles.length > 0) {
		text += ansiCodesToString(diffAnsiCodes(previous.styles, NO_STYLES));
	}

	return text.trimEnd();
}

/** string-width of a line, as Ink measures it (shared-cell lines: their length). */
const lineWidth = (line: string): number => (isSingleCells(line) ? line.length : textWidth(line));

/** Columns `from` to `to` of a line, as Ink's sliceAnsi() cuts them (shared-cell lines: a substring). */
function sliceLine(line: string, from: number, to: number): string {
	return isSingleCells(line) ? line.slice(from, to) : sliceAnsi(line, from, to);
}

type Placed = {x: number; y: number; lines: string[]};

/**
 * A write's position and lines inside the innermost clipping box, as Ink's get() cuts them;
 * null when the write is wholly outside it.
 */
function clipWrite(x: number, y: number, text: string, clip: Clip | undefined): Placed | null {
	let lines = text.split('\n');
	if (clip === undefined) return {x, y, lines};
	const {x1, x2, y1, y2} = clip;
	const isHorizontal = typeof x1 === 'number' && typeof x2 === 'number';
	const isVertical = typeof y1 === 'number' && typeof y2 === 'number';
	if (isHorizontal) {
		const widest = Math.max(...lines.map(line => lineWidth(line)));
		if (x + widest < x1 || x > x2) return null;
	}

	if (isVertical && (y + lines.length < y1 || y > y2)) return null;
	if (isHorizontal) {
		const from = x < x1 ? x1 - x : 0;
		lines = lines.map(line => {
			const width = lineWidth(line);
			return sliceLine(line, from, x + width > x2 ? x2 - x : width);
		});
		if (x < x1) x = x1;
	}

	if (isVertical) {
		const from = y < y1 ? y1 - y : 0;
		lines = lines.slice(from, y + lines.length > y2 ? y2 - y : lines.length);
		if (y < y1) y = y1;
	}

	return {x, y, lines};
}

/** Ink's Output.get(), same result, cheaper (see the top of this file). */
export function fastGet(this: OutputLike): OutputResult {
	const {operations, width, height} = this;
	// A row is text while every line written to it is shared cells, left to right within the
	// frame (most rows: one line at x 0), and becomes cells at the first write that is not.
	const rows: Array<string | StyledChar[] | undefined> = Array.from({length: height});
	const ends: number[] = [];
	const clips: Clip[] = [];
	for (const operation of operations) {
		if (operation.type === 'clip') clips.push(operation.clip);
		if (operation.type === 'unclip') clips.pop();
		if (operation.type !== 'write' || operation.text === '') continue;
		const placed = clipWrite(operation.x, operation.y, operation.text, clips.at(-1));
		if (placed === null) continue;
		const {x, y, lines} = placed;
		const {transformers} = operation;
		let offsetY = 0;
		for (let index = 0; index < lines.length; index++) {
			const r = y + offsetY;
			// Ink skips a line outside the frame without moving on (so all the following ones too).
			if (!Number.isInteger(r) || r < 0 || r >= height) continue;
			let line = lines[index];
			for (const transformer of transformers) line = transformer(line, index);
			offsetY++;
			const row = rows[r];
			const isTextAt = Number.isInteger(x) && x >= 0 && x + line.length <= width && isSingleCells(line);
			if (isTextAt && row === undefined) {
				rows[r] = ' '.repeat(x) + line;
				ends[r] = x + line.length;
			} else if (isTextAt && typeof row === 'string' && x >= ends[r]) {
				rows[r] = row + ' '.repeat(x - ends[r]) + line;
				ends[r] = x + line.length;
			} else {
				const cells = cellsOf(row, width);
				place(cells, x, line);
				rows[r] = cells;
			}
		}
	}

	const output = rows.map(row => (row === undefined ? '' : typeof row === 'string' ? row.trimEnd() : rowText(row)));
	return {output: output.join('\n'), height};
}

/** A row as cells: blank, or the shared cells of its text so far. */
function cellsOf(row: string | StyledChar[] | undefined, width: number): StyledChar[] {
	if (Array.isArray(row)) return row;
	const cells = Array.from<StyledChar>({length: width}).fill(BLANK);
	if (row !== undefined) for (let index = 0; index < row.length; index++) cells[index] = cellOf(row.charCodeAt(index));
	return cells;
}

export type OutputClass = {
	new (options: {width: number; height: number}): OutputLike & {
		write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void;
		clip(clip: Clip): void;
		unclip(): void;
	};
	prototype: {get: Get};
};

/** Ink's Output class, from the Ink this program runs with, and that Ink's version. */
export async function loadInkOutput(): Promise<{version: string; Output: OutputClass}> {
	const packageJson = JSON.parse(readFileSync(path.join(inkBuildDir(), '..', 'package.json'), 'utf8')) as {
		version: string;
	};
	const module = await importInkModule<{default: OutputClass}>('output.js');
	return {version: packageJson.version, Output: module.default};
}

/** Ink's own get() (for comparisons), and a way back to it (the bench measures both). */
export type FastOutput = {inkGet: Get; uninstall(): void};
let installed: FastOutput | null = null;

/**
 * Makes Ink's frames use `fastGet`. Null when this Ink is not 6.8.x or its Output cannot be
 * found: Ink is then left as it is.
 */
export async function installFastOutput(): Promise<FastOutput | null> {
	if (installed !== null) return installed;
	try {
		const {version, Output} = await loadInkOutput();
		if (!/^6\.8\./.test(version) || typeof Output.prototype.get !== 'function') return null;
		const original = Output.prototype.get;
		Output.prototype.get = fastGet;
		installed = {
			inkGet: original,
			uninstall() {
				Output.prototype.get = original;
				installed = null;
			},
		};
		return installed;
	} catch {
		return null;
	}
}
