import {describe, expect, it} from 'vitest';
import {
	deleteBack,
	deleteForward,
	EMPTY_LINE,
	insertText,
	killToStart,
	killWordBack,
	lineOf,
	lineText,
	lineWidth,
	lineWindow,
	MAX_LINE_LENGTH,
	moveEnd,
	moveHome,
	moveLeft,
	moveRight,
	pasteLines,
	type EditLine,
} from '../../source/commands/line-editor.js';

const typed = (text: string): EditLine => insertText(EMPTY_LINE, text).line;
/** The line as `before|after`, with both widths. */
const show = (line: EditLine): string => `${line.before}|${line.after} ${line.beforeWidth}+${line.afterWidth}`;

describe('line editor', () => {
	it('inserts at the cursor and keeps the width of each side', () => {
		const line = insertText(moveLeft(moveLeft(moveLeft(typed('shink')))), 'r').line;
		expect(show(line)).toBe('shr|ink 3+3');
		expect(show(insertText(typed('名前'), 'x').line)).toBe('名前x| 5+0');
	});

	it('moves by characters with ← and →, graphemes kept whole', () => {
		const line = typed('a👍🏽b');
		expect(show(moveLeft(line))).toBe('a👍🏽|b 3+1');
		expect(show(moveLeft(moveLeft(line)))).toBe('a|👍🏽b 1+3');
		expect(show(moveRight(moveLeft(moveLeft(line))))).toBe('a👍🏽|b 3+1');
		expect(moveRight(line)).toBe(line);
		expect(moveLeft(EMPTY_LINE)).toBe(EMPTY_LINE);
	});

	it('erases with Backspace and Delete', () => {
		expect(show(deleteBack(typed('free 12')))).toBe('free 1| 6+0');
		expect(show(deleteBack(typed('名')))).toBe('| 0+0');
		expect(show(deleteForward(moveHome(typed('xshow'))))).toBe('|show 0+4');
		expect(deleteForward(typed('x'))).toEqual(typed('x'));
	});

	it('goes to the start and end with Ctrl-A and Ctrl-E', () => {
		const line = moveLeft(typed('alloc -c dentry'));
		expect(show(moveHome(line))).toBe('|alloc -c dentry 0+15');
		expect(show(moveEnd(moveHome(line)))).toBe('alloc -c dentry| 15+0');
	});

	it('kills to the start with Ctrl-U and the word before the cursor with Ctrl-W, as readline', () => {
		const line = moveLeft(moveLeft(typed('alloc -c dentry')));
		expect(show(killToStart(line))).toBe('|ry 0+2');
		expect(show(killWordBack(typed('alloc -c dentry')))).toBe('alloc -c | 9+0');
		expect(show(killWordBack(typed('alloc -c   ')))).toBe('alloc | 6+0');
		expect(show(killWordBack(typed('   ')))).toBe('| 0+0');
		expect(show(killWordBack(line))).toBe('alloc -c |ry 9+2');
	});

	it('drops control characters from inserted text', () => {
		expect(lineText(typed('a\u001B[31mb\u0007'))).toBe('a[31mb');
	});

	it(`holds at most ${MAX_LINE_LENGTH} characters and says how many it did not take`, () => {
		const full = insertText(EMPTY_LINE, 'x'.repeat(MAX_LINE_LENGTH + 10));
		expect(lineText(full.line)).toHaveLength(MAX_LINE_LENGTH);
		expect(full.note).toBe(`the command line holds ${MAX_LINE_LENGTH} characters: 10 not taken`);
		const more = insertText(full.line, 'y');
		expect(more.line).toBe(full.line);
		expect(more.note).toBe(`the command line holds ${MAX_LINE_LENGTH} characters: 1 not taken`);
		expect(insertText(EMPTY_LINE, 'ok').note).toBeNull();
	});

	it('keeps the width right after many edits (as measured afresh)', () => {
		let line = EMPTY_LINE;
		const steps: Array<(line: EditLine) => EditLine> = [
			l => insertText(l, 'ab名').line,
			moveLeft,
			l => insertText(l, '✓ x').line,
			moveHome,
			deleteForward,
			moveEnd,
			killWordBack,
			l => insertText(l, 'ｆｕｌｌ').line,
			deleteBack,
		];
		for (const step of steps) line = step(line);
		expect(lineText(line)).toBe('b✓ ｆｕｌ');
		expect(lineWidth(line)).toBe(9);
	});

	it('lineOf puts the cursor at the end of a recalled line', () => {
		expect(show(lineOf('show'))).toBe('show| 4+0');
	});
});

describe('lineWindow', () => {
	it('shows the whole line when it fits', () => {
		expect(lineWindow(typed('show'), 10)).toEqual({left: 'show', right: '', isCutLeft: false, isCutRight: false});
	});

	it('shows the end of a long line with the cursor at its end', () => {
		const window = lineWindow(typed('0123456789'.repeat(100)), 11);
		expect(window).toEqual({left: '0123456789', right: '', isCutLeft: true, isCutRight: false});
	});

	it('keeps the cursor in view in the middle of a long line, by display width', () => {
		let line = typed('名'.repeat(50));
		for (let index = 0; index < 20; index++) line = moveLeft(line);
		const window = lineWindow(line, 13);
		// 12 columns: 8 left of the cursor (4 wide characters), 4 right of it.
		expect(window).toEqual({left: '名'.repeat(4), right: '名'.repeat(2), isCutLeft: true, isCutRight: true});
	});
});

describe('pasteLines', () => {
	it('splits on every line end and drops the empty line after a last newline', () => {
		expect(pasteLines('show\r\nfree 1\rfreeall\n')).toEqual(['show', 'free 1', 'freeall']);
		expect(pasteLines('one line')).toEqual(['one line']);
		expect(pasteLines('a\n\nb')).toEqual(['a', '', 'b']);
	});
});
