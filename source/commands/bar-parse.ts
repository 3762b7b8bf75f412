// Command-bar text → BarCommand, or a CommandParseError carrying the 1-based column of the word
// at fault and a message that says what was wrong and how to write it right (the usage).
// Pure: no engine state, no I/O (it uses the engine's name and flag rules, and its CPU limit).
// Words are separated by blanks; nothing is quoted (demo data is one word, as the module's
// sscanf("alloc %31s") reads it).

import {CACHE_NAME_RE, FLAG_NAMES, MAX_CPUS, parseFlagNames} from '../engine/index.js';
import {err, ok} from '../result.js';
import {MAX_BULK, MAX_OBJECT_SIZE, type BarCommand, type CommandParseResult} from './bar-command.js';
import {COMMAND_WORDS, usageOf} from './help.js';
import {isKapiLine, parseKapiWords} from './kapi-command.js';

type Word = {text: string; column: number};

/** Demo data: at most 31 characters, as the module reads it (sscanf("alloc %31s")). */
export const DEMO_DATA_MAX = 31;
const MAX_RATE_SCALE = 100;

class ParseError extends Error {
	constructor(
		readonly column: number,
		message: string,
	) {
		super(message);
	}
}

function words(line: string): Word[] {
	const out: Word[] = [];
	const re = /\S+/g;
	for (let m = re.exec(line); m !== null; m = re.exec(line)) out.push({text: m[0], column: m.index + 1});
	return out;
}

function fail(column: number, message: string, word: string): never {
	const usage = usageOf(word);
	throw new ParseError(column, usage === null ? message : `${message}; ${usage}`);
}

/** Column just after the last word (where a missing argument would go). */
const endColumn = (ws: Word[]): number => {
	const last = ws[ws.length - 1];
	return last.column + last.text.length + 1;
};

function wholeNumber(w: Word, what: string, min: number, max: number, cmd: string): number {
	if (!/^\d+$/.test(w.text) || Number(w.text) < min || Number(w.text) > max) {
		fail(w.column, `${what} must be a whole number from ${min} to ${max}, not "${w.text}"`, cmd);
	}
	return Number(w.text);
}

function noArguments(ws: Word[], cmd: string): void {
	if (ws.length > 1) fail(ws[1].column, `${cmd} takes no arguments ("${ws[1].text}" is extra)`, cmd);
}

function oneArgument(ws: Word[], cmd: string, what: string): Word {
	if (ws.length < 2) fail(endColumn(ws), `${cmd} needs ${what}`, cmd);
	if (ws.length > 2) fail(ws[2].column, `${cmd} takes one argument ("${ws[2].text}" is extra)`, cmd);
	return ws[1];
}

function cacheName(w: Word, cmd: string): string {
	if (!CACHE_NAME_RE.test(w.text)) {
		fail(w.column, `"${w.text}" is not a cache name (1-64 letters, digits and _ : . ( ) + -)`, cmd);
	}
	return w.text;
}

/** `-c <cache> [-n N] [--cpu C]` in any order. */
function bulk(ws: Word[], cmd: 'alloc' | 'free'): BarCommand {
	let cache: string | null = null;
	let count: number | null = null;
	let cpu: number | null = null;
	for (let i = 1; i < ws.length; i += 2) {
		const option = ws[i];
		const value = ws[i + 1];
		const known = option.text === '-c' || option.text === '-n' || option.text === '--cpu';
		if (!known) fail(option.column, `unknown option "${option.text}" (options: -c <cache>, -n N, --cpu C)`, cmd);
		if (value === undefined) fail(endColumn(ws), `${option.text} needs a value`, cmd);
		const isRepeated =
			(option.text === '-c' && cache !== null) ||
			(option.text === '-n' && count !== null) ||
			(option.text === '--cpu' && cpu !== null);
		if (isRepeated) fail(option.column, `${option.text} is given twice`, cmd);
		if (option.text === '-c') cache = cacheName(value, cmd);
		else if (option.text === '-n') count = wholeNumber(value, '-n (the object count)', 1, MAX_BULK, cmd);
		else cpu = wholeNumber(value, '--cpu (the CPU number)', 0, MAX_CPUS - 1, cmd);
	}
	if (cache === null) fail(ws[1].column, `${cmd} with options needs -c <cache>`, cmd);
	return {kind: cmd, cache, count: count ?? 1, cpu: cpu ?? 0};
}

