// SlabSource over the running kernel: `createKernelSource()` for `--source kernel`. Each
// sample() re-reads /proc/slabinfo and adds the node partial-slab counts from
// /sys/kernel/slab/<cache>/partial where those are readable.

import {createSlabinfoSource} from './file-source.js';
import {PROC_SLABINFO} from './slabinfo-read.js';
import type {CacheRow, SlabSource} from './source.js';
import {readPartialCounts, SYSFS_SLAB_ROOT} from './sysfs-read.js';

export type KernelSourceOptions = {
	slabinfoFile?: string;
	sysfsRoot?: string;
	now?: () => number;
};

export function addPartialCounts(rows: CacheRow[], counts: ReadonlyMap<string, number>): CacheRow[] {
	return rows.map(row => ({...row, partial: counts.get(row.name) ?? row.partial}));
}

export function createKernelSource(options: KernelSourceOptions = {}): SlabSource {
	const sysfsRoot = options.sysfsRoot ?? SYSFS_SLAB_ROOT;
	return createSlabinfoSource({
		kind: 'kernel',
		file: options.slabinfoFile ?? PROC_SLABINFO,
		label: PROC_SLABINFO,
		enrich: rows => addPartialCounts(rows, readPartialCounts(rows.map(row => row.name), sysfsRoot)),
		now: options.now,
	});
}
