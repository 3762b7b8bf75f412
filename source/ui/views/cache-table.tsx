// The cache table: slabtop's columns (OBJS ACTIVE USE OBJ SIZE SLABS OBJ/SLAB CACHE SIZE NAME)
// formatted as slabtop prints them, then the optional columns chosen with the column picker
// (report/columns.ts: PARTIAL, CPU SLABS, ORDER, WASTE, RCL, ALIASES, rates), then a sparkline
// of active objects over the last minute. The sort column's header is marked; estimated figures
// (a Prometheus source with node_exporter's series only) are marked `~`.

import {Text} from 'ink';
import {formatFixed} from '../../report/printf.js';
import {cacheSizeBytes, utilisationPercent} from '../../report/row-figures.js';
import type {SortKey} from '../../report/sort.js';
import type {CacheRow} from '../../sources/source.js';
import {columnById, columnText, columnValue, DEFAULT_COLUMNS, type ColumnId} from '../../report/columns.js';
import {rowRates, type CacheRates, type RateBase} from '../../report/rates.js';
import {printable, resample, sparkline, type TimedValue} from '../format.js';
import type {Rates} from '../sample-store.js';
import {fitColumns, Table, type Column} from './table.js';

export type TableRow = {
	row: CacheRow;
	/** Allocations and frees per second (the simulator's counters). */
	rates: Rates | null;
	/** Change per second against the rate basis (report/rates.ts), or null. */
	changes?: CacheRates | null;
	/** Active objects over the last minute, one value per sparkline cell. */
	trend: ReadonlyArray<number | null>;
};

/** Sparkline cells at the narrowest; it grows with the terminal up to SPARK_MAX. */
const SPARK_MIN = 8;
const SPARK_MAX = 30;

/** `~` before a figure the source estimated (slabs and cache size from node_exporter's series). */
function estimateMark(row: CacheRow): string {
	return row.estimated?.includes('numSlabs') === true ? '~' : '';
}

const SLABTOP_COLUMNS: ReadonlyArray<Column<TableRow>> = [
	{key: 'objs', header: 'OBJS', width: 6, align: 'right', format: ({row}) => String(row.numObjs)},
	{key: 'active', header: 'ACTIVE', width: 6, align: 'right', format: ({row}) => String(row.activeObjs)},
	{key: 'use', header: 'USE', width: 4, align: 'right', format: ({row}) => `${utilisationPercent(row)}%`},
	{
		key: 'objSize',
		header: 'OBJ SIZE',
		width: 8,
		align: 'right',
		format: ({row}) => `${formatFixed(row.objSize / 1024, 2)}K`,
	},
	{key: 'slabs', header: 'SLABS', width: 6, align: 'right', format: ({row}) => `${estimateMark(row)}${row.numSlabs}`},
	{key: 'objsPerSlab', header: 'OBJ/SLAB', width: 8, align: 'right', format: ({row}) => String(row.objsPerSlab)},
	{
		key: 'cacheSize',
		header: 'CACHE SIZE',
		width: 10,
		align: 'right',
		format: ({row}) => `${estimateMark(row)}${Math.floor(cacheSizeBytes(row) / 1024)}K`,
	},
	{key: 'name', header: 'NAME', width: 23, align: 'left', format: ({row}) => printable(row.name)},
];

const TREND_COLUMN: Column<TableRow> = {
	key: 'trend',
	header: 'ACTIVE, 1 MIN',
	width: SPARK_MIN,
	align: 'left',
	priority: 1,
	grow: true,
	maxWidth: SPARK_MAX,
	isUnicode: true,
	format: ({trend}) => sparkline(trend),
};

/** One optional column (report/columns.ts) as a table column; earlier ones are dropped last. */
function optionalColumn(id: ColumnId, index: number): Column<TableRow> {
	const column = columnById(id);
	return {
		key: id,
		header: column.header,
		width: column.width,
		align: 'right',
		priority: 100 - index,
		format: ({row, rates, changes = null}) => columnText(id, columnValue(id, {row, rates: changes, counters: rates})),
	};
}

/** The column each sort key orders by (`p`, pages per slab, has none: slabtop does not show it). */
export const SORT_COLUMN: Record<SortKey, string | null> = {
	a: 'active',
	b: 'objsPerSlab',
	c: 'cacheSize',
	l: 'slabs',
	v: 'slabs',
	n: 'name',
	o: 'objs',
	p: null,
	s: 'objSize',
	u: 'use',
};

/** The table's columns for a terminal `width` wide: slabtop's, the chosen ones, the sparkline. */
export function cacheColumns(width: number, columns: readonly ColumnId[] = DEFAULT_COLUMNS): Array<Column<TableRow>> {
	return fitColumns(
		[...SLABTOP_COLUMNS, ...columns.map((id, index) => optionalColumn(id, index)), TREND_COLUMN],
		width,
	);
}

/** Sparkline cells in a table of these columns (0 when the sparkline does not fit). */
export function trendCells(columns: ReadonlyArray<Column<TableRow>>): number {
	return columns.find(column => column.key === 'trend')?.width ?? 0;
}

/** Rows for the table: each cache with its rates and its resampled history. */
export function tableRows(
	rows: readonly CacheRow[],
	rates: ReadonlyMap<string, Rates>,
	history: ReadonlyMap<string, readonly TimedValue[]>,
	nowMs: number,
	windowMs: number,
	cells: number,
	base: RateBase | null = null,
): TableRow[] {
	return rows.map(row => ({
		row,
		rates: rates.get(row.name) ?? null,
		changes: rowRates(row, nowMs, base),
		trend: cells === 0 ? [] : resample(history.get(row.name) ?? [], nowMs, windowMs, cells),
	}));
}

const rowName = (tableRow: TableRow): string => tableRow.row.name;

export type CacheTableProps = {
	/** The rows that fit on the screen (the window), top to bottom. */
	rows: readonly TableRow[];
	/** cacheColumns(width) for the terminal's width. */
	columns: ReadonlyArray<Column<TableRow>>;
	sortKey: SortKey;
	/** An optional column the table is sorted by instead, if any. */
	sortColumn?: ColumnId | null;
	selectedName: string | null;
	filter: string;
};

export function CacheTable({rows, columns, sortKey, sortColumn = null, selectedName, filter}: CacheTableProps) {
	if (rows.length === 0) {
		return (
			<Text dimColor>
				{filter === '' ? 'No caches.' : `No cache name contains '${printable(filter)}'. Esc clears the filter.`}
			</Text>
		);
	}

	return (
		<Table
			columns={columns}
			rows={rows}
			rowKey={rowName}
			selectedKey={selectedName}
			markedKey={sortColumn ?? SORT_COLUMN[sortKey]}
		/>
	);
}
