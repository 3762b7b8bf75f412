// How many files under /sys/kernel/slab one refresh of the kernel source reads: `benchSysfsFiles()`
// counts them (the reader's own count) for the screen's usual requests, on the running kernel
// when /proc/slabinfo and /sys/kernel/slab are readable (root), else on the committed 6.18
// fixture tree. The layout files of a cache are read once, at its first refresh on screen; the
// list files the shown columns need (partial, cpu_slabs) at every refresh, for the rows on screen.

import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {DEFAULT_KERNEL_COLUMNS, listFilesFor, OPTIONAL_COLUMNS} from '../source/report/columns.js';
import {ALL_SYSFS, createKernelSource, type KernelSysfsRequest} from '../source/sources/kernel-source.js';
import {readSlabinfo} from '../source/sources/slabinfo-read.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const TREE = path.resolve(here, '..', 'test', 'fixtures', 'sysfs', 'trees', '6.18');
/** Table rows on a 40-line terminal. */
const PAGE_ROWS = 30;

export type SysfsBench = Record<string, string | number>;

export function benchSysfsFiles(): SysfsBench {
	const isLive = readSlabinfo('/proc/slabinfo').ok && existsSync('/sys/kernel/slab');
	const options = isLive
		? {}
		: {
				slabinfoFile: path.join(TREE, 'slabinfo'),
				sysfsRoot: path.join(TREE, 'slab'),
				osreleaseFile: path.join(TREE, 'osrelease'),
			};
	const count = (requests: readonly KernelSysfsRequest[]): number[] => {
		const source = createKernelSource(options);
		return requests.map(request => {
			source.setSysfsRequest(request);
			const result = source.sample();
			return result.ok ? (result.value.kernel?.sysfsFilesRead ?? 0) : -1;
		});
	};

	const probe = createKernelSource({...options, sysfs: false}).sample();
	const names = probe.ok ? probe.value.rows.map(row => row.name) : [];
	const page = names.slice(0, PAGE_ROWS);
	const allColumns = OPTIONAL_COLUMNS.map(column => column.id);
	const screen = {names: page, listFiles: listFilesFor(DEFAULT_KERNEL_COLUMNS), detail: null};
	const [screenFirst, screenNext] = count([screen, screen]);
	const every = {...screen, listFiles: listFilesFor(allColumns)};
	const [, everyNext] = count([every, every]);
	const detail = {...screen, detail: page[0] ?? null};
	const [, detailNext] = count([screen, detail]);
	const [jsonFirst, jsonNext] = count([ALL_SYSFS, ALL_SYSFS]);
	return {
		name: 'kernel-sysfs-files-per-refresh',
		source: isLive ? 'running kernel' : 'test/fixtures/sysfs/trees/6.18',
		caches: names.length,
		rows_on_screen: page.length,
		default_columns_first_refresh: screenFirst,
		default_columns_each_refresh: screenNext,
		all_columns_each_refresh: everyNext,
		detail_view_open_each_refresh: detailNext,
		json_or_record_first: jsonFirst,
		json_or_record_each: jsonNext,
	};
}
