import {describe, expect, it} from 'vitest';
import {keyToCommand, keyToCommands, type KeyPress} from '../../source/commands/keymap.js';

const NO_KEY: KeyPress = {
	upArrow: false,
	downArrow: false,
	pageUp: false,
	pageDown: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	meta: false,
	tab: false,
	backspace: false,
	delete: false,
};

const key = (overrides: Partial<KeyPress> = {}): KeyPress => ({...NO_KEY, ...overrides});

describe('keyToCommand', () => {
	it("maps slabtop's sort letters to sort commands", () => {
		for (const letter of 'abclvnopsu') {
			expect(keyToCommand(letter, key(), 'browse')).toEqual({kind: 'sort', key: letter});
		}
	});

	it('maps the browse keys of the help table', () => {
		expect(keyToCommand('r', key(), 'browse')).toEqual({kind: 'reverse'});
		expect(keyToCommand(' ', key(), 'browse')).toEqual({kind: 'refresh'});
		expect(keyToCommand('', key({upArrow: true}), 'browse')).toEqual({kind: 'move', delta: -1});
		expect(keyToCommand('', key({downArrow: true}), 'browse')).toEqual({kind: 'move', delta: 1});
		expect(keyToCommand('', key({pageUp: true}), 'browse')).toEqual({kind: 'page', delta: -1});
		expect(keyToCommand('', key({pageDown: true}), 'browse')).toEqual({kind: 'page', delta: 1});
		expect(keyToCommand('', key({home: true}), 'browse')).toEqual({kind: 'home'});
		expect(keyToCommand('', key({end: true}), 'browse')).toEqual({kind: 'end'});
		expect(keyToCommand('\r', key({return: true}), 'browse')).toEqual({kind: 'open-detail'});
		expect(keyToCommand('', key({escape: true}), 'browse')).toEqual({kind: 'back'});
		expect(keyToCommand('\t', key({tab: true}), 'browse')).toEqual({kind: 'cycle-view'});
		expect(keyToCommand('/', key(), 'browse')).toEqual({kind: 'start-filter'});
		expect(keyToCommand(':', key(), 'browse')).toEqual({kind: 'start-command'});
		expect(keyToCommand('z', key(), 'browse')).toEqual({kind: 'toggle-pause'});
		expect(keyToCommand('+', key(), 'browse')).toEqual({kind: 'faster'});
		expect(keyToCommand('-', key(), 'browse')).toEqual({kind: 'slower'});
		expect(keyToCommand('?', key(), 'browse')).toEqual({kind: 'help'});
		expect(keyToCommand('q', key(), 'browse')).toEqual({kind: 'quit'});
	});

	it('Ctrl-C quits in every mode', () => {
		for (const mode of ['browse', 'filter', 'command'] as const) {
			expect(keyToCommand('c', key({ctrl: true}), mode)).toEqual({kind: 'quit'});
		}
	});

	it('ignores keys that mean nothing', () => {
		expect(keyToCommand('x', key(), 'browse')).toBeNull();
		expect(keyToCommand('a', key({ctrl: true}), 'browse')).toBeNull();
	});

	it('while typing, letters are text and Enter, Esc and Backspace edit the line', () => {
		expect(keyToCommand('q', key(), 'filter')).toEqual({kind: 'type', text: 'q'});
		expect(keyToCommand('a', key(), 'command')).toEqual({kind: 'type', text: 'a'});
		expect(keyToCommand('alloc x', key(), 'command')).toEqual({kind: 'type', text: 'alloc x'});
		expect(keyToCommand('\r', key({return: true}), 'command')).toEqual({kind: 'submit'});
		expect(keyToCommand('', key({escape: true}), 'filter')).toEqual({kind: 'cancel'});
		expect(keyToCommand('', key({backspace: true}), 'filter')).toEqual({kind: 'erase'});
		expect(keyToCommand('', key({delete: true}), 'command')).toEqual({kind: 'erase'});
		expect(keyToCommand('', key({upArrow: true}), 'filter')).toBeNull();
		expect(keyToCommand('\u0007', key(), 'command')).toBeNull();
	});
});

