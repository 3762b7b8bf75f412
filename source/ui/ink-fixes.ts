// Fixes to Ink 6.8 for the screen, applied by module loader hooks as Ink's modules load
// (what and why: ink-fixes-hook.ts). `fixInk()` must run before Ink is first imported.

import {createRequire, register} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

let isRegistered = false;

/** Installs the loader hooks (once); false where Node has no module.register (before 20.6). */
export function fixInk(): boolean {
	if (isRegistered) return true;
	if (typeof register !== 'function') return false;
	// The hooks file is built next to this code (scripts/build.mjs): dist/ink-fixes-hook.js.
	register('./ink-fixes-hook.js', import.meta.url);
	isRegistered = true;
	return true;
}

/** Whether the Ink loaded has the incremental renderer's cursor fix (so it may be turned on). */
export async function isIncrementalRenderingFixed(): Promise<boolean> {
	try {
		const entry = createRequire(import.meta.url).resolve('ink');
		const logUpdate = (await import(pathToFileURL(path.join(path.dirname(entry), 'log-update.js')).href)) as {
			incrementalCursorFix?: unknown;
		};
		return logUpdate.incrementalCursorFix === true;
	} catch {
		return false;
	}
}
