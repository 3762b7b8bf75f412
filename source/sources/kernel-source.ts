// SlabSource over the running kernel: `createKernelSource()` for `--source kernel`. Each
// sample() re-reads /proc/slabinfo and adds, where /sys/kernel/slab/<cache>/ is readable, the
// node partial-slab count and the cache's sysfs figures (layout and list counts).

import {createSlabinfoSource} from './file-source.js';
import {PROC_SLABINFO} from './slabinfo-read.js';
import type {CacheRow, SlabSource} from './source.js';
import {createSysfsReader, SYSFS_SLAB_ROOT} from './sysfs-read.js';
import type {SysfsFigures} from './source.js';

export type KernelSourceOptions = {
	slabinfoFile?: string;
	sysfsRoot?: string;
	now?: () => number;
};

/** Rows with their sysfs figures, and `partial` taken from them where known. */
export function addSysfsFigures(rows: CacheRow[], figures: ReadonlyMap<string, SysfsFigures>): CacheRow[] {
	return rows.map(row => {
		const sysfs = figures.get(row.name);
		if (sysfs === undefined) return row;
		const partial = sysfs.partial;
		return {...row, partial: typeof partial === 'number' ? partial : row.partial, sysfs};
	});
}

export function createKernelSource(options: KernelSourceOptions = {}): SlabSource {
	const readSysfs = createSysfsReader(options.sysfsRoot ?? SYSFS_SLAB_ROOT);
	return createSlabinfoSource({
		kind: 'kernel',
		file: options.slabinfoFile ?? PROC_SLABINFO,
		label: PROC_SLABINFO,
		enrich: rows => addSysfsFigures(rows, readSysfs(rows.map(row => row.name))),
		now: options.now,
	});
}
