// The key parser: `createKeyParser().push(chunk)` turns what the terminal sent (one read may
// carry many keys: `cb`, two Tabs, held arrows, a paste) into every key it holds, in order.
//
// What a terminal sends (xterm's ctlseqs, which every terminal emulator and tmux follow):
//   printable text           a run of characters ≥ U+0020 other than DEL: one `text` key per run
//   \r, \n, \r\n             Enter (\n alone: Ctrl-J, or an Enter typed before raw mode was set)
//   \t                       Tab;  ESC [ Z  Shift-Tab
//   DEL (0x7F), BS (0x08)    Backspace
//   0x01–0x1A, 0x00, 0x1C–0x1F  Ctrl-A … Ctrl-Z, Ctrl-@, Ctrl-\ ] ^ _
//   ESC alone                Escape (a lone ESC at the end of a read stays pending: `flush()`)
//   ESC [ params final       CSI: arrows A B C D, Home H / End F, ~ keys (1 7 Home, 4 8 End,
//                            2 Insert, 3 Delete, 5 PgUp, 6 PgDn), modifiers as `1;N` (N-1:
//                            bit 1 Shift, 2 Alt, 4 Ctrl); ESC [ 200 ~ … ESC [ 201 ~ a paste
//   ESC O final              SS3: arrows, Home, End (application cursor mode), F1–F4
//   ESC <char>               Alt-<char> (meta)
// Anything else that is a well-formed sequence is an `unknown` key, so it never reaches the
// screen as text. No React, Ink or Node here.

export type SpecialKeyName =
	| 'up'
	| 'down'
	| 'left'
	| 'right'
	| 'pageup'
	| 'pagedown'
	| 'home'
	| 'end'
	| 'insert'
	| 'delete'
	| 'tab'
	| 'backtab'
	| 'backspace'
	| 'enter'
	| 'escape';

export type Key =
	/** Printable characters typed (or pasted without bracketed paste) in a row. */
	| {kind: 'text'; text: string}
	| {kind: 'special'; name: SpecialKeyName; ctrl: boolean; meta: boolean; shift: boolean}
	/** Ctrl with a letter (`a`…`z`) or one of `@ \ ] ^ _`. */
	| {kind: 'ctrl'; letter: string}
	/** Alt (Meta) with a printable character. */
	| {kind: 'meta'; text: string}
	/** A bracketed paste: the text between ESC [ 200 ~ and ESC [ 201 ~ (line ends as \n). */
	| {kind: 'paste'; text: string; isTruncated: boolean}
	/** A well-formed sequence this parser does not name (function keys, mouse reports, …). */
	| {kind: 'unknown'; sequence: string};

/** Characters of one bracketed paste kept at the most (the rest is dropped, and said). */
export const MAX_PASTE_LENGTH = 1 << 20;

const ESC = '\u001B';
const PASTE_START = '\u001B[200~';
const PASTE_END = '\u001B[201~';

function special(name: SpecialKeyName, modifier = 1): Key {
	const bits = Math.max(0, modifier - 1);
	return {kind: 'special', name, shift: (bits & 1) !== 0, meta: (bits & 2) !== 0, ctrl: (bits & 4) !== 0};
}

const CSI_LETTERS: Record<string, SpecialKeyName> = {
	A: 'up',
	B: 'down',
	C: 'right',
	D: 'left',
	H: 'home',
	F: 'end',
	Z: 'backtab',
};

const CSI_TILDE: Record<string, SpecialKeyName> = {
	'1': 'home',
	'7': 'home',
	'4': 'end',
	'8': 'end',
	'2': 'insert',
	'3': 'delete',
	'5': 'pageup',
	'6': 'pagedown',
};

/** The key a CSI sequence (`ESC [` params final) names. */
function csiKey(sequence: string, params: string, final: string): Key {
	const fields = params.split(';');
	const modifier = Number(fields[1] ?? '1') || 1;
	if (final === '~') {
		const name = CSI_TILDE[fields[0]];
		return name === undefined ? {kind: 'unknown', sequence} : special(name, modifier);
	}

	const name = CSI_LETTERS[final];
	if (name === undefined || !/^[\d;]*$/.test(params)) return {kind: 'unknown', sequence};
	return special(name, modifier);
}

