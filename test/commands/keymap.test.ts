import {describe, expect, it} from 'vitest';
import {parseKeys} from '../../source/commands/key-parse.js';
import {dispatchKeys, keyToCommands} from '../../source/commands/keymap.js';
import type {Mode, UiCommand} from '../../source/commands/state.js';

/** The commands of one key, as the terminal sends it, in `mode`. */
const commandsOf = (sequence: string, mode: Mode): UiCommand[] =>
	parseKeys(sequence).flatMap(key => keyToCommands(key, mode));

/**
 * Runs a read through dispatchKeys with a model of the modes: the commands that open and leave
 * the filter and the command bar change the mode, as the reducer does.
 */
function dispatched(read: string, start: Mode = 'browse'): {commands: UiCommand[]; mode: Mode} {
	let mode = start;
	const commands: UiCommand[] = [];
	dispatchKeys(
		parseKeys(read),
		() => mode,
		command => {
			commands.push(command);
			if (command.kind === 'start-filter') mode = 'filter';
			if (command.kind === 'start-command') mode = 'command';
			if (command.kind === 'submit' || command.kind === 'cancel') mode = 'browse';
			if (command.kind === 'open-columns') mode = 'picker';
			if (command.kind === 'back' && mode === 'picker') mode = 'browse';
		},
	);
	return {commands, mode};
}

describe('keyToCommands', () => {
	it("maps slabtop's sort letters to sort commands", () => {
		for (const letter of 'abclvnopsu') expect(commandsOf(letter, 'browse')).toEqual([{kind: 'sort', key: letter}]);
	});

	it('maps the browse keys of the help table', () => {
		const expected: Array<[string, UiCommand]> = [
			['r', {kind: 'reverse'}],
			[' ', {kind: 'refresh'}],
			['\u001B[A', {kind: 'move', delta: -1}],
			['\u001B[B', {kind: 'move', delta: 1}],
			['\u001B[5~', {kind: 'page', delta: -1}],
			['\u001B[6~', {kind: 'page', delta: 1}],
			['\u001B[H', {kind: 'home'}],
			['\u001B[F', {kind: 'end'}],
			['\r', {kind: 'open-detail'}],
			['\n', {kind: 'open-detail'}],
			['\u001B', {kind: 'back'}],
			['\t', {kind: 'cycle-view'}],
			['/', {kind: 'start-filter'}],
			[':', {kind: 'start-command'}],
			['z', {kind: 'toggle-pause'}],
			['+', {kind: 'faster'}],
			['-', {kind: 'slower'}],
			['?', {kind: 'help'}],
			['q', {kind: 'quit'}],
		];
		for (const [sequence, command] of expected) expect(commandsOf(sequence, 'browse')).toEqual([command]);
	});

	it('Ctrl-C quits in every mode', () => {
		for (const mode of ['browse', 'filter', 'command'] as const)
			expect(commandsOf('\u0003', mode)).toEqual([{kind: 'quit'}]);
	});

	it('ignores keys that mean nothing in browse mode', () => {
		for (const sequence of ['x', '\u0001', '\u001B[1;5A', '\u001B[15~', '\u001Bq'])
			expect(commandsOf(sequence, 'browse')).toEqual([]);
	});

	it('while typing, text is typed and the editing keys are readline’s', () => {
		expect(commandsOf('q', 'filter')).toEqual([{kind: 'type', text: 'q'}]);
		expect(commandsOf('alloc x', 'command')).toEqual([{kind: 'type', text: 'alloc x'}]);
		expect(commandsOf('\r', 'command')).toEqual([{kind: 'submit'}]);
		expect(commandsOf('\u001B', 'filter')).toEqual([{kind: 'cancel'}]);
		const moves: Array<[string, string]> = [
			['\u007F', 'backspace'],
			['\u0008', 'backspace'],
			['\u001B[3~', 'delete'],
			['\u001B[D', 'left'],
			['\u001B[C', 'right'],
			['\u001B[H', 'home'],
			['\u001B[F', 'end'],
			['\u0001', 'home'],
			['\u0005', 'end'],
			['\u0015', 'kill-start'],
			['\u0017', 'kill-word'],
			['\u001B\u007F', 'kill-word'],
		];
		for (const [sequence, move] of moves) expect(commandsOf(sequence, 'command')).toEqual([{kind: 'edit', move}]);
		expect(commandsOf('\u001B[A', 'filter')).toEqual([]);
		expect(commandsOf('\u0007', 'command')).toEqual([]);
	});

	it('maps ↑ and ↓ in the command bar to history recall', () => {
		expect(commandsOf('\u001B[A', 'command')).toEqual([{kind: 'recall', delta: -1}]);
		expect(commandsOf('\u001B[B', 'command')).toEqual([{kind: 'recall', delta: 1}]);
	});

	it('runs each line of a bracketed paste into the command bar, leaving an unfinished last line to edit', () => {
		expect(commandsOf('\u001B[200~alloc a\nshow\nfre\u001B[201~', 'command')).toEqual([
			{kind: 'type', text: 'alloc a'},
			{kind: 'submit'},
			{kind: 'start-command'},
			{kind: 'type', text: 'show'},
			{kind: 'submit'},
			{kind: 'start-command'},
			{kind: 'type', text: 'fre'},
		]);
		expect(commandsOf('\u001B[200~show\n\u001B[201~', 'command')).toEqual([
			{kind: 'type', text: 'show'},
			{kind: 'submit'},
		]);
	});

	it('a paste into the filter takes its first line and says so; in browse mode it runs nothing', () => {
		expect(commandsOf('\u001B[200~dent\nq\u001B[201~', 'filter')).toEqual([
			{kind: 'type', text: 'dent'},
			{kind: 'note', text: 'the filter took the first line of the paste (of 2)'},
		]);
		expect(commandsOf('\u001B[200~q\u001B[201~', 'browse')).toEqual([
			{kind: 'note', text: 'a paste goes to the command bar (:) or the filter (/)'},
		]);
	});
});

