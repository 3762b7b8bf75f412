// Pure parser for /proc/slabinfo text: `parseSlabinfo(text, file)` → the rows in file order, or
// one SourceError naming the file and line. No file access here (that is slabinfo-read.ts).
//
// Accepted formats — the first line picks the version; then every line is either a comment
// (starts with `#`, as the kernel's column header does) or one cache:
//
//   slabinfo - version: 2.1                         Linux 2.6.10 and later (SLUB, SLOB, SLAB)
//   # name <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>
//          : tunables <limit> <batchcount> <sharedfactor>
//          : slabdata <active_slabs> <num_slabs> <sharedavail>
//
//   slabinfo - version: 2.0                         Linux 2.6.0 – 2.6.9: the same columns
//
//   slabinfo - version: 2.1 (statistics)            SLAB with CONFIG_DEBUG_SLAB: the 2.1 columns,
//          : globalstat <listallocs> <maxobjs> <grown> <reaped> <error> <maxfreeable>
//                       <nodeallocs> <remotefrees> [<alienoverflow>]    (8 or 9 numbers)
//          : cpustat <allochit> <allocmiss> <freehit> <freemiss>
//
//   slabinfo - version: 2.0 (statistics)            the same with a 7-number globalstat
//                       (<listallocs> <maxobjs> <grown> <reaped> <error> <maxfreeable> <freelimit>)
//
// Under SLUB the tunables and sharedavail are 0; SLAB printed real (non-zero) tunables, and they
// are kept in the row as given. The statistics columns are checked for shape and then ignored,
// as procps does. Fields are separated by any run of blanks (spaces, tabs); a trailing `\r` is
// tolerated. A cache name is 1–128 characters without blanks (procps reads `%128s`).
//
// Anything else rejects the whole file, as procps-ng 4.0.2 does ("any bad line, even a trailing
// blank one"): a missing or other version line, a blank line, a line with missing, extra or
// non-numeric fields, a number above 2^53 − 1 (procps would silently wrap it). procps's sscanf is
// looser in a few places — it takes any 2.x version, signed numbers, a missing <sharedavail> and
// trailing junk; those files are rejected here with the reason.

import {failWith, ok, type Result} from '../result.js';
import type {CacheRow, SourceError} from './source.js';

export type SlabinfoVersion = '2.0' | '2.1';

export type Slabinfo = {rows: CacheRow[]; version: SlabinfoVersion; hasStatistics: boolean};

export type ParseResult = Result<Slabinfo, SourceError>;

const MAX_NAME_LENGTH = 128;

const VERSION_LINE = /^slabinfo - version: (\d+)\.(\d+)( \(statistics\))?[ \t]*\r?$/;

const BASE_FORMAT =
	'<name> <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>' +
	' : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>';

/** How many globalstat numbers each statistics variant prints. */
const GLOBALSTAT_COUNTS: Record<SlabinfoVersion, readonly number[]> = {
	'2.0': [7],
	'2.1': [8, 9],
};

function fail(file: string, line: number, kind: SourceError['kind'], what: string): ParseResult {
	return failWith({kind, file, line, message: `${file}:${line}: ${what}`});
}

function quote(token: string | undefined): string {
	return token === undefined ? 'end of line' : `"${token}"`;
}

/** One unsigned decimal field, or an error text. */
function parseCount(token: string | undefined, column: string): number | string {
	if (token === undefined || !/^\d+$/.test(token)) {
		return `expected a number for <${column}>, found ${quote(token)}`;
	}

	const value = Number(token);
	if (!Number.isSafeInteger(value)) {
		return `<${column}> ${token} is above 2^53 - 1`;
	}

	return value;
}

type Cursor = {tokens: string[]; index: number};

function take(cursor: Cursor): string | undefined {
	const token = cursor.tokens[cursor.index];
	cursor.index++;
	return token;
}

/** Reads `: <label>` then one number per column; returns the numbers or an error text. */
function readGroup(cursor: Cursor, label: string | null, columns: readonly string[]): number[] | string {
	if (label !== null) {
		const colon = take(cursor);
		const word = take(cursor);
		if (colon !== ':' || word !== label) {
			return `expected ": ${label}", found ${quote(colon)}${word === undefined ? '' : ` ${quote(word)}`}`;
		}
	}

	const values: number[] = [];
	for (const column of columns) {
		const value = parseCount(take(cursor), column);
		if (typeof value === 'string') return value;
		values.push(value);
	}

	return values;
}

