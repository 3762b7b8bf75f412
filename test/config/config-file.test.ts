import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {
	formatSettings,
	parseSettings,
	readSettings,
	settingsPath,
	writeSettings,
} from '../../source/config/config-file.js';

describe('the settings file', () => {
	it('lives under XDG_CONFIG_HOME, else ~/.config', () => {
		expect(settingsPath({XDG_CONFIG_HOME: '/x/cfg', HOME: '/home/u'})).toBe('/x/cfg/slabtop-ts/config.json');
		expect(settingsPath({XDG_CONFIG_HOME: 'relative', HOME: '/home/u'})).toBe('/home/u/.config/slabtop-ts/config.json');
		expect(settingsPath({})).toBeNull();
	});

	it('reads sort, reverse, delay, columns and palette', () => {
		const parsed = parseSettings(
			'{"sort": "c", "reverse": true, "delay": 2, "columns": ["waste", "partial", "waste"], "palette": "mono"}',
			'f',
		);
		expect(parsed).toEqual({
			ok: true,
			value: {sort: 'c', reverse: true, delay: 2, columns: ['waste', 'partial'], palette: 'mono'},
		});
	});

	const bad: Array<[string, string, string]> = [
		['not JSON', '{sort: c}', 'f: not valid JSON ('],
		['not an object', '[1]', 'f: expected a JSON object; using the defaults'],
		[
			'an unknown key',
			'{"colour": 1}',
			'f: unknown setting "colour" (known: sort, reverse, delay, columns, palette); using the defaults',
		],
		['a bad sort key', '{"sort": "x"}', 'f: "sort" must be one of a b c l v n o p s u, not "x"; using the defaults'],
		[
			'a fractional delay',
			'{"delay": 1.5}',
			'f: "delay" must be a whole number of seconds from 1 to 3600, not 1.5; using the defaults',
		],
		[
			'an unknown column',
			'{"columns": ["partial", "bogus"]}',
			'f: unknown column "bogus" in "columns"; using the defaults',
		],
		['a bad palette', '{"palette": "blue"}', 'f: "palette" must be "color" or "mono", not "blue"; using the defaults'],
	];
	for (const [what, text, message] of bad) {
		it(`rejects ${what} as a whole, in one line`, () => {
			const parsed = parseSettings(text, 'f');
			expect(parsed.ok).toBe(false);
			if (!parsed.ok) {
				expect(parsed.error.message.startsWith(message)).toBe(true);
				expect(parsed.error.message).not.toContain('\n');
				expect(parsed.error.message.endsWith('; using the defaults')).toBe(true);
			}
		});
	}

	it('a missing file is no settings; a written file reads back', () => {
		const dir = mkdtempSync(join(tmpdir(), 'settings-'));
		const file = join(dir, 'slabtop-ts', 'config.json');
		expect(readSettings(file)).toEqual({ok: true, value: {}});
		expect(writeSettings(file, {columns: ['order', 'rcl'], sort: 'n', delay: 5})).toEqual({ok: true, value: null});
		expect(readFileSync(file, 'utf8')).toBe(formatSettings({sort: 'n', delay: 5, columns: ['order', 'rcl']}));
		expect(readSettings(file)).toEqual({ok: true, value: {sort: 'n', delay: 5, columns: ['order', 'rcl']}});
		writeFileSync(file, '{"delay": 0}');
		expect(readSettings(file).ok).toBe(false);
	});

	it('a file that cannot be written is one line', () => {
		const dir = mkdtempSync(join(tmpdir(), 'settings-'));
		writeFileSync(join(dir, 'file'), '');
		const result = writeSettings(join(dir, 'file', 'config.json'), {});
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error.message).toMatch(/cannot write the settings \(E[A-Z]+\)$/);
	});
});
