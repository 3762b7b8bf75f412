// The screen's frame assembly (source/ui/fast-output.ts) against Ink 6.8's own Output.get():
// the same string for random writes (ANSI styles, wide and combining characters, emoji, text
// outside the frame, transformers, clipping) and for real screens. The unit project's setup
// (test/helpers/compare-output.ts) also compares every frame every UI test draws.

import fc from 'fast-check';
import {createElement} from 'react';
import {describe, expect, it} from 'vitest';
import {fastGet, installFastOutput, loadInkOutput} from '../../source/ui/fast-output.js';
import {cacheRow, fakeSource, manyRows} from '../helpers/fake-sources.js';
import {compared} from '../helpers/compare-output.js';
import {mountScreen} from '../../bench/fake-terminal.js';
import {App} from '../../source/ui/app.js';
import {KEYS, renderApp} from '../helpers/render-app.js';

const {Output} = await loadInkOutput();
const fast = await installFastOutput();
if (fast === null) throw new Error('Ink 6.8.x expected');
const {inkGet} = fast;

// Pieces a line is made of: plain ASCII, SGR codes (single, compound, 256 and 24-bit colour,
// resets, ends), wide CJK, emoji (with skin tone, flags, VS16), combining marks, block
// characters, a tab and other control bytes, OSC 8 links.
const PIECES = [
	'a',
	'slab',
	'  12345 ',
	' ',
	'\u001B[1m',
	'\u001B[22m',
	'\u001B[2m',
	'\u001B[7m',
	'\u001B[27m',
	'\u001B[31m',
	'\u001B[32m',
	'\u001B[39m',
	'\u001B[0m',
	'\u001B[1;31m',
	'\u001B[38;5;208m',
	'\u001B[48;2;10;20;30m',
	'\u001B[49m',
	'\u001B[4m',
	'\u001B[24m',
	'日本',
	'ｶ',
	'🙂',
	'👍🏽',
	'🇩🇪',
	'❤\uFE0F',
	'e\u0301',
	'▁▂▃█',
	'\t',
	'\u0007',
	'\u001B]8;;https://kernel.org\u0007link\u001B]8;;\u0007',
];

const lineArb = fc.array(fc.constantFrom(...PIECES), {maxLength: 12}).map(parts => parts.join(''));
const textArb = fc.array(lineArb, {minLength: 1, maxLength: 4}).map(lines => lines.join('\n'));
const transformersArb = fc.constantFrom<Array<(line: string, index: number) => string>>(
	[],
	[line => `\u001B[1m${line}\u001B[22m`],
	[(line, index) => (index % 2 === 0 ? line.toUpperCase() : line), line => `\u001B[7m${line}\u001B[27m`],
);
const writeArb = fc.record({
	x: fc.integer({min: -3, max: 34}),
	y: fc.integer({min: -2, max: 10}),
	text: textArb,
	transformers: transformersArb,
});
const opArb = fc.oneof(
	{weight: 6, arbitrary: writeArb.map(write => ({kind: 'write' as const, ...write}))},
	{
		weight: 2,
		arbitrary: fc
			.record({x1: fc.integer({min: 0, max: 10}), x2: fc.integer({min: 5, max: 30}), y1: fc.nat(3), y2: fc.nat(8)})
			.chain(clip =>
				// A box may clip one way only (overflowX or overflowY).
				fc.constantFrom(clip, {x1: clip.x1, x2: clip.x2}, {y1: clip.y1, y2: clip.y2}),
			)
			.map(clip => ({kind: 'clip' as const, clip})),
	},
	{weight: 2, arbitrary: fc.constant({kind: 'unclip' as const})},
);

function outputOf(width: number, height: number, ops: readonly Op[]) {
	const output = new Output({width, height});
	for (const op of ops) {
		if (op.kind === 'write') output.write(op.x, op.y, op.text, {transformers: op.transformers});
		else if (op.kind === 'clip') output.clip(op.clip);
		else output.unclip();
	}

	return output;
}

