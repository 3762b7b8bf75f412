// File access for /sys/kernel/slab/<cache>/: `createSysfsReader()` reads the layout attributes (once per cache: they do not change) and
// the list figures (at every sample) into SysfsFigures under the sysfs file names, as the
// simulator reports them. Caches whose directory is missing or unreadable are left out, so
// the caller shows "unknown" for them.

import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {SysfsFigures, SysfsValue} from './source.js';

export const SYSFS_SLAB_ROOT = '/sys/kernel/slab';

/** Attributes fixed when the cache is created. */
const LAYOUT_FILES = [
	'object_size',
	'slab_size',
	'align',
	'order',
	'objs_per_slab',
	'min_partial',
	'cpu_partial',
	'sheaf_capacity',
	'usersize',
	'aliases',
	'ctor',
	'hwcache_align',
	'reclaim_account',
	'cache_dma',
	'destroy_by_rcu',
	'poison',
	'red_zone',
	'store_user',
	'sanity_checks',
	'trace',
] as const;

/**
 * Figures that change: read at every sample. (`slabs`, `objects` and `total_objects` are left
 * out: they repeat /proc/slabinfo's num_slabs, active_objs and num_objs.)
 */
const LIST_FILES = ['partial', 'objects_partial', 'cpu_slabs'] as const;

/** The total from the text of a sysfs counter file ("<total> N0=<n> …"), or null if it is not one. */
export function parsePartialFile(text: string): number | null {
	const first = text.trim().split(/\s+/)[0] ?? '';
	return /^\d+$/.test(first) ? Number(first) : null;
}

function isCacheName(name: string): boolean {
	// A cache name never contains a slash; one that does cannot name a sysfs directory.
	return !name.includes('/') && name !== '.' && name !== '..';
}

function readText(path: string): string | null {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return null;
	}
}

/** One attribute: a number when the file starts with one, else its text (ctor: `name+0x0/0x20`). */
function attribute(text: string): SysfsValue {
	const total = parsePartialFile(text);
	return total ?? text.trim();
}

function readFiles(dir: string, files: readonly string[], out: Record<string, SysfsValue>): boolean {
	let isAny = false;
	for (const file of files) {
		const text = readText(join(dir, file));
		if (text === null) continue;
		out[file] = attribute(text);
		isAny = true;
	}

	return isAny;
}

export type SysfsReader = (names: readonly string[]) => Map<string, SysfsFigures>;

/** A reader that keeps each cache's layout after the first read and re-reads its list figures. */
export function createSysfsReader(root: string = SYSFS_SLAB_ROOT): SysfsReader {
	const layouts = new Map<string, Readonly<Record<string, SysfsValue>>>();
	return names => {
		const out = new Map<string, SysfsFigures>();
		for (const name of names) {
			if (!isCacheName(name)) continue;
			const dir = join(root, name);
			let layout = layouts.get(name);
			if (layout === undefined) {
				const read: Record<string, SysfsValue> = {};
				readFiles(dir, LAYOUT_FILES, read);
				layout = read;
				layouts.set(name, layout);
			}

			const figures: Record<string, SysfsValue> = {...layout};
			const isListRead = readFiles(dir, LIST_FILES, figures);
			if (isListRead || Object.keys(layout).length > 0) out.set(name, figures);
		}

		return out;
	};
}