function parseAlloc(ws: Word[]): BarCommand {
	if (ws.length < 2) fail(endColumn(ws), 'alloc needs data (one word) or -c <cache>', 'alloc');
	if (ws[1].text.startsWith('-')) return bulk(ws, 'alloc');
	if (ws.length > 2) fail(ws[2].column, 'alloc takes one word of data, without spaces (e.g. alloc my_data_1)', 'alloc');
	const data = ws[1].text;
	if (data.length > DEMO_DATA_MAX) {
		fail(
			ws[1].column,
			`data is at most ${DEMO_DATA_MAX} characters (the module reads %31s), not ${data.length}`,
			'alloc',
		);
	}
	return {kind: 'demo-alloc', data};
}

function objectId(ws: Word[], cmd: string): number {
	const w = oneArgument(ws, cmd, 'an object id (as alloc printed it)');
	return wholeNumber(w, 'the object id', 0, 2 ** 31 - 1, cmd);
}

function parseFree(ws: Word[]): BarCommand {
	if (ws.length >= 2 && ws[1].text.startsWith('-')) return bulk(ws, 'free');
	return {kind: 'demo-free', id: objectId(ws, 'free')};
}

function parseCreate(ws: Word[]): BarCommand {
	if (ws.length < 2) fail(endColumn(ws), 'create needs a cache name and an object size', 'create');
	const name = cacheName(ws[1], 'create');
	if (ws.length < 3) fail(endColumn(ws), 'create needs an object size in bytes after the name', 'create');
	const size = wholeNumber(ws[2], 'the object size', 1, MAX_OBJECT_SIZE, 'create');
	let align: number | null = null;
	let flags: Word | null = null; // read once every option is known to be well placed
	let hasCtor = false;
	for (const w of ws.slice(3)) {
		if (w.text === 'ctor') {
			if (hasCtor) fail(w.column, 'ctor is given twice', 'create');
			hasCtor = true;
		} else if (w.text.startsWith('align=')) {
			if (align !== null) fail(w.column, 'align= is given twice', 'create');
			const value = {text: w.text.slice(6), column: w.column + 6};
			align = wholeNumber(value, 'align', 0, 8192, 'create');
			if (align & (align - 1))
				fail(value.column, `align must be 0 or a power of two (8, 64, …), not ${align}`, 'create');
		} else if (w.text.startsWith('flags=')) {
			if (flags !== null) fail(w.column, 'flags= is given twice', 'create');
			flags = w;
		} else {
			fail(w.column, `unknown option "${w.text}" (options: align=N, flags=A|B, ctor)`, 'create');
		}
	}
	return {kind: 'create', name, size, align: align ?? 0, flags: flags === null ? 0 : flagWord(flags), hasCtor};
}

/**
 * `flags=A|B…` → SLAB_* bits: first the list's shape (no empty name), then each name read by
 * the engine's parseFlagNames. An error gives the column of the name at fault.
 */
function flagWord(w: Word): number {
	const parts: Word[] = [];
	let column = w.column + 6;
	for (const text of w.text.slice(6).split('|')) {
		if (text === '') fail(column, '"" is not a flag name (write flags=HWCACHE_ALIGN|ACCOUNT)', 'create');
		parts.push({text, column});
		column += text.length + 1;
	}
	let flags = 0;
	for (const part of parts) {
		const parsed = parseFlagNames(part.text);
		if (!parsed.ok)
			fail(part.column, `unknown flag "${part.text}" (known: ${FLAG_NAMES.map(([n]) => n).join(' ')})`, 'create');
		flags |= parsed.flags;
	}
	return flags;
}

