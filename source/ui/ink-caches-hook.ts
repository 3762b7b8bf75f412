// Module loader hooks (node:module register) for the screen: Ink 6.8's measure-text.js and
// wrap-text.js, with their caches bounded. Ink keeps every text it ever measured or wrapped in a
// module-level Map (measure-text) and object (wrap-text) that are never emptied (Ink issue
// #986), so a screen whose numbers change at every refresh grows by about 8 MB every thousand
// refreshes, for as long as it runs. These versions compute the same values with the same
// libraries and empty their cache when it holds CACHE_LIMIT texts: a frame re-measures at most
// the texts it shows. Any other Ink version is loaded as it is.
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
const INK_FILE = /\/node_modules\/ink\/build\/(measure-text|wrap-text)\.js$/;

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
	const match = INK_FILE.exec(url);
	const source = match === null ? undefined : SOURCES[match[1]];
	if (source === undefined || !isInk68(url)) return nextLoad(url, context);
	return {format: 'module', source, shortCircuit: true};
}
