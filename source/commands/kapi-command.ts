// The kernel's allocator API at the command bar, as typed commands: kmalloc, kzalloc, kfree,
// krealloc, kfree_rcu, kmem_cache_free of one object (`free #h`), `objects` and `write`.
// parseKapiWords() turns a line's words into a KapiCommand (sim/kapi.ts carries it out);
// isKapiLine() says whether bar-parse.ts should hand a line here. Pure: no engine state.

import {GFP_KERNEL, GFP_NAMES, MAX_CPUS, parseGfp} from '../engine/index.js';
import {usageOf} from './help.js';

/** A handle (`#12`) or an address (`0xffff8880012345c0`) as typed. */
export type ObjectTarget =
	{kind: 'handle'; handle: number; text: string} | {kind: 'address'; address: number; text: string};

export type KapiCommand =
	| {kind: 'kmalloc'; size: number; gfp: number; count: number; cpu: number; cache: string | null; isZero: boolean}
	| {kind: 'kfree'; target: ObjectTarget; cpu: number}
	| {kind: 'free-object'; target: ObjectTarget; cpu: number}
	| {kind: 'krealloc'; target: ObjectTarget; size: number; gfp: number; cpu: number}
	| {kind: 'kfree-rcu'; target: ObjectTarget}
	| {kind: 'objects'; cache: string | null}
	| {kind: 'write'; target: ObjectTarget; offset: number; bytes: WriteByte[]};

/** One byte of a `write`: stored, or XORed into what is there (`^ff`). */
export type WriteByte = {value: number; isXor: boolean};

/** The words of the kernel-API commands (help.ts lists their forms). */
export const KAPI_WORDS: readonly string[] = [
	'kmalloc',
	'kzalloc',
	'kfree',
	'krealloc',
	'kfree_rcu',
	'objects',
	'write',
];

/** Most objects one kmalloc -n asks for. */
const MAX_COUNT = 100_000;
/** Most bytes one write puts. */
const MAX_WRITE = 4096;
/** Base of the direct map the simulator shows addresses in. */
export const DIRECT_MAP = 'ffff8880';

// ---------------------------------------------------------------------------------------------
// Parsing

type Word = {text: string; column: number};
export type KapiParse = {ok: true; command: KapiCommand} | {ok: false; column: number; message: string};

class KapiError extends Error {
	constructor(
		readonly column: number,
		message: string,
	) {
		super(message);
	}
}

function usageFor(word: string): string {
	const usage = usageOf(word);
	return usage === null ? '' : `; ${usage}`;
}

function bad(column: number, message: string, word: string): never {
	throw new KapiError(column, `${message}${usageFor(word)}`);
}

const endOf = (ws: Word[]): number => ws[ws.length - 1].column + ws[ws.length - 1].text.length + 1;

/** `#12`, `0xffff8880012345c0`, `ffff8880012345c0` or a plain `0x…` offset into simulated memory. */
export function parseTarget(w: Word, cmd: string): ObjectTarget {
	const handle = /^#(\d{1,9})$/.exec(w.text);
	if (handle !== null) return {kind: 'handle', handle: Number(handle[1]), text: w.text};
	const hex = /^(?:0x)?([0-9a-f]{1,16})$/i.exec(w.text);
	if (hex !== null && (w.text.toLowerCase().startsWith('0x') || hex[1].length === 16)) {
		const digits = hex[1].toLowerCase().padStart(16, '0');
		if (digits.startsWith(DIRECT_MAP) || digits.startsWith('00000000')) {
			return {kind: 'address', address: Number.parseInt(digits.slice(8), 16), text: w.text};
		}
		bad(w.column, `${w.text} is not an address of the simulated memory (they read ${DIRECT_MAP}xxxxxxxx)`, cmd);
	}
	return bad(w.column, `"${w.text}" is neither a handle (#12) nor an address (0xffff8880…)`, cmd);
}

function whole(w: Word, what: string, min: number, max: number, cmd: string): number {
	if (!/^\d+$/.test(w.text) || Number(w.text) < min || Number(w.text) > max) {
		bad(w.column, `${what} must be a whole number from ${min} to ${max}, not "${w.text}"`, cmd);
	}
	return Number(w.text);
}

function gfpOf(w: Word, cmd: string): number {
	const parsed = parseGfp(w.text.slice(4));
	if (parsed.ok) return parsed.gfp;
	const hint =
		parsed.bad.toUpperCase() === 'GFP_ACCOUNT' ? ' (the kernel spells it __GFP_ACCOUNT, or GFP_KERNEL_ACCOUNT)' : '';
	return bad(
		w.column + 4,
		`unknown gfp flag "${parsed.bad}"${hint} (known: ${GFP_NAMES.map(([n]) => n).join(' ')})`,
		cmd,
	);
}