describe('dispatchKeys', () => {
	it('runs every key of one read in order: cb sorts by c then b, rr reverses twice, ?q opens help then quits', () => {
		expect(dispatched('cb').commands).toEqual([
			{kind: 'sort', key: 'c'},
			{kind: 'sort', key: 'b'},
		]);
		expect(dispatched('rr').commands).toEqual([{kind: 'reverse'}, {kind: 'reverse'}]);
		expect(dispatched('?q').commands).toEqual([{kind: 'help'}, {kind: 'quit'}]);
		expect(dispatched('\t\t').commands).toEqual([{kind: 'cycle-view'}, {kind: 'cycle-view'}]);
		expect(dispatched('\u001B[B\u001B[B\u001B[B').commands).toHaveLength(3);
	});

	it('types the text after a key that opens the command bar or the filter', () => {
		expect(dispatched(':show\r')).toEqual({
			commands: [{kind: 'start-command'}, {kind: 'type', text: 'show'}, {kind: 'submit'}],
			mode: 'browse',
		});
		expect(dispatched('/dent')).toEqual({
			commands: [{kind: 'start-filter'}, {kind: 'type', text: 'dent'}],
			mode: 'filter',
		});
		expect(dispatched('\u007F\u007F', 'command').commands).toEqual([
			{kind: 'edit', move: 'backspace'},
			{kind: 'edit', move: 'backspace'},
		]);
	});

	it('runs each line of text pasted into the command bar without bracketed paste, never as browse keys', () => {
		expect(dispatched('alloc a\r\nshow\r\rq', 'command')).toEqual({
			commands: [
				{kind: 'type', text: 'alloc a'},
				{kind: 'submit'},
				{kind: 'start-command'},
				{kind: 'type', text: 'show'},
				{kind: 'submit'},
				{kind: 'start-command'},
				{kind: 'type', text: 'q'},
			],
			mode: 'command',
		});
	});

	it('keeps the first line of text pasted into the filter and says it dropped the rest', () => {
		expect(dispatched('dent\rq', 'filter').commands).toEqual([
			{kind: 'type', text: 'dent'},
			{kind: 'submit'},
			{kind: 'note', text: 'the filter took the first line of the paste'},
		]);
	});
});

describe('the keys of the trace, explain and slab views', () => {
	it('t, f and e, and ← → move across', () => {
		expect(commandsOf('t', 'browse')).toEqual([{kind: 'trace'}]);
		expect(commandsOf('f', 'browse')).toEqual([{kind: 'trace-path'}]);
		expect(commandsOf('e', 'browse')).toEqual([{kind: 'explain'}]);
		expect(commandsOf('\u001B[D', 'browse')).toEqual([{kind: 'move-across', delta: -1}]);
		expect(commandsOf('\u001B[C', 'browse')).toEqual([{kind: 'move-across', delta: 1}]);
		expect(commandsOf('t', 'command')).toEqual([{kind: 'type', text: 't'}]);
	});
});

describe('keys of the rates and the column picker', () => {
	it('m, t and C in browse mode', () => {
		expect(commandsOf('m', 'browse')).toEqual([{kind: 'mark'}]);
		expect(commandsOf('t', 'browse')).toEqual([{kind: 'trace'}]); // cycle-rates on the other sources (reduce.ts)
		expect(commandsOf('C', 'browse')).toEqual([{kind: 'open-columns'}]);
	});

	it('the picker: arrows move, space toggles, s sorts, Esc / Enter / C close, letters do not sort the table', () => {
		expect(commandsOf('\u001B[B', 'picker')).toEqual([{kind: 'move', delta: 1}]);
		expect(commandsOf(' ', 'picker')).toEqual([{kind: 'toggle-column'}]);
		expect(commandsOf('s', 'picker')).toEqual([{kind: 'sort-column'}]);
		for (const sequence of ['\u001B', '\r', 'C']) expect(commandsOf(sequence, 'picker')).toEqual([{kind: 'back'}]);
		expect(commandsOf('a', 'picker')).toEqual([]);
	});

	it('takes the keys of one read in the picker one by one, and the picker closes before the next', () => {
		expect(dispatched('C  C')).toEqual({
			commands: [{kind: 'open-columns'}, {kind: 'toggle-column'}, {kind: 'toggle-column'}, {kind: 'back'}],
			mode: 'browse',
		});
	});
});
