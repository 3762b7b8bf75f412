import {describe, expect, it} from 'vitest';
import {createKeyParser, MAX_PASTE_LENGTH, parseKeys, type Key} from '../../source/commands/key-parse.js';

const key = (name: string, mods: {ctrl?: boolean; meta?: boolean; shift?: boolean} = {}): Key =>
	({kind: 'special', name, ctrl: mods.ctrl ?? false, meta: mods.meta ?? false, shift: mods.shift ?? false}) as Key;

describe('parseKeys', () => {
	it('keeps a run of printable characters as one text key, in order with the keys around it', () => {
		expect(parseKeys('cb')).toEqual([{kind: 'text', text: 'cb'}]);
		expect(parseKeys('?q')).toEqual([{kind: 'text', text: '?q'}]);
		expect(parseKeys('a\tb')).toEqual([{kind: 'text', text: 'a'}, key('tab'), {kind: 'text', text: 'b'}]);
		expect(parseKeys('dentry ✓ 名')).toEqual([{kind: 'text', text: 'dentry ✓ 名'}]);
	});

	it('reads every control key of a chunk: two Tabs, two Backspaces, Enter forms', () => {
		expect(parseKeys('\t\t')).toEqual([key('tab'), key('tab')]);
		expect(parseKeys('\u007F\u007F\b')).toEqual([key('backspace'), key('backspace'), key('backspace')]);
		expect(parseKeys('\r\n\r\n')).toEqual([key('enter'), key('enter')]);
		expect(parseKeys('\n\r')).toEqual([key('enter'), key('enter')]);
	});

	it('names Ctrl-letters as readline does (Ctrl-A 0x01 … Ctrl-Z 0x1A) and the other C0 controls', () => {
		expect(parseKeys('\u0001\u0005\u0015\u0017\u0003\u001A')).toEqual(
			['a', 'e', 'u', 'w', 'c', 'z'].map(letter => ({kind: 'ctrl', letter})),
		);
		expect(parseKeys('\u0000\u001C\u001F')).toEqual(['@', '\\', '_'].map(letter => ({kind: 'ctrl', letter})));
	});

	it('reads CSI and SS3 arrows, Home/End, PgUp/PgDn, Insert/Delete and Shift-Tab', () => {
		expect(parseKeys('\u001B[A\u001B[B\u001B[C\u001B[D')).toEqual([key('up'), key('down'), key('right'), key('left')]);
		expect(parseKeys('\u001BOA\u001BOB\u001BOH\u001BOF')).toEqual([key('up'), key('down'), key('home'), key('end')]);
		expect(parseKeys('\u001B[H\u001B[F\u001B[1~\u001B[4~\u001B[7~\u001B[8~')).toEqual([
			key('home'),
			key('end'),
			key('home'),
			key('end'),
			key('home'),
			key('end'),
		]);
		expect(parseKeys('\u001B[5~\u001B[6~\u001B[2~\u001B[3~\u001B[Z')).toEqual([
			key('pageup'),
			key('pagedown'),
			key('insert'),
			key('delete'),
			key('backtab'),
		]);
	});

	it('reads modifiers from `1;N` parameters and Alt as a leading ESC', () => {
		expect(parseKeys('\u001B[1;5A')).toEqual([key('up', {ctrl: true})]);
		expect(parseKeys('\u001B[1;2B')).toEqual([key('down', {shift: true})]);
		expect(parseKeys('\u001B[5;3~')).toEqual([key('pageup', {meta: true})]);
		expect(parseKeys('\u001B\u001B[A')).toEqual([key('up', {meta: true})]);
		expect(parseKeys('\u001Bb\u001B\u007F')).toEqual([{kind: 'meta', text: 'b'}, key('backspace', {meta: true})]);
	});

	it('reads held arrows sent in one chunk as that many keys', () => {
		expect(parseKeys('\u001B[B'.repeat(5))).toEqual(Array.from({length: 5}, () => key('down')));
	});

	it('makes unknown sequences (function keys, mouse reports, console F-keys) unknown keys, never text', () => {
		expect(parseKeys('\u001B[15~x')).toEqual([
			{kind: 'unknown', sequence: '\u001B[15~'},
			{kind: 'text', text: 'x'},
		]);
		expect(parseKeys('\u001B[<0;3;4M')).toEqual([{kind: 'unknown', sequence: '\u001B[<0;3;4M'}]);
		expect(parseKeys('\u001B[[A')).toEqual([{kind: 'unknown', sequence: '\u001B[[A'}]);
		expect(parseKeys('\u001BOP')).toEqual([{kind: 'unknown', sequence: '\u001BOP'}]);
	});

	it('delivers a bracketed paste as one key with its control characters, CR LF as \\n', () => {
		expect(parseKeys('x\u001B[200~show\r\nq\u001B[B\u001B[201~y')).toEqual([
			{kind: 'text', text: 'x'},
			{kind: 'paste', text: 'show\nq\u001B[B', isTruncated: false},
			{kind: 'text', text: 'y'},
		]);
	});
});

describe('createKeyParser', () => {
	it('keeps a sequence split between reads until it is complete', () => {
		const parser = createKeyParser();
		expect(parser.push('a\u001B')).toEqual([{kind: 'text', text: 'a'}]);
		expect(parser.isPending()).toBe(true);
		expect(parser.push('[')).toEqual([]);
		expect(parser.push('6')).toEqual([]);
		expect(parser.push('~b')).toEqual([key('pagedown'), {kind: 'text', text: 'b'}]);
		expect(parser.isPending()).toBe(false);
	});

	it('makes a lone ESC Escape when flushed', () => {
		const parser = createKeyParser();
		expect(parser.push('\u001B')).toEqual([]);
		expect(parser.flush()).toEqual([key('escape')]);
		expect(parser.flush()).toEqual([]);
	});

	it('joins a paste that arrives in many reads, even when the end marker is split', () => {
		const parser = createKeyParser();
		expect(parser.push('\u001B[200~line 1\n')).toEqual([]);
		expect(parser.push('line 2\u001B[2')).toEqual([]);
		expect(parser.push('01~q')).toEqual([
			{kind: 'paste', text: 'line 1\nline 2', isTruncated: false},
			{kind: 'text', text: 'q'},
		]);
	});

	it('keeps at most MAX_PASTE_LENGTH characters of a paste and says it cut it', () => {
		const parser = createKeyParser();
		parser.push('\u001B[200~');
		for (let index = 0; index < 3; index++) parser.push('x'.repeat(MAX_PASTE_LENGTH / 2));
		const [pasted] = parser.push('\u001B[201~');
		expect(pasted).toEqual({kind: 'paste', text: 'x'.repeat(MAX_PASTE_LENGTH), isTruncated: true});
	});
});
