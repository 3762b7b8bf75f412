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

/** The build/ folder of the Ink this program runs with. */
export const inkBuildDir = (): string => path.dirname(createRequire(import.meta.url).resolve('ink'));

/** One of Ink's own modules (its package does not export them), the same instance Ink uses. */
export async function importInkModule<T>(file: string): Promise<T> {
	return (await import(pathToFileURL(path.join(inkBuildDir(), file)).href)) as T;
}

/** Whether the Ink loaded has the incremental renderer's cursor fix (so it may be turned on). */
export async function isIncrementalRenderingFixed(): Promise<boolean> {
	try {
		const logUpdate = await importInkModule<{incrementalCursorFix?: unknown}>('log-update.js');
		return logUpdate.incrementalCursorFix === true;
	} catch {
		return false;
	}
}
