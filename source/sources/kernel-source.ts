// SlabSource over the running kernel: `createKernelSource()` for `--source kernel`. Each
// sample() re-reads /proc/slabinfo and, with the `sysfs` option (the default), adds where
// /sys/kernel/slab/<cache>/ is readable the node partial-slab count and the cache's sysfs
// figures (layout, list counts, SLUB_STATS), for the caches and figures setSysfsRequest() asks
// for. The --once text report uses none of those and turns sysfs off: it would open some twenty
// files per cache. Each sample says what it learnt of the kernel (release, sheaves, stats).

import {failWith, ok} from '../result.js';
import {readBuddyinfo} from './buddyinfo-read.js';
import {createSlabinfoSource} from './file-source.js';
import {PROC_SLABINFO} from './slabinfo-read.js';
import type {CacheRow, KernelInfo, SampleResult, SlabSource, SourceError, SysfsFigures} from './source.js';
import {createSysfsReader, LIST_FILES, readKernelRelease, SYSFS_SLAB_ROOT} from './sysfs-read.js';

export type KernelSourceOptions = {
	slabinfoFile?: string;
	sysfsRoot?: string;
	/** The file giving the kernel release (default /proc/sys/kernel/osrelease). */
	osreleaseFile?: string;
	/** Default /proc/buddyinfo. */
	buddyinfoFile?: string;
	/** Read /sys/kernel/slab at all (default true). */
	sysfs?: boolean;
	now?: () => number;
};

/**
 * What the next samples read from /sys/kernel/slab: the screen asks for the visible rows only,
 * list figures only when a shown column or the detail view needs them, and SLUB_STATS for the
 * cache whose detail view is open. The default (for --json and --record) is every cache's
 * layout and list figures.
 */
export type KernelSysfsRequest = {
	names: readonly string[] | 'all';
	/** The list figures (sysfs-read.ts LIST_FILES) to read for those caches. */
	listFiles: readonly string[];
	/** The detail view's cache: every figure, SLUB_STATS included. */
	detail: string | null;
	/** Read /proc/buddyinfo too (the memory view). */
	buddyinfo?: boolean;
};

export const ALL_SYSFS: KernelSysfsRequest = {names: 'all', listFiles: LIST_FILES, detail: null};

export type KernelSource = SlabSource & {
	readonly kind: 'kernel';
	setSysfsRequest(request: KernelSysfsRequest): void;
};

export function isKernelSource(source: SlabSource): source is KernelSource {
	return source.kind === 'kernel' && 'setSysfsRequest' in source;
}

/** Linux 7.0 replaced per-CPU slabs with sheaves: true for a release of 7 or later. */
export function releaseHasSheaves(release: string | null): boolean {
	const major = /^(\d+)\./.exec(release ?? '');
	return major !== null && Number(major[1]) >= 7;
}

/** Rows with their sysfs figures, and `partial` taken from them where known. */
function addSysfsFigures(rows: CacheRow[], figures: ReadonlyMap<string, SysfsFigures>): CacheRow[] {
	return rows.map(row => {
		const sysfs = figures.get(row.name);
		if (sysfs === undefined) return row;
		const partial = sysfs.partial;
		return {...row, partial: typeof partial === 'number' ? partial : row.partial, sysfs};
	});
}

/**
 * A failed read of the kernel's slabinfo, with what it means: the file is mode 0400
 * (mm/slab_common.c SLABINFO_RIGHTS), and a kernel without it keeps no slab statistics.
 */
export function kernelReadError(error: SourceError): SourceError {
	if (error.kind === 'permission-denied') {
		return {...error, message: `${error.message}: only root can read it (run as root, e.g. with sudo)`};
	}

	if (error.kind === 'not-found') {
		return {...error, message: `${error.message}: this kernel does not provide slab statistics`};
	}

	return error;
}

export function createKernelSource(options: KernelSourceOptions = {}): KernelSource {
	const reader = options.sysfs === false ? null : createSysfsReader(options.sysfsRoot ?? SYSFS_SLAB_ROOT);
	const release = readKernelRelease(options.osreleaseFile);
	let request = ALL_SYSFS;
	const enrich = (rows: CacheRow[]): CacheRow[] => {
		if (reader === null) return rows;
		let names = request.names === 'all' ? rows.map(row => row.name) : request.names;
		if (request.detail !== null && !names.includes(request.detail)) names = [...names, request.detail];
		return addSysfsFigures(rows, reader.read(names, {listFiles: request.listFiles, detail: request.detail}));
	};

	const source = createSlabinfoSource({
		kind: 'kernel',
		file: options.slabinfoFile ?? PROC_SLABINFO,
		label: PROC_SLABINFO,
		enrich,
		now: options.now,
	});
	return {
		kind: 'kernel',
		label: source.label,
		setSysfsRequest(next: KernelSysfsRequest): void {
			request = next;
		},
		sample(): SampleResult {
			const result = source.sample();
			if (!result.ok) return failWith(kernelReadError(result.error));
			const buddy = request.buddyinfo === true ? readBuddyinfo(options.buddyinfoFile) : null;
			const kernel: KernelInfo = {
				release,
				hasSheaves: releaseHasSheaves(release),
				hasSlubStats: reader?.hasStats ?? null,
				sysfsFilesRead: reader?.filesRead ?? 0,
				buddyinfo: buddy?.ok === true ? buddy.value : null,
				buddyinfoError: buddy?.ok === false ? buddy.error.message : null,
			};
			return ok({...result.value, kernel});
		},
	};
}
