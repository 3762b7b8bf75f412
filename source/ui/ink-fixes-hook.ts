// Module loader hooks (node:module register) for the screen: two fixes to Ink 6.8, applied to
// its modules as they load. Any other Ink version is loaded as it is.
//
// 1. measure-text.js and wrap-text.js with their caches bounded. Ink keeps every text it ever
//    measured or wrapped in a module-level Map (measure-text) and object (wrap-text) that are
//    never emptied (Ink issue #986), so a screen whose numbers change at every refresh grows by
//    about 12 MiB every thousand refreshes, for as long as it runs. One statement of each is
//    patched to empty its cache when it holds CACHE_LIMIT texts: a frame re-measures at most the
//    texts it shows.
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

const INK_FILE = /\/node_modules\/ink\/build\/(measure-text|wrap-text|log-update)\.js$/;

/** One statement of an Ink file, and what it becomes. */
type Patch = readonly [from: string, to: string];

/**
 * Each file's patches (each statement must be in the file exactly once) and an export that
 * says the file was patched. measure-text.js and wrap-text.js empty their cache when it holds
 * CACHE_LIMIT texts; log-update.js moves the cursor up the whole frame after a frame that ended
 * with a newline.
 */
export const INK_PATCHES: Readonly<Record<string, {patches: readonly Patch[]; marker: string}>> = {
	'measure-text': {
		patches: [
			[
				'cache.set(text, dimensions);',
				`if (cache.size >= ${CACHE_LIMIT}) cache.clear();\n    cache.set(text, dimensions);`,
			],
		],
		marker: 'export const cacheSize = () => cache.size;',
	},
	'wrap-text': {
		patches: [
			['const cache = {};', 'let cache = {};\nlet cached = 0;'],
			[
				'cache[cacheKey] = wrappedText;',
				`if (cached >= ${CACHE_LIMIT}) {\n        cache = {};\n        cached = 0;\n    }\n    cache[cacheKey] = wrappedText;\n    cached++;`,
			],
		],
		marker: 'export const cacheSize = () => cached;',
	},
	'log-update': {
		patches: [
			[
				'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));',
				"buffer.push(ansiEscapes.cursorUp(previousVisible - (previousOutput.endsWith('\\n') ? 0 : 1)));",
			],
		],
		marker: 'export const incrementalCursorFix = true;',
	},
};

/** An Ink file with its patches and marker; null if a statement is not in it exactly once. */
export function patchInkFile(file: string, source: string): string | null {
	const fix = INK_PATCHES[file];
	if (fix === undefined) return null;
	let patched = source;
	for (const [from, to] of fix.patches) {
		const at = patched.indexOf(from);
		if (at < 0 || patched.includes(from, at + 1)) return null;
		patched = patched.replace(from, to);
	}

	return `${patched}\n${fix.marker}\n`;
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
	const loaded = await nextLoad(url, context);
	const text = typeof loaded.source === 'string' ? loaded.source : new TextDecoder().decode(loaded.source ?? undefined);
	const patched = patchInkFile(file, text);
	return patched === null ? loaded : {...loaded, source: patched, shortCircuit: true};
}