const GLOBALSTAT_COLUMNS = [
	'listallocs',
	'maxobjs',
	'grown',
	'reaped',
	'error',
	'maxfreeable',
	'nodeallocs',
	'remotefrees',
	'alienoverflow',
];
const GLOBALSTAT_COLUMNS_20 = [...GLOBALSTAT_COLUMNS.slice(0, 6), 'freelimit'];
const CPUSTAT_COLUMNS = ['allochit', 'allocmiss', 'freehit', 'freemiss'];

/** The `: globalstat … : cpustat …` tail of a statistics line, or an error text. */
function readStatistics(cursor: Cursor, version: SlabinfoVersion): string | null {
	const colon = take(cursor);
	const word = take(cursor);
	if (colon !== ':' || word !== 'globalstat') {
		return `expected ": globalstat" (statistics format), found ${quote(colon)}`;
	}

	const columns = version === '2.0' ? GLOBALSTAT_COLUMNS_20 : GLOBALSTAT_COLUMNS;
	let count = 0;
	while (cursor.index < cursor.tokens.length && cursor.tokens[cursor.index] !== ':') {
		const value = parseCount(take(cursor), columns[count] ?? 'globalstat');
		if (typeof value === 'string') return value;
		count++;
	}

	const allowed = GLOBALSTAT_COUNTS[version];
	if (!allowed.includes(count)) {
		return `expected ${allowed.join(' or ')} globalstat numbers for version ${version}, found ${count}`;
	}

	const cpustat = readGroup(cursor, 'cpustat', CPUSTAT_COLUMNS);
	return typeof cpustat === 'string' ? cpustat : null;
}

function parseCacheLine(
	text: string,
	version: SlabinfoVersion,
	hasStatistics: boolean,
): CacheRow | string {
	const tokens = text.trim().split(/[ \t\r]+/);
	const cursor: Cursor = {tokens, index: 0};
	const name = take(cursor) ?? '';
	if (name.length > MAX_NAME_LENGTH) {
		return `cache name is ${name.length} characters, at most ${MAX_NAME_LENGTH} are allowed`;
	}

	const objs = readGroup(cursor, null, ['active_objs', 'num_objs', 'objsize', 'objperslab', 'pagesperslab']);
	if (typeof objs === 'string') return objs;
	const tunables = readGroup(cursor, 'tunables', ['limit', 'batchcount', 'sharedfactor']);
	if (typeof tunables === 'string') return tunables;
	const slabdata = readGroup(cursor, 'slabdata', ['active_slabs', 'num_slabs', 'sharedavail']);
	if (typeof slabdata === 'string') return slabdata;

	if (hasStatistics) {
		const problem = readStatistics(cursor, version);
		if (problem !== null) return problem;
	}

	if (cursor.index < tokens.length) {
		return `unexpected ${quote(tokens[cursor.index])} after <${hasStatistics ? 'freemiss' : 'sharedavail'}>`;
	}

	const [activeObjs, numObjs, objSize, objsPerSlab, pagesPerSlab] = objs;
	const [limit, batchCount, sharedFactor] = tunables;
	const [activeSlabs, numSlabs, sharedAvail] = slabdata;
	return {
		name,
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

/** Parses the text of /proc/slabinfo (or a saved copy); `file` names it in error messages. */
export function parseSlabinfo(text: string, file: string): ParseResult {
	const lines = text.split('\n');
	// A final newline ends the last line; it does not start another one.
	if (lines.length > 1 && lines.at(-1) === '') lines.pop();

	const header = VERSION_LINE.exec(lines[0] ?? '');
	if (header === null) {
		const found = lines[0] === undefined || lines[0] === '' ? 'an empty line' : quote(lines[0].slice(0, 60));
		return fail(file, 1, 'unsupported-version', `expected "slabinfo - version: 2.0" or "2.1", found ${found}`);
	}

	const version = `${header[1]}.${header[2]}`;
	if (version !== '2.0' && version !== '2.1') {
		return fail(file, 1, 'unsupported-version', `slabinfo version ${version} is not supported (only 2.0 and 2.1)`);
	}

	const hasStatistics = header[3] !== undefined;
	const format = hasStatistics ? `${BASE_FORMAT} : globalstat … : cpustat …` : BASE_FORMAT;
	const rows: CacheRow[] = [];
	for (let index = 1; index < lines.length; index++) {
		const line = lines[index];
		if (line.startsWith('#')) continue;
		if (line.trim() === '') {
			return fail(file, index + 1, 'malformed-line', `expected a cache line "${format}", found an empty line`);
		}

		const row = parseCacheLine(line, version, hasStatistics);
		if (typeof row === 'string') return fail(file, index + 1, 'malformed-line', row);
		rows.push(row);
	}

	return ok({rows, version, hasStatistics});
}
