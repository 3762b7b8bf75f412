// The detail of one cache of a real kernel, from /sys/kernel/slab/<cache>/ as the kernel source
// read it: `kernelDetailSections(name, sysfs, kernel)` gives the page as data (lines and small
// tables) for the detail view. It knows the two shapes of SLUB:
//
//   - up to Linux 6.x: per-CPU slabs and per-CPU partial lists (cpu_slabs, cpu_partial) beside
//     the node partial lists;
//   - Linux 7.0 and later: cpu_slabs and cpu_partial read 0; each CPU allocates from a sheaf of
//     up to sheaf_capacity objects and exchanges full and empty sheaves with its node's barn.
//     The figures shown are the sheaf capacity and, with SLUB_STATS, the sheaf and barn counters.
//
// The SLUB_STATS counters (CONFIG_SLUB_STATS) are listed where the files exist; a kernel without
// them gets one line saying so.

import {STAT_NAMES} from '../engine/stats.js';
import {SYSFS_FLAG_FILES, type CacheRow, type KernelInfo, type SysfsFigures} from '../sources/source.js';
import {wasteBytes} from './columns.js';
import {formatFixed} from './printf.js';
import {cacheSizeBytes} from './row-figures.js';

export type DetailSection =
	{kind: 'lines'; lines: string[]} | {kind: 'table'; rows: Array<Record<string, string | number>>};

const LAYOUT: ReadonlyArray<[string, string]> = [
	['object_size', 'object size'],
	['slab_size', 'slot size'],
	['align', 'align'],
	['order', 'order'],
	['objs_per_slab', 'objs/slab'],
	['min_partial', 'min partial'],
];

/** Counters of the sheaves and the barn (Linux 6.18 has them for caches that opt in; 7.0 for all). */
export function isSheafCounter(name: string): boolean {
	return (
		name.startsWith('sheaf_') || name.startsWith('barn_') || name.endsWith('_cpu_sheaf') || name.includes('rcu_sheaf')
	);
}

function num(sysfs: SysfsFigures, key: string): number | null {
	const value = sysfs[key];
	return typeof value === 'number' ? value : null;
}

function text(value: number | null): string {
	return value === null ? '?' : String(value);
}

function countersTable(sysfs: SysfsFigures, names: readonly string[]): DetailSection | null {
	const rows = names
		.filter(name => num(sysfs, name) !== null)
		.map(name => ({counter: name, total: num(sysfs, name) ?? 0}));
	const nonZero = rows.filter(row => row.total !== 0);
	if (rows.length === 0) return null;
	if (nonZero.length === 0) return {kind: 'lines', lines: ['  every counter is 0']};
	return {kind: 'table', rows: nonZero};
}

/** The page for one cache; `sysfs` as the kernel source read it (with the detail request). */
export function kernelDetailSections(
	row: CacheRow,
	sysfs: SysfsFigures,
	kernel: KernelInfo | undefined,
): DetailSection[] {
	const name = row.name;
	const hasSheaves = kernel?.hasSheaves === true;
	const release = kernel?.release ?? null;
	const sections: DetailSection[] = [
		{kind: 'lines', lines: ['', `/sys/kernel/slab/${name}${release === null ? '' : `  (Linux ${release})`}`]},
	];

	const layout: Record<string, string | number> = {};
	for (const [key, label] of LAYOUT) if (sysfs[key] !== undefined) layout[label] = String(sysfs[key]);
	if (hasSheaves) layout['sheaf capacity'] = text(num(sysfs, 'sheaf_capacity'));
	else layout['cpu partial'] = text(num(sysfs, 'cpu_partial'));
	sections.push({kind: 'table', rows: [layout]});

	const flags = SYSFS_FLAG_FILES.filter(key => sysfs[key] === 1);
	const ctor = typeof sysfs.ctor === 'string' && sysfs.ctor !== '' ? sysfs.ctor : 'none';
	const lines = [
		`flags: ${flags.length > 0 ? flags.join(' ') : 'none'}   ctor: ${ctor}   aliases: ${String(sysfs.aliases ?? 0)}`,
	];
	const waste = wasteBytes({...row, sysfs});
	if (waste !== null) {
		const slabBytes = cacheSizeBytes(row);
		lines.push(
			`waste: ${formatFixed(waste / 1024, 0)}K of ${formatFixed(slabBytes / 1024, 0)}K in slabs (efficiency ${efficiencyText(slabBytes - waste, slabBytes)}, as tools/mm/slabinfo)`,
		);
	}

	sections.push({kind: 'lines', lines});

	const partial = num(sysfs, 'partial');
	const objectsPartial = num(sysfs, 'objects_partial');
	const lists = [`  node partial: ${text(partial)} slabs, ${text(objectsPartial)} objects in use`];
	if (hasSheaves) {
		const capacity = num(sysfs, 'sheaf_capacity');
		lists.push(
			`  per-CPU sheaves of up to ${text(capacity)} objects, exchanged with the node's barn`,
			'  (Linux 7.0 has no per-CPU slabs: cpu_slabs and cpu_partial read 0)',
		);
	} else {
		lists.push(`  cpu slabs: ${text(num(sysfs, 'cpu_slabs'))} (active and cpu partial, over all CPUs)`);
		const capacity = num(sysfs, 'sheaf_capacity');
		if (capacity !== null && capacity > 0)
			lists.push(`  sheaves of up to ${capacity} objects in front of the cpu slabs`);
	}

	sections.push({kind: 'lines', lines: ['Slabs by state', ...lists]});

	const stats = STAT_NAMES.filter(stat => num(sysfs, stat) !== null);
	if (kernel?.hasSlubStats === false || stats.length === 0) {
		sections.push({
			kind: 'lines',
			lines: ['', 'SLUB_STATS: this kernel has no counter files (it is built without CONFIG_SLUB_STATS)'],
		});
		return sections;
	}

	const sheafCounters = stats.filter(stat => isSheafCounter(stat));
	const others = stats.filter(stat => !isSheafCounter(stat));
	sections.push({kind: 'lines', lines: ['', 'SLUB_STATS (non-zero counters)']});
	const main = countersTable(sysfs, others);
	if (main !== null) sections.push(main);
	if (hasSheaves || sheafCounters.some(stat => num(sysfs, stat) !== 0)) {
		sections.push({kind: 'lines', lines: ['Sheaves and barn']});
		const sheaves = countersTable(sysfs, sheafCounters);
		if (sheaves !== null) sections.push(sheaves);
	}

	return sections;
}

/** tools/mm/slabinfo's efficiency: object bytes as a percentage of slab bytes. */
export function efficiencyText(objectBytes: number, slabBytes: number): string {
	return slabBytes === 0 ? '-' : `${formatFixed((100 * objectBytes) / slabBytes, 0)}%`;
}