const SS3_FINALS: Record<string, SpecialKeyName> = {A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end'};

/** The key of one control character (below U+0020, or DEL). */
function controlKey(code: number): Key {
	if (code === 0x0d || code === 0x0a) return special('enter');
	if (code === 0x09) return special('tab');
	if (code === 0x7f || code === 0x08) return special('backspace');
	if (code === 0x00) return {kind: 'ctrl', letter: '@'};
	if (code <= 0x1a) return {kind: 'ctrl', letter: String.fromCodePoint(0x60 + code)};
	return {kind: 'ctrl', letter: String.fromCodePoint(0x40 + code)};
}

type Scan = {key: Key; next: number} | 'pending';

/** Scans the escape sequence that starts at `at` (input[at] is ESC). */
function scanEscape(input: string, at: number): Scan {
	const kind = input[at + 1];
	if (kind === undefined) return 'pending';
	if (kind === '[') {
		let index = at + 2;
		// Linux console function keys: ESC [ [ A … E.
		if (input[index] === '[') {
			if (index + 1 >= input.length) return 'pending';
			return {key: {kind: 'unknown', sequence: input.slice(at, index + 2)}, next: index + 2};
		}

		while (index < input.length) {
			const code = input.charCodeAt(index);
			if (code >= 0x40 && code <= 0x7e) {
				const sequence = input.slice(at, index + 1);
				return {key: csiKey(sequence, input.slice(at + 2, index), input[index]), next: index + 1};
			}

			// Parameter and intermediate bytes continue the sequence; anything else ends it malformed.
			if (code < 0x20 || code > 0x3f) return {key: {kind: 'unknown', sequence: input.slice(at, index)}, next: index};
			index++;
		}

		return 'pending';
	}

	if (kind === 'O') {
		const final = input[at + 2];
		if (final === undefined) return 'pending';
		const name = SS3_FINALS[final];
		const sequence = input.slice(at, at + 3);
		return {key: name === undefined ? {kind: 'unknown', sequence} : special(name), next: at + 3};
	}

	if (kind === ESC) {
		// ESC ESC: Alt with an escape sequence (Alt-↑ as some terminals send it), or Escape twice.
		if (at + 2 >= input.length) return 'pending';
		const inner = scanEscape(input, at + 1);
		if (inner === 'pending') return 'pending';
		if (inner.key.kind === 'special') return {key: {...inner.key, meta: true}, next: inner.next};
		return {key: special('escape'), next: at + 1};
	}

	const code = input.codePointAt(at + 1) ?? 0;
	const length = code > 0xffff ? 2 : 1;
	if (code < 0x20 || code === 0x7f) {
		// Alt with a control key (Alt-Backspace, Alt-Enter): the key, with meta.
		const key = controlKey(code);
		return {key: key.kind === 'special' ? {...key, meta: true} : key, next: at + 2};
	}

	return {key: {kind: 'meta', text: input.slice(at + 1, at + 1 + length)}, next: at + 1 + length};
}

export type KeyParser = {
	/** Every key `chunk` completes, in order (an unfinished escape sequence waits for the next chunk). */
	push(chunk: string): Key[];
	/** Ends what is pending: a lone ESC is Escape; an unfinished paste is delivered as it is. */
	flush(): Key[];
	/** Whether a lone ESC (or an unfinished sequence) waits for more input. */
	isPending(): boolean;
};

export function createKeyParser(): KeyParser {
	let pending = '';
	/** The paste being received (null outside one) and whether it was cut. */
	let paste: string | null = null;
	let isPasteTruncated = false;

	const addPaste = (text: string): void => {
		if (paste === null) return;
		const room = MAX_PASTE_LENGTH - paste.length;
		if (text.length > room) isPasteTruncated = true;
		paste += text.length > room ? text.slice(0, Math.max(0, room)) : text;
	};

	const endPaste = (): Key => {
		const text = (paste ?? '').replace(/\r\n?/g, '\n');
		const key: Key = {kind: 'paste', text, isTruncated: isPasteTruncated};
		paste = null;
		isPasteTruncated = false;
		return key;
	};

	const parse = (input: string): Key[] => {
		const keys: Key[] = [];
		let index = 0;
		while (index < input.length) {
			if (paste !== null) {
				const end = input.indexOf(PASTE_END, index);
				if (end < 0) {
					// Keep a possible start of the end marker for the next chunk.
					const tail = input.lastIndexOf(ESC);
					const keep = tail >= index && PASTE_END.startsWith(input.slice(tail)) ? tail : input.length;
					addPaste(input.slice(index, keep));
					pending = input.slice(keep);
					return keys;
				}

				addPaste(input.slice(index, end));
				keys.push(endPaste());
				index = end + PASTE_END.length;
				continue;
			}

			const code = input.charCodeAt(index);
			if (code >= 0x20 && code !== 0x7f) {
				let end = index + 1;
				while (end < input.length) {
					const next = input.charCodeAt(end);
					if (next < 0x20 || next === 0x7f) break;
					end++;
				}

				keys.push({kind: 'text', text: input.slice(index, end)});
				index = end;
				continue;
			}

			if (code === 0x1b) {
				if (input.startsWith(PASTE_START, index)) {
					paste = '';
					index += PASTE_START.length;
					continue;
				}

				const scan = scanEscape(input, index);
				if (scan === 'pending') {
					pending = input.slice(index);
					return keys;
				}

				keys.push(scan.key);
				index = scan.next;
				continue;
			}

			keys.push(controlKey(code));
			// \r\n is one Enter.
			index += code === 0x0d && input.charCodeAt(index + 1) === 0x0a ? 2 : 1;
		}

		pending = '';
		return keys;
	};

	return {
		push(chunk) {
			const input = pending + chunk;
			pending = '';
			return parse(input);
		},
		flush() {
			const rest = pending;
			pending = '';
			if (paste !== null) {
				addPaste(rest);
				return [endPaste()];
			}

			if (rest === '') return [];
			// A lone ESC is Escape; what follows an unfinished ESC is read again as keys.
			return [special('escape'), ...parse(rest.slice(1))];
		},
		isPending() {
			return pending !== '';
		},
	};
}

/** Every key of a complete input (tests, and callers with no chunks to join). */
export function parseKeys(input: string): Key[] {
	const parser = createKeyParser();
	return [...parser.push(input), ...parser.flush()];
}