describe('keyToCommands', () => {
	it('types and submits a line that arrives with its newline in one event, dropping the rest', () => {
		expect(keyToCommands('alloc -c kmalloc-64 -n 5\r', key(), 'command')).toEqual([
			{kind: 'type', text: 'alloc -c kmalloc-64 -n 5'},
			{kind: 'submit'},
		]);
		expect(keyToCommands('show\nq', key(), 'command')).toEqual([{kind: 'type', text: 'show'}, {kind: 'submit'}]);
		expect(keyToCommands('dent\r', key(), 'filter')).toEqual([{kind: 'type', text: 'dent'}, {kind: 'submit'}]);
	});

	it('maps ↑ and ↓ in the command bar to history recall', () => {
		expect(keyToCommand('', key({upArrow: true}), 'command')).toEqual({kind: 'recall', delta: -1});
		expect(keyToCommand('', key({downArrow: true}), 'command')).toEqual({kind: 'recall', delta: 1});
	});

	it('takes a lone newline (Ctrl-J, or Enter typed before raw mode) as Enter', () => {
		expect(keyToCommand('\n', key(), 'browse')).toEqual({kind: 'open-detail'});
		expect(keyToCommand('\n', key(), 'command')).toEqual({kind: 'submit'});
		expect(keyToCommands('\n', key(), 'filter')).toEqual([{kind: 'submit'}]);
	});

	it('is one command per key otherwise', () => {
		expect(keyToCommands('s', key(), 'browse')).toEqual([{kind: 'sort', key: 's'}]);
		expect(keyToCommands('\r', key({return: true}), 'command')).toEqual([{kind: 'submit'}]);
		expect(keyToCommands('x', key({ctrl: true}), 'browse')).toEqual([]);
	});
});

describe('the keys of the trace, explain and slab views', () => {
	it('t, f and e, and ← → move across', () => {
		expect(keyToCommand('t', key({}), 'browse')).toEqual({kind: 'trace'});
		expect(keyToCommand('f', key({}), 'browse')).toEqual({kind: 'trace-path'});
		expect(keyToCommand('e', key({}), 'browse')).toEqual({kind: 'explain'});
		expect(keyToCommand('', key({leftArrow: true}), 'browse')).toEqual({kind: 'move-across', delta: -1});
		expect(keyToCommand('', key({rightArrow: true}), 'browse')).toEqual({kind: 'move-across', delta: 1});
		expect(keyToCommand('t', key({}), 'command')).toEqual({kind: 'type', text: 't'});
	});
});

describe('keys of the rates and the column picker', () => {
	const none = {upArrow: false, downArrow: false, pageUp: false, pageDown: false, home: false, end: false, return: false, escape: false, ctrl: false, meta: false, tab: false, backspace: false, delete: false};
	it('m, t and C in browse mode', () => {
		expect(keyToCommand('m', none, 'browse')).toEqual({kind: 'mark'});
		expect(keyToCommand('t', none, 'browse')).toEqual({kind: 'trace'}); // cycle-rates on the other sources (reduce.ts)
		expect(keyToCommand('C', none, 'browse')).toEqual({kind: 'open-columns'});
	});

	it('the picker: arrows move, space toggles, s sorts, Esc / Enter / C close, letters do not sort the table', () => {
		expect(keyToCommand('', {...none, downArrow: true}, 'picker')).toEqual({kind: 'move', delta: 1});
		expect(keyToCommand(' ', none, 'picker')).toEqual({kind: 'toggle-column'});
		expect(keyToCommand('s', none, 'picker')).toEqual({kind: 'sort-column'});
		for (const [input, key] of [['', {...none, escape: true}], ['\r', {...none, return: true}], ['C', none]] as const) {
			expect(keyToCommand(input, key, 'picker')).toEqual({kind: 'back'});
		}
		expect(keyToCommand('a', none, 'picker')).toBeNull();
	});
});
