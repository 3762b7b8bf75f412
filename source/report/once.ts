// The --once report: `formatOnce(sample, key)` is the text procps-ng 4.0.2 `slabtop -o -s KEY`
// prints for the same slabinfo rows, byte for byte (src/slabtop.c print_summary,
// print_headings, print_details). `headerLines(totals, options)` gives the five summary lines,
// for the screen's header too.
//
// procps keeps every count in a 32-bit unsigned int, so counts of 2^32 and more wrap, and sizes
// in 64-bit unsigned longs; to print what slabtop prints, the rows are first seen through that
// view (procpsNode, procpsTotals). The JSON report and the UI show the exact numbers instead.

import type {CacheRow, Sample} from '../sources/source.js';
import {formatFixed, padEnd, padStart} from './printf.js';
import {PAGE_SIZE, TWO_TO_32, utilisationPercent} from './row-figures.js';
import type {SortKey} from './sort.js';
import type {Totals} from './totals.js';

const HEADINGS = '  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME';

const TWO_TO_64 = 2n ** 64n;
const INT_MAX = 2 ** 31 - 1;

/**
 * One cache as procps stores it (library/slabinfo.c struct slabs_node): every count in an
 * unsigned 32-bit int, the cache size in an unsigned long, the name as its bytes.
 */
type ProcpsNode = {
	name: string;
	numObjs: number;
	activeObjs: number;
	objSize: number;
	objsPerSlab: number;
	pagesPerSlab: number;
	numSlabs: number;
	activeSlabs: number;
	use: number;
	/** (unsigned long)nr_slabs × pages_per_slab × page size, modulo 2^64. */
	cacheSize: bigint;
};

function procpsNode(row: CacheRow): ProcpsNode {
	const u32 = (value: number) => value % TWO_TO_32;
	const numObjs = u32(row.numObjs);
	const activeObjs = u32(row.activeObjs);
	const numSlabs = u32(row.numSlabs);
	const pagesPerSlab = u32(row.pagesPerSlab);
	return {
		name: row.nameBytes ?? row.name,
		numObjs,
		activeObjs,
		objSize: u32(row.objSize),
		objsPerSlab: u32(row.objsPerSlab),
		pagesPerSlab,
		numSlabs,
		activeSlabs: u32(row.activeSlabs),
		use: utilisationPercent({...row, numObjs, activeObjs}),
		cacheSize: (BigInt(numSlabs) * BigInt(pagesPerSlab) * BigInt(PAGE_SIZE)) % TWO_TO_64,
	};
}

/** The summary procps accumulates while parsing (parse_slabinfo20), with its C arithmetic. */
function procpsTotals(nodes: readonly ProcpsNode[]): Totals {
	const t: Totals = {
		activeObjs: 0,
		numObjs: 0,
		activeSlabs: 0,
		numSlabs: 0,
		activeCaches: 0,
		numCaches: nodes.length,
		pages: 0,
		activeSize: 0,
		totalSize: 0,
		minObjSize: INT_MAX,
		avgObjSize: 0,
		maxObjSize: 0,
	};
	let activeSize = 0n;
	let totalSize = 0n;
	for (const node of nodes) {
		t.minObjSize = Math.min(t.minObjSize, node.objSize);
		t.maxObjSize = Math.max(t.maxObjSize, node.objSize);
		if (node.numObjs !== 0) t.activeCaches++;
		t.numObjs = (t.numObjs + node.numObjs) % TWO_TO_32;
		t.activeObjs = (t.activeObjs + node.activeObjs) % TWO_TO_32;
		totalSize = (totalSize + BigInt(node.numObjs) * BigInt(node.objSize)) % TWO_TO_64;
		activeSize = (activeSize + BigInt(node.activeObjs) * BigInt(node.objSize)) % TWO_TO_64;
		t.pages = Number((BigInt(t.pages) + BigInt(node.numSlabs) * BigInt(node.pagesPerSlab)) % BigInt(TWO_TO_32));
		t.numSlabs = (t.numSlabs + node.numSlabs) % TWO_TO_32;
		t.activeSlabs = (t.activeSlabs + node.activeSlabs) % TWO_TO_32;
	}

	// (double) of an unsigned long rounds to nearest, as Number(bigint) does.
	t.activeSize = Number(activeSize);
	t.totalSize = Number(totalSize);
	if (t.numObjs !== 0) t.avgObjSize = Number((totalSize / BigInt(t.numObjs)) % BigInt(TWO_TO_32));
	return t;
}

const NODE_FIGURES: Record<Exclude<SortKey, 'n' | 'c'>, (node: ProcpsNode) => number> = {
	a: node => node.activeObjs,
	b: node => node.objsPerSlab,
	l: node => node.numSlabs,
	v: node => node.activeSlabs,
	o: node => node.numObjs,
	p: node => node.pagesPerSlab,
	s: node => node.objSize,
	u: node => node.use,
};

/**
 * procps_slabinfo_sort: `n` ascending by strcoll() (byte order, as in the C locale), every other
 * key descending; glibc's qsort_r is a merge sort, so ties keep file order.
 */
function sortNodes(nodes: readonly ProcpsNode[], key: SortKey): ProcpsNode[] {
	const compare = (a: ProcpsNode, b: ProcpsNode): number => {
		if (key === 'n') return a.name === b.name ? 0 : a.name < b.name ? -1 : 1;
		if (key === 'c') return a.cacheSize === b.cacheSize ? 0 : a.cacheSize < b.cacheSize ? 1 : -1;
		const figure = NODE_FIGURES[key];
		return figure(b) - figure(a);
	};

	return [...nodes].sort(compare);
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
		summaryLine(
			'Active / Total Objects (% used)',
			`${t.activeObjs} / ${t.numObjs} (${percent(t.activeObjs, t.numObjs)}%)`,
		),
		summaryLine(
			'Active / Total Slabs (% used)',
			`${t.activeSlabs} / ${t.numSlabs} (${percent(t.activeSlabs, t.numSlabs)}%)`,
		),
		summaryLine(
			'Active / Total Caches (% used)',
			`${t.activeCaches} / ${t.numCaches} (${percent(t.activeCaches, t.numCaches)}%)`,
		),
		summaryLine(
			'Active / Total Size (% used)',
			`${kib(t.activeSize)} / ${kib(t.totalSize)} (${percent(t.activeSize, t.totalSize)}%)`,
		),
		summaryLine(
			'Minimum / Average / Maximum Object',
			`${kib(t.minObjSize)} / ${kib(t.avgObjSize)} / ${kib(t.maxObjSize)}`,
		),
	];
}

function detailLine(node: ProcpsNode): string {
	return (
		[
			padStart(node.numObjs, 6),
			padStart(node.activeObjs, 6),
			`${padStart(node.use, 3)}%`,
			padStart(kib(node.objSize), 8),
			padStart(node.numSlabs, 6),
			padStart(node.objsPerSlab, 8),
			padStart(`${node.cacheSize / 1024n}K`, 10),
			padEnd(node.name, 23),
		].join(' ') + '\n'
	);
}

/**
 * The whole report for one sample, sorted by `key`, as bytes (one character per byte: names
 * keep the bytes the file had); write it with the latin1 encoding.
 */
export function formatOnce(sample: Sample, key: SortKey): string {
	const nodes = sample.rows.map(row => procpsNode(row));
	let text = '';
	for (const line of headerLines(procpsTotals(nodes))) text += `${line}\n`;
	text += '\n';
	text += `${padEnd(HEADINGS, 78)}\n`;
	for (const node of sortNodes(nodes, key)) text += detailLine(node);
	return text;
}
