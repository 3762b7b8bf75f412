// Module loader hooks (node:module register) for the screen: two fixes to Ink 6.8, applied to
// its modules as they load. Any other Ink version is loaded as it is.
//
// 1. measure-text.js and wrap-text.js with their caches bounded. Ink keeps every text it ever
//    measured or wrapped in a module-level Map (measure-text) and object (wrap-text) that are
//    never emptied (Ink issue #986), so a screen whose numbers change at every refresh grows by
//    about 12 MiB every thousand refreshes, for as long as it runs. These versions compute the
//    same values with the same libraries and empty their cache when it holds CACHE_LIMIT texts:
//    a frame re-measures at most the texts it shows.
// 2. log-update.js's incremental renderer, with its cursor brought back to the frame's first
//    line. A frame shorter than the terminal is written with a trailing newline, which leaves
//    the cursor on the line below the frame; the renderer then moves up one line less than the
//    frame's height, so every frame after the first is drawn one line lower (seen in tmux with a
//    three-line Ink app: the counter line repeats down the screen). The patch moves up the
//    whole height when the last frame ended with a newline; the patched module exports
//    `incrementalCursorFix` so the screen turns incremental rendering on only when it applied.
//
// The hooks run on Node's loader thread: no imports but node:fs.

import {readFileSync} from 'node:fs';

/** Texts kept by each cache: several frames' worth (a 120x40 frame has about 50 text nodes). */
export const CACHE_LIMIT = 2000;

const MEASURE_TEXT = `import widestLine from 'widest-line';
const cache = new Map();
export const cacheSize = () => cache.size;
const measureText = (text) => {
	if (text.length === 0) return {width: 0, height: 0};
	let dimensions = cache.get(text);
	if (dimensions !== undefined) return dimensions;
	dimensions = {width: widestLine(text), height: text.split('\\n').length};
	if (cache.size >= ${CACHE_LIMIT}) cache.clear();
	cache.set(text, dimensions);
	return dimensions;
};
export default measureText;
`;

const WRAP_TEXT = `import wrapAnsi from 'wrap-ansi';
import cliTruncate from 'cli-truncate';
const cache = new Map();
export const cacheSize = () => cache.size;
const wrapText = (text, maxWidth, wrapType) => {
	const key = text + String(maxWidth) + String(wrapType);
	let wrapped = cache.get(key);
	if (wrapped !== undefined) return wrapped;
	wrapped = text;
	if (wrapType === 'wrap') wrapped = wrapAnsi(text, maxWidth, {trim: false, hard: true});
	if (wrapType.startsWith('truncate')) {
		const position = wrapType === 'truncate-middle' ? 'middle' : wrapType === 'truncate-start' ? 'start' : 'end';
		wrapped = cliTruncate(text, maxWidth, {position});
	}
	if (cache.size >= ${CACHE_LIMIT}) cache.clear();
	cache.set(key, wrapped);
	return wrapped;
};
export default wrapText;
`;

const SOURCES: Record<string, string> = {'measure-text': MEASURE_TEXT, 'wrap-text': WRAP_TEXT};
const INK_FILE = /\/node_modules\/ink\/build\/(measure-text|wrap-text|log-update)\.js$/;

/** Ink 6.8's move back to the frame's top in createIncremental, and the same move made right. */
export const INCREMENTAL_CURSOR_UP = 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));';
const INCREMENTAL_CURSOR_UP_FIXED =
	"buffer.push(ansiEscapes.cursorUp(previousVisible - (previousOutput.endsWith('\\n') ? 0 : 1)));";

/** log-update.js with the incremental renderer's cursor fixed; null if the statement is not there once. */
export function fixLogUpdate(source: string): string | null {
	const at = source.indexOf(INCREMENTAL_CURSOR_UP);
	if (at < 0 || source.includes(INCREMENTAL_CURSOR_UP, at + 1)) return null;
	return `${source.replace(INCREMENTAL_CURSOR_UP, INCREMENTAL_CURSOR_UP_FIXED)}\nexport const incrementalCursorFix = true;\n`;
}

/** Whether the Ink at this file's URL is 6.8.x, the version these replacements follow. */
function isInk68(fileUrl: string): boolean {
	try {
		const packageJson = JSON.parse(readFileSync(new URL('../package.json', fileUrl), 'utf8')) as {version?: unknown};
		return typeof packageJson.version === 'string' && /^6\.8\./.test(packageJson.version);
	} catch {
		return false;
	}
}

type LoadResult = {format?: string | null; source?: string | ArrayBuffer | Uint8Array | null; shortCircuit?: boolean};
type LoadContext = {format?: string | null; conditions?: readonly string[]; importAttributes?: Record<string, string>};

export async function load(
	url: string,
	context: LoadContext,
	nextLoad: (url: string, context?: LoadContext) => Promise<LoadResult>,
): Promise<LoadResult> {
	const file = INK_FILE.exec(url)?.[1];
	if (file === undefined || !isInk68(url)) return nextLoad(url, context);
	const source = SOURCES[file];
	if (source !== undefined) return {format: 'module', source, shortCircuit: true};
	const loaded = await nextLoad(url, context);
	const text = typeof loaded.source === 'string' ? loaded.source : new TextDecoder().decode(loaded.source ?? undefined);
	const fixed = fixLogUpdate(text);
	return fixed === null ? loaded : {...loaded, source: fixed, shortCircuit: true};
}
