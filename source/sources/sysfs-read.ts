// File access for /sys/kernel/slab: `readPartialCounts(names)` reads each cache's `partial`
// file ("<total> N0=<n> …", the slabs on the node partial lists). Caches whose file is
// missing or unreadable are left out, so the caller shows "unknown" for them.

import {readFileSync} from 'node:fs';
import {join} from 'node:path';

export const SYSFS_SLAB_ROOT = '/sys/kernel/slab';

/** The total from the text of a sysfs `partial` file, or null if it is not one. */
export function parsePartialFile(text: string): number | null {
	const first = text.trim().split(/\s+/)[0] ?? '';
	return /^\d+$/.test(first) ? Number(first) : null;
}

export function readPartialCounts(
	names: readonly string[],
	root: string = SYSFS_SLAB_ROOT,
): Map<string, number> {
	const counts = new Map<string, number>();
	for (const name of names) {
		// A cache name never contains a slash; one that does cannot name a sysfs directory.
		if (name.includes('/') || name === '.' || name === '..') continue;
		let text: string;
		try {
			text = readFileSync(join(root, name, 'partial'), 'utf8');
		} catch {
			continue;
		}

		const total = parsePartialFile(text);
		if (total !== null) counts.set(name, total);
	}

	return counts;
}