/** Options after the positional words: gfp=…, -n N, --cpu C, -c <cache>, each at most once. */
function options(
	ws: Word[],
	from: number,
	cmd: string,
	allowed: readonly string[],
): {gfp: number; count: number; cpu: number; cache: string | null} {
	const seen = new Set<string>();
	let gfp = GFP_KERNEL;
	let count = 1;
	let cpu = 0;
	let cache: string | null = null;
	for (let i = from; i < ws.length; i++) {
		const w = ws[i];
		const key = w.text.startsWith('gfp=') ? 'gfp=' : w.text;
		if (!allowed.includes(key))
			bad(
				w.column,
				`unknown option "${w.text}" (options: ${allowed.map(a => (a === 'gfp=' ? 'gfp=FLAGS' : `${a} X`)).join(', ')})`,
				cmd,
			);
		if (seen.has(key)) bad(w.column, `${key} is given twice`, cmd);
		seen.add(key);
		if (key === 'gfp=') {
			gfp = gfpOf(w, cmd);
			continue;
		}
		const value = ws[++i];
		if (value === undefined) bad(endOf(ws), `${key} needs a value`, cmd);
		if (key === '-n') count = whole(value, '-n (the object count)', 1, MAX_COUNT, cmd);
		else if (key === '--cpu') cpu = whole(value, '--cpu (the CPU number)', 0, MAX_CPUS - 1, cmd);
		else cache = value.text;
	}
	return {gfp, count, cpu, cache};
}

/**
 * The bytes of a write: hex, two digits a byte (`12`, `ab cd`, `0xdeadbeef`); a word starting
 * with `^` XORs its bytes into memory instead (`^ff` flips every bit, as slub_kunit's
 * `p[s->offset] = ~p[s->offset]`). Each byte is {value, isXor}.
 */
function hexBytes(ws: Word[], cmd: string): WriteByte[] {
	const bytes: WriteByte[] = [];
	for (const w of ws) {
		const isXor = w.text.startsWith('^');
		const text = w.text.slice(isXor ? 1 : 0).replace(/^0x/i, '');
		if (!/^(?:[0-9a-f]{2})+$/i.test(text)) {
			bad(
				w.column,
				`"${w.text}" is not hex bytes (write 12, ab cd or 0xdeadbeef: two hex digits a byte; ^ff XORs)`,
				cmd,
			);
		}
		for (let i = 0; i < text.length; i += 2) bytes.push({value: Number.parseInt(text.slice(i, i + 2), 16), isXor});
	}
	if (bytes.length > MAX_WRITE) bad(ws[0].column, `at most ${MAX_WRITE} bytes in one write, not ${bytes.length}`, cmd);
	return bytes;
}

function parse(ws: Word[]): KapiCommand {
	const cmd = ws[0].text;
	switch (cmd) {
		case 'kmalloc':
		case 'kzalloc': {
			if (ws.length < 2) bad(endOf(ws), `${cmd} needs a size in bytes`, cmd);
			const size = whole(ws[1], 'the size', 0, Number.MAX_SAFE_INTEGER, cmd);
			const o = options(ws, 2, cmd, ['gfp=', '-n', '--cpu', '-c']);
			return {kind: 'kmalloc', size, gfp: o.gfp, count: o.count, cpu: o.cpu, cache: o.cache, isZero: cmd === 'kzalloc'};
		}
		case 'kfree':
		case 'free': {
			if (ws.length < 2) bad(endOf(ws), `${cmd} needs a handle (#12) or an address`, cmd);
			const target = parseTarget(ws[1], cmd);
			const o = options(ws, 2, cmd, ['--cpu']);
			return {kind: cmd === 'kfree' ? 'kfree' : 'free-object', target, cpu: o.cpu};
		}
		case 'krealloc': {
			if (ws.length < 3) bad(endOf(ws), 'krealloc needs a handle (or address) and the new size', cmd);
			const target = parseTarget(ws[1], cmd);
			const size = whole(ws[2], 'the new size', 0, Number.MAX_SAFE_INTEGER, cmd);
			const o = options(ws, 3, cmd, ['gfp=', '--cpu']);
			return {kind: 'krealloc', target, size, gfp: o.gfp, cpu: o.cpu};
		}
		case 'kfree_rcu': {
			if (ws.length !== 2) bad(ws.length < 2 ? endOf(ws) : ws[2].column, 'kfree_rcu takes one handle or address', cmd);
			return {kind: 'kfree-rcu', target: parseTarget(ws[1], cmd)};
		}
		case 'objects': {
			if (ws.length > 2) bad(ws[2].column, `objects takes at most one cache name ("${ws[2].text}" is extra)`, cmd);
			return {kind: 'objects', cache: ws.length === 2 ? ws[1].text : null};
		}
		case 'write': {
			if (ws.length < 4) bad(endOf(ws), 'write needs a handle (or address), an offset and hex bytes', cmd);
			const target = parseTarget(ws[1], cmd);
			if (!/^-?\d+$/.test(ws[2].text) || Math.abs(Number(ws[2].text)) > 1 << 22) {
				bad(
					ws[2].column,
					`the offset must be a whole number of bytes (negative: before the object), not "${ws[2].text}"`,
					cmd,
				);
			}
			return {kind: 'write', target, offset: Number(ws[2].text), bytes: hexBytes(ws.slice(3), cmd)};
		}
		default:
			return bad(1, `"${cmd}" is not a kernel API command`, cmd);
	}
}

/** The words of the kernel-API commands; `free` is one when its argument is a handle or address. */
export function isKapiLine(ws: ReadonlyArray<{text: string}>): boolean {
	const word = ws[0]?.text;
	if (word === 'free') return ws.length >= 2 && /^(?:#|0x|ffff8880)/i.test(ws[1].text);
	return KAPI_WORDS.includes(word);
}

export function parseKapiWords(ws: Word[]): KapiParse {
	try {
		return {ok: true, command: parse(ws)};
	} catch (error) {
		if (error instanceof KapiError) return {ok: false, column: error.column, message: error.message};
		throw error;
	}
}
