// File access for /sys/kernel/slab/<cache>/: `createSysfsReader(root)` reads, for the caches it is
// asked about, their figures into SysfsFigures under the sysfs file names, as the simulator
// reports them. It reads as little as a refresh needs:
//
//   - layout attributes (object_size, order, aliases, reclaim_account, sheaf_capacity, …) once
//     per cache: they do not change;
//   - list figures (partial, objects_partial, cpu_slabs) at every read, only those `listFiles`
//     names (the shown columns need);
//   - SLUB_STATS counter files (alloc_fastpath, …; only on kernels built with CONFIG_SLUB_STATS)
//     only for the one cache named by `detail` (the detail view's), with all its list figures. Which counters exist is
//     read from the cache's directory once: Linux 7.0 renamed and dropped several (its per-CPU
//     slabs became sheaves and a barn), so the names are taken as the kernel offers them.
//
// Caches whose directory is missing or unreadable are left out, so the caller shows "unknown"
// for them. `filesRead` counts the files the last read() opened (for `npm run bench`).

import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {STAT_NAMES} from '../engine/stats.js';
import {SYSFS_FLAG_FILES, type SysfsFigures, type SysfsValue} from './source.js';

export const SYSFS_SLAB_ROOT = '/sys/kernel/slab';
export const OSRELEASE_FILE = '/proc/sys/kernel/osrelease';

/** Attributes fixed when the cache is created. */
export const LAYOUT_FILES = [
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
	...SYSFS_FLAG_FILES,
] as const;

/**
 * Figures that change: read at every refresh that needs them. (`slabs`, `objects` and
 * `total_objects` are left out: they repeat /proc/slabinfo's num_slabs, active_objs and num_objs.)
 */
export const LIST_FILES = ['partial', 'objects_partial', 'cpu_slabs'] as const;

const STAT_FILES = new Set(STAT_NAMES);

/** The total from the text of a sysfs counter file ("<total> N0=<n> …" or "<total> C0=<n> …"), or null. */
export function parsePartialFile(text: string): number | null {
	const first = text.trim().split(/\s+/)[0] ?? '';
	return /^\d+$/.test(first) ? Number(first) : null;
}

function isCacheName(name: string): boolean {
	// A cache name never contains a slash; one that does cannot name a sysfs directory.
	return name !== '' && !name.includes('/') && name !== '.' && name !== '..';
}

/** One attribute: a number when the file starts with one, else its text (ctor: `name+0x0/0x20`). */
function attribute(text: string): SysfsValue {
	const total = parsePartialFile(text);
	return total ?? text.trim();
}

export type SysfsRequest = {
	/** The list figures to read for every cache named (default all of LIST_FILES). */
	listFiles?: readonly string[];
	/** The cache of the detail view, if any: all its list figures and its SLUB_STATS counters are read. */
	detail?: string | null;
};

export type SysfsReader = {
	read(names: readonly string[], request?: SysfsRequest): Map<string, SysfsFigures>;
	/** Files opened by the last read() (directory listings included). */
	readonly filesRead: number;
	/** Whether the kernel has SLUB_STATS files: null until a stats read has looked. */
	readonly hasStats: boolean | null;
};

/** A reader that keeps each cache's layout after the first read. */
export function createSysfsReader(root: string = SYSFS_SLAB_ROOT): SysfsReader {
	const layouts = new Map<string, Readonly<Record<string, SysfsValue>>>();
	const statFiles = new Map<string, readonly string[]>();
	let filesRead = 0;
	let hasStats: boolean | null = null;

	function readText(path: string): string | null {
		filesRead++;
		try {
			return readFileSync(path, 'utf8');
		} catch {
			return null;
		}
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

	/** The SLUB_STATS files of a cache directory, listed once. */
	function statFilesOf(name: string, dir: string): readonly string[] {
		let files = statFiles.get(name);
		if (files === undefined) {
			filesRead++;
			try {
				files = readdirSync(dir).filter(file => STAT_FILES.has(file));
			} catch {
				files = [];
			}

			statFiles.set(name, files);
		}

		return files;
	}

	function read(names: readonly string[], request: SysfsRequest = {}): Map<string, SysfsFigures> {
		filesRead = 0;
		const listFiles = request.listFiles ?? LIST_FILES;
		const out = new Map<string, SysfsFigures>();
		// No /sys/kernel/slab (a container, a kernel without SLUB sysfs): one check, not a failed open per file.
		if (!existsSync(root)) return out;
		for (const name of names) {
			if (!isCacheName(name)) continue;
			const dir = join(root, name);
			let layout = layouts.get(name);
			if (layout === undefined) {
				const figures: Record<string, SysfsValue> = {};
				readFiles(dir, LAYOUT_FILES, figures);
				layout = figures;
				layouts.set(name, layout);
			}

			const figures: Record<string, SysfsValue> = {...layout};
			const isDetail = request.detail === name;
			const isListRead = readFiles(dir, isDetail ? LIST_FILES : listFiles, figures);
			if (isDetail && Object.keys(layout).length > 0) {
				const files = statFilesOf(name, dir);
				hasStats = files.length > 0;
				readFiles(dir, files, figures);
			}

			if (isListRead || Object.keys(layout).length > 0) out.set(name, figures);
		}

		return out;
	}

	return {
		read,
		get filesRead() {
			return filesRead;
		},
		get hasStats() {
			return hasStats;
		},
	};
}

/** The running kernel's release (`uname -r`), or null when it cannot be read. */
export function readKernelRelease(file: string = OSRELEASE_FILE): string | null {
	try {
		return readFileSync(file, 'utf8').trim();
	} catch {
		return null;
	}
}
