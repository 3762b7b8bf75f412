// The --once report: `formatOnce(sample, key)` is the text procps-ng 4.0.2 `slabtop -o -s KEY`
// prints for the same slabinfo rows, byte for byte (src/slabtop.c print_summary,
// print_headings, print_details). `headerLines(totals, options)` gives the five summary lines,
// for the screen's header too.
//
// procps keeps every count in a 32-bit unsigned int, so counts of 2^32 and more wrap; to print
// what slabtop prints, the rows are first seen through that 32-bit view (procpsView). The JSON
// report and the UI show the exact numbers instead.

import type {CacheRow, Sample} from '../sources/source.js';
import {formatFixed, padEnd, padStart} from './printf.js';
import {cacheSizeBytes, TWO_TO_32, utilisationPercent} from './row-figures.js';
import {sortRows, type SortKey} from './sort.js';
import {computeTotals, type Totals} from './totals.js';

const HEADINGS = '  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME';

/** The row as procps stores it: every count in an unsigned 32-bit int. */
function procpsView(row: CacheRow): CacheRow {
	return {
		...row,
		activeObjs: row.activeObjs % TWO_TO_32,
		numObjs: row.numObjs % TWO_TO_32,
		objSize: row.objSize % TWO_TO_32,
		objsPerSlab: row.objsPerSlab % TWO_TO_32,
		pagesPerSlab: row.pagesPerSlab % TWO_TO_32,
		activeSlabs: row.activeSlabs % TWO_TO_32,
		numSlabs: row.numSlabs % TWO_TO_32,
	};
}

export type HeaderLineOptions = {
	/** What a 0/0 percentage shows: C's printf gives `-nan` (the default, as --once prints). */
	nanText?: string;
};

/** `100.0 * part / whole` printed as `%.1f`: C gives -nan (or `nanText`) for 0/0 and inf for n/0. */
export function percentText(part: number, whole: number, nanText = '-nan'): string {
	if (whole === 0) return part === 0 ? nanText : 'inf';
	return formatFixed((100 * part) / whole, 1);
}

/** Bytes as slabtop prints them: KiB with two decimals and a K. */
function kib(bytes: number): string {
	return `${formatFixed(bytes / 1024, 2)}K`;
}

function summaryLine(label: string, values: string): string {
	return ` ${padEnd(label, 35)}: ${values}`;
}

/**
 * slabtop's five header lines for `t`, without newlines (print_summary). The figures are taken
 * as given: --once passes procps-wrapped totals, the screen exact ones.
 */
export function headerLines(t: Totals, options: HeaderLineOptions = {}): string[] {
	const nan = options.nanText ?? '-nan';
	const percent = (part: number, whole: number) => percentText(part, whole, nan);
	return [
		summaryLine('Active / Total Objects (% used)', `${t.activeObjs} / ${t.numObjs} (${percent(t.activeObjs, t.numObjs)}%)`),
		summaryLine('Active / Total Slabs (% used)', `${t.activeSlabs} / ${t.numSlabs} (${percent(t.activeSlabs, t.numSlabs)}%)`),
		summaryLine('Active / Total Caches (% used)', `${t.activeCaches} / ${t.numCaches} (${percent(t.activeCaches, t.numCaches)}%)`),
		summaryLine(
			'Active / Total Size (% used)',
			`${kib(t.activeSize)} / ${kib(t.totalSize)} (${percent(t.activeSize, t.totalSize)}%)`,
		),
		summaryLine('Minimum / Average / Maximum Object', `${kib(t.minObjSize)} / ${kib(t.avgObjSize)} / ${kib(t.maxObjSize)}`),
	];
}

function detailLine(row: CacheRow): string {
	return [
		padStart(row.numObjs, 6),
		padStart(row.activeObjs, 6),
		`${padStart(utilisationPercent(row), 3)}%`,
		padStart(kib(row.objSize), 8),
		padStart(row.numSlabs, 6),
		padStart(row.objsPerSlab, 8),
		padStart(`${Math.floor(cacheSizeBytes(row) / 1024)}K`, 10),
		padEnd(row.name, 23),
	].join(' ') + '\n';
}

/** The whole report for one sample, sorted by `key`. */
export function formatOnce(sample: Sample, key: SortKey): string {
	const rows = sample.rows.map(row => procpsView(row));
	let text = '';
	for (const line of headerLines(computeTotals(rows, {procps: true}))) text += `${line}\n`;
	text += '\n';
	text += `${padEnd(HEADINGS, 78)}\n`;
	for (const row of sortRows(rows, key)) text += detailLine(row);
	return text;
}