function parseWorkload(ws: Word[]): BarCommand {
	if (ws.length < 2) fail(endColumn(ws), 'workload needs a preset name, a file, or stop', 'workload');
	if (ws[1].text === 'stop') {
		if (ws.length > 2) fail(ws[2].column, `workload stop takes no arguments ("${ws[2].text}" is extra)`, 'workload');
		return {kind: 'workload-stop'};
	}
	let rate = 1;
	let isRateGiven = false;
	for (const w of ws.slice(2)) {
		if (!w.text.startsWith('rate='))
			fail(w.column, `unknown option "${w.text}" (the only option is rate=X)`, 'workload');
		if (isRateGiven) fail(w.column, 'rate= is given twice', 'workload');
		isRateGiven = true;
		const text = w.text.slice(5);
		rate = Number(text);
		if (text === '' || !Number.isFinite(rate) || rate <= 0 || rate > MAX_RATE_SCALE) {
			fail(
				w.column + 5,
				`rate must be a number above 0 and at most ${MAX_RATE_SCALE} (1 is the workload as written), not "${text}"`,
				'workload',
			);
		}
	}
	return {kind: 'workload', name: ws[1].text, rate};
}

function parseWords(ws: Word[]): BarCommand {
	const cmd = ws[0].text;
	if (isKapiLine(ws)) {
		const parsed = parseKapiWords(ws);
		if (!parsed.ok) throw new ParseError(parsed.column, parsed.message);
		return parsed.command;
	}
	switch (cmd) {
		case 'alloc':
			return parseAlloc(ws);
		case 'free':
			return parseFree(ws);
		case 'access':
			return {kind: 'demo-access', id: objectId(ws, 'access')};
		case 'freeall':
			noArguments(ws, cmd);
			return {kind: 'demo-freeall'};
		case 'show':
			noArguments(ws, cmd);
			return {kind: 'demo-show'};
		case 'create':
			return parseCreate(ws);
		case 'destroy':
			return {kind: 'destroy', name: cacheName(oneArgument(ws, cmd, 'a cache name'), cmd)};
		case 'shrink': {
			if (ws.length === 1) return {kind: 'shrink', cache: null};
			const w = oneArgument(ws, cmd, 'a cache name or all');
			return {kind: 'shrink', cache: w.text === 'all' ? null : cacheName(w, cmd)};
		}
		case 'validate':
			return {kind: 'validate', cache: cacheName(oneArgument(ws, cmd, 'a cache name'), cmd)};
		case 'drop_caches':
			noArguments(ws, cmd);
			return {kind: 'drop-caches'};
		case 'workload':
			return parseWorkload(ws);
		case 'pause':
			noArguments(ws, cmd);
			return {kind: 'pause'};
		case 'resume':
			noArguments(ws, cmd);
			return {kind: 'resume'};
		case 'help': {
			if (ws.length === 1) return {kind: 'help', topic: null};
			const w = oneArgument(ws, cmd, 'a command name');
			if (usageOf(w.text) === null)
				fail(w.column, `no command named "${w.text}" (commands: ${COMMAND_WORDS.join(', ')})`, cmd);
			return {kind: 'help', topic: w.text};
		}
		default:
			throw new ParseError(
				1,
				`unknown command "${cmd}" (commands: ${COMMAND_WORDS.join(', ')}; help <command> shows its usage)`,
			);
	}
}

/** A parse error at `column`: its message is the one line the command bar shows, `col N: what`. */
function parseError(column: number, message: string): CommandParseResult {
	return {ok: false, error: {...err('parse', `col ${column}: ${message}`).error, column}};
}

/** Parse one command-bar line. */
export function parseCommand(line: string): CommandParseResult {
	const ws = words(line);
	if (ws.length === 0) return parseError(1, 'empty command: type a command such as show, or help for the list');
	try {
		return ok(parseWords(ws));
	} catch (error) {
		if (error instanceof ParseError) return parseError(error.column, error.message);
		throw error;
	}
}
