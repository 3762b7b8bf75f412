import {describe, expect, it} from 'vitest';
import {durationText, fit, printable, resample, sparkline} from '../../source/ui/format.js';

describe('sparkline', () => {
	it("scales each value between the series' minimum and maximum, one block per value", () => {
		expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
		expect(sparkline([10, 40, 20])).toBe('▁█▃');
	});

	it('draws a flat series as a low line and missing values as blanks', () => {
		expect(sparkline([5, 5, 5])).toBe('▁▁▁');
		expect(sparkline([null, null, 1, 3])).toBe('  ▁█');
		expect(sparkline([])).toBe('');
	});
});

describe('resample', () => {
	it('gives each cell the last value up to its end, carried forward, null before the first', () => {
		const history = [
			{timeMs: 25, value: 1},
			{timeMs: 50, value: 2},
			{timeMs: 55, value: 3},
			{timeMs: 100, value: 4},
		];
		// Window 0..100 in 4 cells ending at 25, 50, 75, 100.
		expect(resample(history, 100, 100, 4)).toEqual([1, 2, 3, 4]);
		expect(resample(history.slice(1), 100, 100, 4)).toEqual([null, 2, 3, 4]);
		expect(resample([], 100, 100, 3)).toEqual([null, null, null]);
	});
});

describe('fit', () => {
	it('pads or cuts ASCII to the width, on either side', () => {
		expect(fit('abc', 5)).toBe('abc  ');
		expect(fit('abc', 5, 'right')).toBe('  abc');
		expect(fit('abcdef', 3)).toBe('abc');
		expect(fit('abc', 0)).toBe('');
	});

	it('counts wide characters as two columns and never cuts one in half', () => {
		expect(fit('日本語', 4)).toBe('日本');
		expect(fit('日本語', 5)).toBe('日本 ');
		expect(fit('日本', 6, 'right')).toBe('  日本');
		expect(fit('▁▂▃', 5)).toBe('▁▂▃  ');
	});

	it('cuts and pads block characters (sparklines, shades) one column each, beside wide ones', () => {
		expect(fit('▁▂▃▄█', 3)).toBe('▁▂▃');
		expect(fit('a░▓', 4, 'right')).toBe(' a░▓');
		expect(fit('▁日▂', 2)).toBe('▁ ');
		expect(fit('▁日▂', 3)).toBe('▁日');
	});
});

describe('durationText', () => {
	it('rounds before it splits minutes, so the seconds never read 60', () => {
		expect(durationText(59_994)).toBe('59.99s');
		expect(durationText(59_996)).toBe('1m00.0s');
		expect(durationText(119_960)).toBe('2m00.0s');
		expect(durationText(65_240)).toBe('1m05.2s');
		expect(durationText(3_599_990)).toBe('1h00m');
		expect(durationText(7_380_000)).toBe('2h03m');
	});
});

describe('printable', () => {
	it('shows control characters as ncurses does (ESC as ^[), leaving other text alone', () => {
		expect(printable('dentry')).toBe('dentry');
		expect(printable('\u001B]0;owned\u0007red\u001B[31m')).toBe('^[]0;owned^Gred^[[31m');
		expect(printable('a\u007Fb\u009Bc\nd')).toBe('a^?b~[c^Jd');
		expect(printable('名前✓')).toBe('名前✓');
	});
});
