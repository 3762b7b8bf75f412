// The optional columns of the cache table, beyond slabtop's eight: what each shows, where its
// figure comes from and how it is written. Pure data and functions; the UI lays them out, the
// column picker lists them, the config file names them by `id`.
//
//   PARTIAL    node partial slabs                          sysfs `partial` (or the simulator)
//   CPU SLABS  slabs held by CPUs (active + cpu partial)   sysfs `cpu_slabs` (0 on Linux 7.0: sheaves)
//   ORDER      page order of a slab                        sysfs `order`
//   WASTE      slab bytes − object bytes, KiB: tools/mm/slabinfo's "Loss",
//              num_slabs × pages/slab × page size − active_objs × object_size (sysfs object_size)
//   RCL        reclaimable (SLAB_RECLAIM_ACCOUNT)          sysfs `reclaim_account`
//   ALIASES    caches merged into this one                 sysfs `aliases`
//   OBJS/s, SLABS/s, KB/s   change per second (report/rates.ts), every source
//   ALLOC/s, FREE/s         allocations / frees per second: the simulator's counters
//   FAIL                    allocation failures (ENOMEM) so far: the simulator

import type {CacheRow, SysfsFigures, SysfsValue} from '../sources/source.js';
import {formatRate, type CacheRates} from './rates.js';
import {cacheSizeBytes} from './row-figures.js';

export const COLUMN_IDS = [
	'partial',
	'cpu_slabs',
	'order',
	'waste',
	'rcl',
	'aliases',
	'objs_rate',
	'slabs_rate',
	'kib_rate',
	'alloc_rate',
	'free_rate',
	'fail',
] as const;

export type ColumnId = (typeof COLUMN_IDS)[number];

/** Where a column's figure comes from: sysfs figures, rates of successive samples, or the simulator's counters. */
export type ColumnNeed = 'sysfs' | 'rates' | 'counters';

export type OptionalColumn = {
	id: ColumnId;
	header: string;
	width: number;
	need: ColumnNeed;
	/** sysfs files it reads at every refresh (the others are read once per cache). */
	listFiles: readonly string[];
	description: string;
};

export const OPTIONAL_COLUMNS: readonly OptionalColumn[] = [
	{
		id: 'partial',
		header: 'PARTIAL',
		width: 7,
		need: 'sysfs',
		listFiles: ['partial'],
		description: 'slabs on the node partial lists',
	},
	{
		id: 'cpu_slabs',
		header: 'CPU SLABS',
		width: 9,
		need: 'sysfs',
		listFiles: ['cpu_slabs'],
		description: 'slabs held by CPUs (0 on Linux 7.0, which uses sheaves)',
	},
	{id: 'order', header: 'ORDER', width: 5, need: 'sysfs', listFiles: [], description: 'page order of one slab'},
	{
		id: 'waste',
		header: 'WASTE',
		width: 9,
		need: 'sysfs',
		listFiles: [],
		description: 'slab memory not holding objects (tools/mm/slabinfo "Loss")',
	},
	{id: 'rcl', header: 'RCL', width: 3, need: 'sysfs', listFiles: [], description: 'reclaimable (SLAB_RECLAIM_ACCOUNT)'},
	{
		id: 'aliases',
		header: 'ALIASES',
		width: 7,
		need: 'sysfs',
		listFiles: [],
		description: 'caches merged into this one',
	},
	{
		id: 'objs_rate',
		header: 'OBJS/s',
		width: 8,
		need: 'rates',
		listFiles: [],
		description: 'change of active objects per second',
	},
	{
		id: 'slabs_rate',
		header: 'SLABS/s',
		width: 8,
		need: 'rates',
		listFiles: [],
		description: 'change of slabs per second',
	},
	{
		id: 'kib_rate',
		header: 'KB/s',
		width: 8,
		need: 'rates',
		listFiles: [],
		description: 'change of cache size per second (KiB)',
	},
	{
		id: 'alloc_rate',
		header: 'ALLOC/s',
		width: 8,
		need: 'counters',
		listFiles: [],
		description: 'allocations per second (simulator)',
	},
	{
		id: 'free_rate',
		header: 'FREE/s',
		width: 8,
		need: 'counters',
		listFiles: [],
		description: 'frees per second (simulator)',
	},
	{
		id: 'fail',
		header: 'FAIL',
		width: 6,
		need: 'counters',
		listFiles: [],
		description: 'allocation failures so far (simulator)',
	},
];

