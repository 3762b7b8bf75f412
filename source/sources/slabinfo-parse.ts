// Pure parser for /proc/slabinfo text: `parseSlabinfo(bytes, file)` → the rows in file order,
// or one SourceError naming the file and line. No file access here (that is slabinfo-read.ts).
//
// It accepts exactly what procps-ng 4.0.2 accepts (library/slabinfo.c slabinfo_read_failed and
// parse_slabinfo20), because `slabtop-ts --once` must print what `slabtop -o` prints for any file
// slabtop reads, and reject what it rejects. The input is the file's bytes, one character per
// byte (a latin1 string), as procps reads them with fgets() and sscanf():
//
//   - The file is read in fgets() pieces of at most 2047 bytes: a longer line is cut, and each
//     further piece is parsed as a line of its own (so a cache line with 1 MB of trailing
//     blanks is followed by a "line" of blanks, which fails). Each piece ends at its first NUL
//     byte for sscanf().
//   - The first piece must match `slabinfo - version: %d.%d` with a major version of 2 (any
//     minor; a " (statistics)" or anything else after it is ignored). Blanks in that pattern
//     match any run of blanks, including none.
//   - Every further piece starting with `#` is skipped. Any other piece must match
//
//       %128s %u %u %u %u %u : tunables %u %u %u : slabdata %u %u [%u]
//
//     that is: a name (up to 128 non-blank bytes: a longer name's 129th byte on starts the next
//     field), five counts, the word tunables after a colon, three counts, slabdata after a
//     colon, two counts. Nothing after <num_slabs> matters: a missing <sharedavail>, vendor
//     columns, the 2.x (statistics) globalstat/cpustat columns and trailing junk are all taken.
//   - A blank is what C's isspace() says: space, \t, \n, \v, \f, \r.
//   - A count is %u: an optional sign and decimal digits, converted as strtoul() does (a
//     negative count is 2^64 minus it; beyond 2^64 − 1 it saturates) and stored in 32 bits.
//     Here a plain count up to 2^53 − 1 is kept exactly (the screen and --json show it; the
//     --once report wraps it at 2^32 as procps does); any other count is the 32-bit value procps
//     keeps.
//
// Anything else rejects the whole file: no version line, another major version, a blank line, a
// line that stops before <num_slabs> or has a non-number where a count belongs.

import {failWith, ok, type Result} from '../result.js';
import type {CacheRow, SourceError} from './source.js';

export type Slabinfo = {rows: CacheRow[]; version: string; hasStatistics: boolean};

export type ParseResult = Result<Slabinfo, SourceError>;

/** fgets(buffer, SLABINFO_LINE_LEN = 2048, …) reads at most 2047 bytes at a time. */
export const FGETS_PIECE = 2047;
/** `%128s`: procps's SLABINFO_NAME_LEN. */
export const MAX_NAME_LENGTH = 128;

const TWO_TO_32 = 2 ** 32;
const TWO_TO_64 = 2n ** 64n;

