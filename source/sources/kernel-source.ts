// SlabSource over the running kernel: `createKernelSource()` for `--source kernel`. Each
// sample() re-reads /proc/slabinfo and, with the `sysfs` option (the default), adds where
// /sys/kernel/slab/<cache>/ is readable the node partial-slab count and the cache's sysfs
// figures (layout and list counts). The --once text report uses none of those and turns it off:
// it would open some twenty files per cache.

import {failWith} from '../result.js';
import {createSlabinfoSource} from './file-source.js';
import {PROC_SLABINFO} from './slabinfo-read.js';
import type {CacheRow, SampleResult, SlabSource, SourceError, SysfsFigures} from './source.js';
import {createSysfsReader, SYSFS_SLAB_ROOT} from './sysfs-read.js';

export type KernelSourceOptions = {
	slabinfoFile?: string;
	sysfsRoot?: string;
	/** Read /sys/kernel/slab for partial counts and sysfs figures (default true). */
	sysfs?: boolean;
	now?: () => number;
};

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

export function createKernelSource(options: KernelSourceOptions = {}): SlabSource {
	const readSysfs = options.sysfs === false ? null : createSysfsReader(options.sysfsRoot ?? SYSFS_SLAB_ROOT);
	const source = createSlabinfoSource({
		kind: 'kernel',
		file: options.slabinfoFile ?? PROC_SLABINFO,
		label: PROC_SLABINFO,
		enrich: readSysfs === null ? undefined : rows => addSysfsFigures(rows, readSysfs(rows.map(row => row.name))),
		now: options.now,
	});
	return {
		...source,
		sample(): SampleResult {
			const result = source.sample();
			return result.ok ? result : failWith(kernelReadError(result.error));
		},
	};
}