/** The columns shown when the settings file names none: the simulator's counters, else the rates. */
export const DEFAULT_COLUMNS: readonly ColumnId[] = ['partial', 'alloc_rate', 'free_rate'];
export const DEFAULT_KERNEL_COLUMNS: readonly ColumnId[] = ['partial', 'objs_rate', 'kib_rate'];

/** The default columns for a source: allocation counters exist only in the simulator. */
export function defaultColumnsFor(isSim: boolean): readonly ColumnId[] {
	return isSim ? DEFAULT_COLUMNS : DEFAULT_KERNEL_COLUMNS;
}

export function isColumnId(value: string): value is ColumnId {
	return (COLUMN_IDS as readonly string[]).includes(value);
}

export function columnById(id: ColumnId): OptionalColumn {
	const column = OPTIONAL_COLUMNS.find(candidate => candidate.id === id);
	if (column === undefined) throw new Error(`no column ${id}`);
	return column;
}

function sysfsNumber(sysfs: SysfsFigures | undefined, key: string): number | null {
	const value: SysfsValue | undefined = sysfs?.[key];
	if (typeof value === 'number') return value;
	// The simulator lists aliases by name; the kernel's file is their count.
	if (key === 'aliases' && Array.isArray(value)) return value.length;
	return null;
}

/**
 * Slab bytes minus object bytes, as tools/mm/slabinfo's slab_waste(): the memory of every slab
 * less active objects × object_size (the size the cache was created with, not the slot size).
 */
export function wasteBytes(row: CacheRow, pageSize?: number): number | null {
	const objectSize = sysfsNumber(row.sysfs, 'object_size');
	if (objectSize === null) return null;
	return cacheSizeBytes(row, pageSize) - row.activeObjs * objectSize;
}

/** Per-second allocation and free rates (the simulator's counters). */
export type CounterRates = {allocPerSec: number | null; freePerSec: number | null};

export type ColumnInputs = {row: CacheRow; rates: CacheRates | null; counters: CounterRates | null};

/** A column's figure for a row, or null when the source does not know it (shown blank). */
export function columnValue(id: ColumnId, {row, rates, counters}: ColumnInputs): number | null {
	switch (id) {
		case 'partial':
			return row.partial ?? sysfsNumber(row.sysfs, 'partial');
		case 'cpu_slabs':
			return sysfsNumber(row.sysfs, 'cpu_slabs');
		case 'order':
			return sysfsNumber(row.sysfs, 'order');
		case 'waste':
			return wasteBytes(row);
		case 'rcl':
			return sysfsNumber(row.sysfs, 'reclaim_account');
		case 'aliases':
			return sysfsNumber(row.sysfs, 'aliases');
		case 'objs_rate':
			return rates?.activeObjsPerSec ?? null;
		case 'slabs_rate':
			return rates?.numSlabsPerSec ?? null;
		case 'kib_rate':
			return rates?.kibPerSec ?? null;
		case 'alloc_rate':
			return counters?.allocPerSec ?? null;
		case 'free_rate':
			return counters?.freePerSec ?? null;
		case 'fail':
			return row.allocFail ?? null;
	}
}

/** A count per second in at most 5 characters: 123, 45k, 6M. */
export function countRateText(rate: number): string {
	if (!Number.isFinite(rate)) return '';
	const value = Math.max(0, rate);
	if (value < 10_000) return String(Math.round(value));
	if (value < 10_000_000) return `${Math.round(value / 1000)}k`;
	return `${Math.round(value / 1_000_000)}M`;
}

/** A column's cell text. */
export function columnText(id: ColumnId, value: number | null): string {
	if (value === null) return '';
	switch (id) {
		case 'waste':
			return `${Math.round(value / 1024)}K`;
		case 'rcl':
			return value === 0 ? '-' : 'yes';
		case 'objs_rate':
		case 'slabs_rate':
		case 'kib_rate':
			return formatRate(value);
		case 'alloc_rate':
		case 'free_rate':
			return countRateText(value);
		default:
			return String(value);
	}
}

/** The sysfs list files the shown columns read at every refresh. */
export function listFilesFor(columns: readonly ColumnId[]): string[] {
	return [...new Set(columns.flatMap(id => columnById(id).listFiles))];
}