/** C isspace() in the C locale. */
function isBlank(code: number): boolean {
	return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

function isDigit(code: number): boolean {
	return code >= 0x30 && code <= 0x39;
}

/** A sscanf() over one C string (the piece up to its first NUL). */
class Scanner {
	index = 0;
	constructor(readonly text: string) {}

	skipBlanks(): void {
		while (this.index < this.text.length && isBlank(this.text.charCodeAt(this.index))) this.index++;
	}

	isAtEnd(): boolean {
		return this.index >= this.text.length;
	}

	/** The next run of non-blank bytes, for messages (without moving). */
	peekWord(): string | undefined {
		this.skipBlanks();
		if (this.isAtEnd()) return undefined;
		let end = this.index;
		while (end < this.text.length && !isBlank(this.text.charCodeAt(end))) end++;
		return this.text.slice(this.index, Math.min(end, this.index + 40));
	}

	/** `%Ns`: up to `max` non-blank bytes after blanks; null at the end of the string. */
	word(max: number): string | null {
		this.skipBlanks();
		if (this.isAtEnd()) return null;
		const start = this.index;
		while (this.index < this.text.length && this.index - start < max && !isBlank(this.text.charCodeAt(this.index))) {
			this.index++;
		}

		return this.text.slice(start, this.index);
	}

	/** A literal in the format: blanks (a format blank skips any run of them), then `literal`. */
	literal(literal: string): boolean {
		this.skipBlanks();
		if (!this.text.startsWith(literal, this.index)) return false;
		this.index += literal.length;
		return true;
	}

	/** The sign and digits of a %u or %d, or null (nothing is consumed then). */
	private numberText(): string | null {
		this.skipBlanks();
		let end = this.index;
		const sign = this.text.charCodeAt(end);
		if (sign === 0x2b || sign === 0x2d) end++;
		const digitsStart = end;
		while (end < this.text.length && isDigit(this.text.charCodeAt(end))) end++;
		if (end === digitsStart) return null;
		const text = this.text.slice(this.index, end);
		this.index = end;
		return text;
	}

	/** `%u`: the count as procps stores it (exact when plain and safe; else strtoul's value in 32 bits). */
	unsigned(): number | null {
		const text = this.numberText();
		if (text === null) return null;
		if (/^\d{1,15}$/.test(text)) return Number(text);
		const isNegative = text.startsWith('-');
		const magnitude = BigInt(text.replace(/^[+-]/, ''));
		if (!isNegative && magnitude <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(magnitude);
		// strtoul: beyond ULONG_MAX (either sign) is ULONG_MAX; -n is 2^64 - n.
		let value = magnitude >= TWO_TO_64 ? TWO_TO_64 - 1n : magnitude;
		if (isNegative && magnitude < TWO_TO_64) value = (TWO_TO_64 - value) % TWO_TO_64;
		return Number(value % BigInt(TWO_TO_32));
	}

	/** `%d`: strtol() saturating at ±2^63, stored in a 32-bit int. */
	signed(): number | null {
		const text = this.numberText();
		if (text === null) return null;
		let value = BigInt(text);
		const limit = 2n ** 63n;
		if (value >= limit) value = limit - 1n;
		if (value < -limit) value = -limit;
		return Number(BigInt.asIntN(32, value));
	}
}

/** The pieces fgets() gives, each with the line it starts on. */
function* fgetsPieces(text: string): Generator<{piece: string; line: number; isRest: boolean}> {
	let index = 0;
	let line = 1;
	let isRest = false;
	while (index < text.length) {
		const newline = text.indexOf('\n', index);
		const lineEnd = newline === -1 ? text.length : newline + 1;
		const end = Math.min(lineEnd, index + FGETS_PIECE);
		yield {piece: text.slice(index, end), line, isRest};
		isRest = end !== lineEnd;
		if (end === lineEnd && newline !== -1) line++;
		index = end;
	}
}

/** The C string sscanf() sees: the piece up to its first NUL. */
function cString(piece: string): string {
	const nul = piece.indexOf('\0');
	return nul === -1 ? piece : piece.slice(0, nul);
}

function fail(file: string, line: number, kind: SourceError['kind'], what: string): ParseResult {
	return failWith({kind, file, line, message: `${file}:${line}: ${what}`});
}

function found(word: string | undefined): string {
	return word === undefined ? 'end of line' : JSON.stringify(word);
}

const COUNT_COLUMNS = ['active_objs', 'num_objs', 'objsize', 'objperslab', 'pagesperslab'] as const;
const TUNABLE_COLUMNS = ['limit', 'batchcount', 'sharedfactor'] as const;
const SLABDATA_COLUMNS = ['active_slabs', 'num_slabs'] as const;

/** Reads one %u per column into `out`, or returns what went wrong. */
function readCounts(scanner: Scanner, columns: readonly string[], out: number[]): string | null {
	for (const column of columns) {
		const value = scanner.unsigned();
		if (value === null) return `expected a number for <${column}>, found ${found(scanner.peekWord())}`;
		out.push(value);
	}

	return null;
}

function readLabel(scanner: Scanner, label: string): string | null {
	if (scanner.literal(':') && scanner.literal(label)) return null;
	return `expected ": ${label}", found ${found(scanner.peekWord())}`;
}

const BLANK = '[ \\t\\n\\v\\f\\r]';
const COUNT = '([0-9]{1,15})';
/**
 * The line as the kernel prints it, in one regular expression: the fast path. Every line it
 * matches, the sscanf() reading below reads alike (names of at most 128 bytes followed by a
 * blank, plain counts of at most 15 digits); anything else takes the slow path.
 */
const KERNEL_LINE = new RegExp(
	`^${BLANK}*([^ \\t\\n\\v\\f\\r]{1,128})${BLANK}+${COUNT}${BLANK}+${COUNT}${BLANK}+${COUNT}${BLANK}+${COUNT}${BLANK}+${COUNT}` +
		`${BLANK}*:${BLANK}*tunables${BLANK}+${COUNT}${BLANK}+${COUNT}${BLANK}+${COUNT}${BLANK}*:${BLANK}*slabdata${BLANK}+${COUNT}${BLANK}+${COUNT}(?![0-9])` +
		`(?:${BLANK}+${COUNT}(?![0-9]))?`,
);

function rowOf(name: string, counts: readonly number[], sharedAvail: number): CacheRow {
	const [
		activeObjs,
		numObjs,
		objSize,
		objsPerSlab,
		pagesPerSlab,
		limit,
		batchCount,
		sharedFactor,
		activeSlabs,
		numSlabs,
	] = counts;
	const shown = displayName(name);
	return {
		name: shown,
		...(shown === name ? {} : {nameBytes: name}),
		activeObjs,
		numObjs,
		objSize,
		objsPerSlab,
		pagesPerSlab,
		activeSlabs,
		numSlabs,
		limit,
		batchCount,
		sharedFactor,
		sharedAvail,
		partial: null,
		allocs: null,
		frees: null,
	};
}

/** One cache line as parse_slabinfo20's sscanf() reads it, or what went wrong. */
function parseCacheLine(text: string): CacheRow | string {
	const match = KERNEL_LINE.exec(text);
	if (match !== null) {
		const counts = match.slice(2, 12).map(Number);
		if (match[12] !== undefined) return rowOf(match[1], counts, Number(match[12]));
		// <sharedavail> missing, or not a plain count: read it as %u would, if it is one.
		const rest = new Scanner(text);
		rest.index = match[0].length;
		return rowOf(match[1], counts, rest.unsigned() ?? 0);
	}

	return parseCacheLineSlowly(text);
}

/** parseCacheLine's general case: sscanf() step by step. */
function parseCacheLineSlowly(text: string): CacheRow | string {
	const scanner = new Scanner(text);
	const name = scanner.word(MAX_NAME_LENGTH);
	if (name === null) return 'expected a cache line, found an empty line';
	const counts: number[] = [];
	const tunables: number[] = [];
	const slabdata: number[] = [];
	// A longer name is cut: its rest is read as <active_objs> (and may well be a number).
	const isNameCut =
		name.length === MAX_NAME_LENGTH && !scanner.isAtEnd() && !isBlank(scanner.text.charCodeAt(scanner.index));
	const problem =
		readCounts(scanner, COUNT_COLUMNS, counts) ??
		readLabel(scanner, 'tunables') ??
		readCounts(scanner, TUNABLE_COLUMNS, tunables) ??
		readLabel(scanner, 'slabdata') ??
		readCounts(scanner, SLABDATA_COLUMNS, slabdata);
	if (problem !== null) {
		return isNameCut
			? `cache name is longer than ${MAX_NAME_LENGTH} bytes, and the rest is read as counts: ${problem}`
			: problem;
	}

	// %*u: read when present; procps neither needs nor stores it.
	return rowOf(name, [...counts, ...tunables, ...slabdata], scanner.unsigned() ?? 0);
}

const VERSION_EXPECTED = 'expected "slabinfo - version: 2.x"';

/** The version line: `slabinfo - version: %d.%d`, major 2. */
function parseVersion(text: string): {version: string; hasStatistics: boolean} | string {
	const scanner = new Scanner(text);
	let major: number | null = null;
	let minor: number | null = null;
	if (text.startsWith('slabinfo')) {
		scanner.index = 'slabinfo'.length;
		if (scanner.literal('-') && scanner.literal('version:')) major = scanner.signed();
		if (major !== null && text[scanner.index] === '.') {
			scanner.index++;
			minor = scanner.signed();
		}
	}

	if (major === null || minor === null) {
		const line = text.replace(/\r?\n$/, '');
		return `${VERSION_EXPECTED}, found ${line === '' ? 'an empty line' : JSON.stringify(line.slice(0, 60))}`;
	}

	if (major !== 2) return `slabinfo version ${major}.${minor} is not supported (only 2.x)`;
	return {version: `${major}.${minor}`, hasStatistics: text.slice(scanner.index).includes('(statistics)')};
}

/**
 * Parses the bytes of /proc/slabinfo (or a saved copy), one character per byte; `file` names it
 * in error messages.
 */
export function parseSlabinfo(bytes: string, file: string): ParseResult {
	const pieces = fgetsPieces(bytes);
	const first = pieces.next();
	if (first.done === true) return fail(file, 1, 'unsupported-version', `${VERSION_EXPECTED}, found an empty file`);
	const header = parseVersion(cString(first.value.piece));
	if (typeof header === 'string') return fail(file, 1, 'unsupported-version', header);

	const rows: CacheRow[] = [];
	for (const {piece, line, isRest} of pieces) {
		if (piece.startsWith('#')) continue;
		const row = parseCacheLine(cString(piece));
		if (typeof row === 'string') {
			const where = isRest
				? `line longer than ${FGETS_PIECE} bytes: its rest, read as a line of its own as procps does: `
				: '';
			return fail(file, line, 'malformed-line', where + row);
		}

		rows.push(row);
	}

	return ok({rows, version: header.version, hasStatistics: header.hasStatistics});
}

/**
 * A cache name for the screen and JSON: the bytes decoded as UTF-8 (invalid bytes become U+FFFD)
 * and control characters shown as `\xNN`, so a name can never move the cursor or recolour the
 * terminal. ASCII names come back unchanged.
 */
export function displayName(bytes: string): string {
	if (/^[!-~]*$/.test(bytes)) return bytes;
	const data = Uint8Array.from(bytes, char => char.charCodeAt(0) & 0xff);
	let text = '';
	for (const char of new TextDecoder('utf-8').decode(data)) {
		const code = char.codePointAt(0) ?? 0;
		const isControl = code < 0x20 || (code >= 0x7f && code <= 0x9f);
		text += isControl ? `\\x${code.toString(16).padStart(2, '0')}` : char;
	}

	return text;
}
