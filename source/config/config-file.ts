// The settings file: `$XDG_CONFIG_HOME/slabtop-ts/config.json` (`~/.config/slabtop-ts/config.json`
// without XDG_CONFIG_HOME). It keeps what a user sets on the screen between runs:
//
//   {"sort": "c", "reverse": false, "delay": 2, "columns": ["partial", "waste", "objs_rate"],
//    "palette": "mono"}
//
// Every key is optional. Command-line flags win over it; it applies to the interactive screen
// only (--once stays exactly slabtop's report). A file that is not valid JSON, or holds an
// unknown key or a bad value, is ignored as a whole: the screen starts with the defaults and
// says why in one line. `parseSettings` is pure; `readSettings` / `writeSettings` do the file
// access.

import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {isColumnId, type ColumnId} from '../report/columns.js';
import {isSortKey, type SortKey} from '../report/sort.js';
import {err, ok, type Result} from '../result.js';
import type {Palette} from './terminal.js';

export type Settings = {
	sort?: SortKey;
	reverse?: boolean;
	/** Seconds between refreshes. */
	delay?: number;
	columns?: ColumnId[];
	palette?: Palette;
};

const KEYS = ['sort', 'reverse', 'delay', 'columns', 'palette'] as const;

export type SettingsResult = Result<Settings, {kind: 'bad-settings'; message: string}>;

/** Where the settings live for this environment. */
export function settingsPath(env: Readonly<Record<string, string | undefined>>): string | null {
	const xdg = env.XDG_CONFIG_HOME;
	if (xdg !== undefined && xdg.startsWith('/')) return join(xdg, 'slabtop-ts', 'config.json');
	if (env.HOME === undefined || env.HOME === '') return null;
	return join(env.HOME, '.config', 'slabtop-ts', 'config.json');
}

function bad(file: string, what: string): SettingsResult {
	return err('bad-settings', `${file}: ${what}; using the defaults`);
}

/** Checks the text of a settings file; `file` names it in the message. */
export function parseSettings(text: string, file: string): SettingsResult {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
		return bad(file, `not valid JSON (${reason})`);
	}

	if (typeof data !== 'object' || data === null || Array.isArray(data)) return bad(file, 'expected a JSON object');
	const record = data as Record<string, unknown>;
	const unknown = Object.keys(record).find(key => !(KEYS as readonly string[]).includes(key));
	if (unknown !== undefined) return bad(file, `unknown setting "${unknown}" (known: ${KEYS.join(', ')})`);
	const settings: Settings = {};
	const {sort, reverse, delay, columns, palette} = record;
	if (sort !== undefined) {
		if (typeof sort !== 'string' || !isSortKey(sort))
			return bad(file, `"sort" must be one of a b c l v n o p s u, not ${JSON.stringify(sort)}`);
		settings.sort = sort;
	}

	if (reverse !== undefined) {
		if (typeof reverse !== 'boolean')
			return bad(file, `"reverse" must be true or false, not ${JSON.stringify(reverse)}`);
		settings.reverse = reverse;
	}

	if (delay !== undefined) {
		if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 1 || delay > 3600) {
			return bad(file, `"delay" must be a whole number of seconds from 1 to 3600, not ${JSON.stringify(delay)}`);
		}

		settings.delay = delay;
	}

	if (columns !== undefined) {
		if (!Array.isArray(columns)) return bad(file, '"columns" must be a list of column names');
		const list: unknown[] = columns;
		const ids: ColumnId[] = [];
		for (const column of list) {
			if (typeof column !== 'string' || !isColumnId(column))
				return bad(file, `unknown column ${JSON.stringify(column)} in "columns"`);
			if (!ids.includes(column)) ids.push(column);
		}

		settings.columns = ids;
	}

	if (palette !== undefined) {
		if (palette !== 'color' && palette !== 'mono')
			return bad(file, `"palette" must be "color" or "mono", not ${JSON.stringify(palette)}`);
		settings.palette = palette;
	}

	return ok(settings);
}

/** The settings of `file`: none when it does not exist, the error line when it cannot be used. */
export function readSettings(file: string | null): SettingsResult {
	if (file === null) return ok({});
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = error instanceof Error && 'code' in error ? String(error.code) : '';
		if (code === 'ENOENT' || code === 'ENOTDIR') return ok({});
		return bad(file, `cannot read it (${code === 'EACCES' ? 'permission denied' : code || 'error'})`);
	}

	return parseSettings(text, file);
}

/** The file's text for `settings`: two-space JSON, keys in a fixed order. */
export function formatSettings(settings: Settings): string {
	const ordered: Record<string, unknown> = {};
	for (const key of KEYS) if (settings[key] !== undefined) ordered[key] = settings[key];
	return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Writes the settings, creating the directory; an error is one line. */
export function writeSettings(
	file: string | null,
	settings: Settings,
): Result<null, {kind: 'bad-settings'; message: string}> {
	if (file === null)
		return err('bad-settings', 'no place for the settings file (neither XDG_CONFIG_HOME nor HOME is set)');
	try {
		mkdirSync(dirname(file), {recursive: true});
		writeFileSync(file, formatSettings(settings));
		return ok(null);
	} catch (error) {
		const code = error instanceof Error && 'code' in error ? String(error.code) : 'error';
		return err('bad-settings', `${file}: cannot write the settings (${code})`);
	}
}
