// Bounds Ink 6.8's text caches for the screen (why: ink-caches-hook.ts). Call before Ink is
// first imported: the hooks replace two of Ink's modules as they load.

import {register} from 'node:module';

let isRegistered = false;

/** Installs the loader hooks (once); false where Node has no module.register (before 20.6). */
export function boundInkCaches(): boolean {
	if (isRegistered) return true;
	if (typeof register !== 'function') return false;
	// The hooks file is built next to this code (scripts/build.mjs): dist/ink-caches-hook.js.
	register('./ink-caches-hook.js', import.meta.url);
	isRegistered = true;
	return true;
}