type Op =
	| {kind: 'write'; x: number; y: number; text: string; transformers: Array<(line: string, index: number) => string>}
	| {kind: 'clip'; clip: {x1?: number; x2?: number; y1?: number; y2?: number}}
	| {kind: 'unclip'};

describe('fast Output.get()', () => {
	it('is installed for Ink 6.8 and gives the same frame as Ink for random writes', () => {
		fc.assert(
			fc.property(
				fc.integer({min: 1, max: 30}),
				fc.integer({min: 1, max: 8}),
				fc.array(opArb, {maxLength: 8}),
				(width, height, ops) => {
					const output = outputOf(width, height, ops);
					expect(fastGet.call(output)).toEqual(inkGet.call(output));
				},
			),
			{numRuns: 1500},
		);
	});

	it('measures every BMP character as Ink does, alone, next to ASCII and next to its neighbours', () => {
		for (let start = 0x80; start < 0x10000; start += 64) {
			if (start >= 0xd800 && start < 0xe000) continue;
			const chars = Array.from({length: 64}, (_, index) => String.fromCharCode(start + index));
			const output = new Output({width: 240, height: 2});
			output.write(0, 0, `${chars.join('')}|${chars.map(char => `a${char}`).join('')}`, {transformers: []});
			output.write(1, 1, chars.map(char => char + char).join(' '), {transformers: []});
			expect(fastGet.call(output), `U+${start.toString(16)}`).toEqual(inkGet.call(output));
		}
	});

	it('gives the same frame as Ink for rows written in pieces of plain text and symbols', () => {
		// Several one-column lines on a few rows, side by side, apart, overlapping, past the edge.
		const simpleLine = fc
			.array(fc.constantFrom('ab', ' ', '12 ', '▁▂█', '…', 'x', '   '), {minLength: 1, maxLength: 5})
			.map(parts => parts.join(''));
		const simpleWrite = fc.record({
			kind: fc.constant('write' as const),
			x: fc.integer({min: 0, max: 24}),
			y: fc.integer({min: 0, max: 3}),
			text: simpleLine,
			transformers: fc.constantFrom<Array<(line: string, index: number) => string>>(
				[],
				[line => `\u001B[7m${line}\u001B[27m`],
			),
		});
		fc.assert(
			fc.property(fc.integer({min: 4, max: 30}), fc.array(simpleWrite, {minLength: 1, maxLength: 10}), (width, ops) => {
				const output = outputOf(width, 4, ops);
				expect(fastGet.call(output)).toEqual(inkGet.call(output));
			}),
			{numRuns: 1500},
		);
	});

	it('cuts writes in clipping boxes as Ink does (the scrolled pages: many lines, a box inside the frame)', () => {
		const page = fc.record({
			x: fc.integer({min: -4, max: 12}),
			y: fc.integer({min: -6, max: 10}),
			text: fc
				.array(fc.constantFrom('line of text', '▁▂▃ and …', '\u001B[1mbold\u001B[22m tail', '日本 wide', '', '  x'), {
					minLength: 1,
					maxLength: 12,
				})
				.map(lines => lines.join('\n')),
		});
		const box = fc.record({x1: fc.nat(6), w: fc.nat(14), y1: fc.nat(4), h: fc.nat(6)});
		fc.assert(
			fc.property(box, fc.array(page, {minLength: 1, maxLength: 4}), ({x1, w, y1, h}, pages) => {
				const ops: Op[] = [
					{kind: 'clip', clip: {x1, x2: x1 + w, y1, y2: y1 + h}},
					...pages.map(p => ({kind: 'write' as const, ...p, transformers: []})),
					{kind: 'unclip'},
					{kind: 'write', x: 0, y: 11, text: 'after the box', transformers: []},
				];
				const output = outputOf(24, 12, ops);
				expect(fastGet.call(output)).toEqual(inkGet.call(output));
			}),
			{numRuns: 1500},
		);
	});

	it('takes the same frames as Ink for written cases', () => {
		const cases: Array<[number, number, Op[]]> = [
			// A row wider than the frame, a wide character cut by the edge, text below the frame.
			[10, 2, [{kind: 'write', x: 0, y: 0, text: 'abcdefghijklmnop\nxyz\nbelow', transformers: []}]],
			[5, 1, [{kind: 'write', x: 3, y: 0, text: '日本語', transformers: []}]],
			// A selected (inverse) row over a plain one, trailing spaces trimmed, styles ended.
			[
				20,
				2,
				[
					{kind: 'write', x: 0, y: 0, text: 'plain row   ', transformers: []},
					{kind: 'write', x: 0, y: 1, text: 'selected  ', transformers: [l => `\u001B[7m${l}\u001B[27m`]},
				],
			],
			// Writes at x beyond the width leave holes, which Ink drops.
			[4, 1, [{kind: 'write', x: 7, y: 0, text: 'far', transformers: []}]],
			[4, 2, [{kind: 'write', x: -2, y: -1, text: 'neg\nnegative', transformers: []}]],
		];
		for (const [width, height, ops] of cases) {
			const output = outputOf(width, height, ops);
			expect(fastGet.call(output)).toEqual(inkGet.call(output));
		}
	});

	it('draws real screens as Ink does: 300 caches, odd names, help (clipped), detail, memory', async () => {
		const before = compared.frames;
		const odd = [
			cacheRow('日本語-cache', {numSlabs: 900}),
			cacheRow('emoji-🙂', {numSlabs: 800}),
			cacheRow('esc\u001B]0;title\u0007', {numSlabs: 700}),
			cacheRow('tab\there', {numSlabs: 600}),
		];
		for (const size of [
			{columns: 120, rows: 40},
			{columns: 80, rows: 24},
			{columns: 40, rows: 12},
		]) {
			const app = renderApp(
				fakeSource([
					[...odd, ...manyRows(300, 1)],
					[...odd, ...manyRows(300, 2)],
				]),
				size,
			);
			await app.waitFor(frame => frame.includes('Active / Total Objects'));
			await app.press(KEYS.down, KEYS.down, ' ', 'c', '?');
			await app.press(KEYS.pageDown, KEYS.escape, KEYS.enter, KEYS.escape, 'm', KEYS.escape);
			app.unmount();
		}

		// The afterEach of the setup fails the test if any of them differed.
		expect(compared.frames - before).toBeGreaterThan(20);
	});

	it('draws the screen in a 120x40 terminal as Ink does: rows of text and sparkline, selected, scrolled', async () => {
		// ink-testing-library's terminal is 100 columns wide; the screen's own width needs a terminal of its own.
		const before = compared.frames;
		const samples = Array.from({length: 8}, (_, index) => manyRows(300, index));
		const screen = mountScreen(
			createElement(App, {
				source: fakeSource(samples, 'kernel'),
				sortKey: 'o',
				delayMs: 600_000,
				size: {columns: 120, rows: 40},
			}),
			{columns: 120, rows: 40, incrementalRendering: false},
		);
		for (const key of [' ', ' ', KEYS.down, KEYS.down, ' ', 'c', ' ', KEYS.pageDown, ' ', '\t', ' ', '\t', ' ']) {
			await screen.keyToFrame(key);
		}

		screen.unmount();
		const {stdout} = screen;
		expect(stdout.bytes).toBeGreaterThan(0);
		expect(compared.frames - before).toBeGreaterThan(8);
	});

	it('can be taken out and put back (the bench measures both)', async () => {
		const wrapper = Output.prototype.get;
		fast.uninstall();
		expect(Output.prototype.get).toBe(inkGet);
		const again = await installFastOutput();
		expect(again?.inkGet).toBe(inkGet);
		expect(Output.prototype.get).toBe(fastGet);
		Output.prototype.get = wrapper;
	});
});
