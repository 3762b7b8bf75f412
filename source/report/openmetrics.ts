// The current sample as metrics: `buildMetrics(sample, options)` turns the rows into metric
// families, `formatOpenMetrics(families)` prints them as OpenMetrics 1.0 text (`--once --format
// openmetrics`), `formatPrometheusText(families)` as the Prometheus text format 0.0.4 that
// node_exporter's textfile collector reads (`--export-dir`). Pure; no timestamps (the scraper
// stamps the samples).
//
// Every name starts with `slabtop_`, so nothing collides with node_exporter's `node_slabinfo_*`.
// Per cache (label `cache`):
//
//   slabtop_objects, slabtop_active_objects          <num_objs>, <active_objs>
//   slabtop_object_size_bytes                        <objsize> (the slot size, as slabinfo)
//   slabtop_objects_per_slab, slabtop_pages_per_slab <objperslab>, <pagesperslab>
//   slabtop_slabs, slabtop_active_slabs              <num_slabs>, <active_slabs>
//   slabtop_cache_bytes                              num_slabs × pages_per_slab × page size (exact)
//   slabtop_waste_bytes                              cache bytes − active objects × object_size
//                                                    (tools/mm/slabinfo.c slab_waste; the sysfs
//                                                    object_size where known, else <objsize>)
//   slabtop_partial_slabs                            node partial slabs, where the source knows them
//   slabtop_reclaimable                              sysfs reclaim_account (0/1), where known
//   slabtop_aliases                                  sysfs aliases (how many names merged in), where known
//   slabtop_cache_alias (info)                       one series per merged name: {cache, alias}
//   slabtop_stat_<counter>_total (counter)           every SLUB_STATS counter the source has
//                                                    (sysfs alloc_fastpath, …; the simulator always)
// and `slabtop_caches`, how many caches the source lists.
//
// A name that appears more than once (two caches may share a name in /proc/slabinfo, which
// breaks node_exporter's scrape) gets `duplicate="2"`, `"3"`, … on its second and later rows.
// `top: N` keeps the N caches holding the most bytes and sums the rest into one bucket labelled
// `{cache="other", bucket="other"}` (objects, slabs, bytes, partial slabs; no per-cache
// properties and no counters, whose sum over a changing set of caches would not be monotonic).

import {STAT_NAMES} from '../engine/stats.js';
import type {CacheRow, Sample} from '../sources/source.js';
import {cacheSizeBytes} from './row-figures.js';

export type MetricType = 'gauge' | 'counter' | 'info';

export type MetricSample = {
	labels: ReadonlyArray<readonly [string, string]>;
	value: number;
};

/**
 * One metric family. `name` is the OpenMetrics family name: counters without `_total`, info
 * metrics without `_info` (the samples carry the suffix).
 */
export type MetricFamily = {
	name: string;
	type: MetricType;
	help: string;
	unit?: 'bytes';
	samples: MetricSample[];
};

export type MetricsOptions = {
	/** Keep the N largest caches (by cache bytes) and sum the rest into an `other` bucket. */
	top?: number | null;
};

export const METRIC_PREFIX = 'slabtop_';
export const OTHER_BUCKET = 'other';

type Gauge = {
	name: string;
	help: string;
	unit?: 'bytes';
	/** The figure for a row, or null where the source does not know it. */
	value: (row: CacheRow) => number | null;
	/** Whether the other bucket carries the sum of this figure. */
	isSummed: boolean;
};

function sysfsNumber(row: CacheRow, key: string): number | null {
	const value = row.sysfs?.[key];
	return typeof value === 'number' ? value : null;
}

/** Bytes not holding an in-use object: tools/mm/slabinfo.c slab_waste(). */
export function wasteBytes(row: CacheRow): number {
	const objectSize = sysfsNumber(row, 'object_size') ?? row.objSize;
	return cacheSizeBytes(row) - row.activeObjs * objectSize;
}

function aliasNames(row: CacheRow): readonly string[] {
	const aliases = row.sysfs?.aliases;
	return Array.isArray(aliases) ? (aliases as readonly string[]) : [];
}

function aliasCount(row: CacheRow): number | null {
	const aliases = row.sysfs?.aliases;
	if (aliases === undefined) return null;
	if (typeof aliases === 'number') return aliases;
	return Array.isArray(aliases) ? aliases.length : null;
}

const GAUGES: readonly Gauge[] = [
	{
		name: 'objects',
		help: "Objects in the cache's slabs (slabinfo num_objs).",
		value: row => row.numObjs,
		isSummed: true,
	},
	{
		name: 'active_objects',
		help: 'Objects in use (slabinfo active_objs).',
		value: row => row.activeObjs,
		isSummed: true,
	},
	{
		name: 'object_size_bytes',
		help: 'Bytes per object slot (slabinfo objsize).',
		unit: 'bytes',
		value: row => row.objSize,
		isSummed: false,
	},
	{
		name: 'objects_per_slab',
		help: 'Objects per slab (slabinfo objperslab).',
		value: row => row.objsPerSlab,
		isSummed: false,
	},
	{
		name: 'pages_per_slab',
		help: 'Pages per slab (slabinfo pagesperslab).',
		value: row => row.pagesPerSlab,
		isSummed: false,
	},
	{name: 'slabs', help: 'Slabs of the cache (slabinfo num_slabs).', value: row => row.numSlabs, isSummed: true},
	{
		name: 'active_slabs',
		help: 'Slabs holding objects in use (slabinfo active_slabs).',
		value: row => row.activeSlabs,
		isSummed: true,
	},
	{
		name: 'cache_bytes',
		help: "Memory held by the cache's slabs: slabs x pages per slab x page size.",
		unit: 'bytes',
		value: row => cacheSizeBytes(row),
		isSummed: true,
	},
	{
		name: 'waste_bytes',
		help: 'Cache bytes not holding an object in use: cache bytes - active objects x object size.',
		unit: 'bytes',
		value: row => wasteBytes(row),
		isSummed: true,
	},
	{
		name: 'partial_slabs',
		help: 'Slabs on the node partial lists (sysfs partial).',
		value: row => row.partial,
		isSummed: true,
	},
	{
		name: 'reclaimable',
		help: 'Whether the cache is reclaimable, SLAB_RECLAIM_ACCOUNT (sysfs reclaim_account).',
		value: row => sysfsNumber(row, 'reclaim_account'),
		isSummed: false,
	},
	{
		name: 'aliases',
		help: 'Cache names merged into this cache (sysfs aliases).',
		value: row => aliasCount(row),
		isSummed: false,
	},
];

/** Rows to export, each with its labels; the rest (beyond `top`) summed into the bucket. */
type Selection = {kept: Array<{row: CacheRow; labels: Array<readonly [string, string]>}>; rest: CacheRow[]};

function select(rows: readonly CacheRow[], top: number | null): Selection {
	let keptRows = new Set(rows);
	if (top !== null && top < rows.length) {
		const bySize = [...rows].sort(
			(a, b) => cacheSizeBytes(b) - cacheSizeBytes(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
		);
		keptRows = new Set(bySize.slice(0, top));
	}

	const seen = new Map<string, number>();
	const kept: Selection['kept'] = [];
	const rest: CacheRow[] = [];
	for (const row of rows) {
		const count = (seen.get(row.name) ?? 0) + 1;
		seen.set(row.name, count);
		if (!keptRows.has(row)) {
			rest.push(row);
			continue;
		}

		const labels: Array<readonly [string, string]> = [['cache', row.name]];
		if (count > 1) labels.push(['duplicate', String(count)]);
		kept.push({row, labels});
	}

	return {kept, rest};
}

function otherValue(rows: readonly CacheRow[], gauge: Gauge): number | null {
	let sum = 0;
	for (const row of rows) {
		const value = gauge.value(row);
		if (value === null) return null;
		sum += value;
	}

	return sum;
}

function counterNames(rows: ReadonlyArray<{row: CacheRow}>): string[] {
	const present = new Set<string>();
	for (const {row} of rows) {
		if (row.sysfs === undefined) continue;
		for (const name of STAT_NAMES) if (typeof row.sysfs[name] === 'number') present.add(name);
	}

	return STAT_NAMES.filter(name => present.has(name));
}

export function buildMetrics(sample: Sample, options: MetricsOptions = {}): MetricFamily[] {
	const {kept, rest} = select(sample.rows, options.top ?? null);
	const families: MetricFamily[] = [
		{
			name: `${METRIC_PREFIX}caches`,
			type: 'gauge',
			help: 'Caches the source lists.',
			samples: [{labels: [], value: sample.rows.length}],
		},
	];
	const otherLabels: ReadonlyArray<readonly [string, string]> = [
		['cache', OTHER_BUCKET],
		['bucket', OTHER_BUCKET],
	];
	for (const gauge of GAUGES) {
		const samples: MetricSample[] = [];
		for (const {row, labels} of kept) {
			const value = gauge.value(row);
			if (value !== null) samples.push({labels, value});
		}

		if (gauge.isSummed && rest.length > 0) {
			const value = otherValue(rest, gauge);
			if (value !== null) samples.push({labels: otherLabels, value});
		}

		if (samples.length === 0) continue;
		families.push({name: `${METRIC_PREFIX}${gauge.name}`, type: 'gauge', help: gauge.help, unit: gauge.unit, samples});
	}

	const aliasSamples: MetricSample[] = [];
	for (const {row, labels} of kept) {
		for (const alias of aliasNames(row)) aliasSamples.push({labels: [...labels, ['alias', alias]], value: 1});
	}

	if (aliasSamples.length > 0) {
		families.push({
			name: `${METRIC_PREFIX}cache_alias`,
			type: 'info',
			help: 'A cache name merged into this cache (one series per name).',
			samples: aliasSamples,
		});
	}

	for (const counter of counterNames(kept)) {
		const samples: MetricSample[] = [];
		for (const {row, labels} of kept) {
			const value = sysfsNumber(row, counter);
			if (value !== null) samples.push({labels, value});
		}

		families.push({
			name: `${METRIC_PREFIX}stat_${counter}`,
			type: 'counter',
			help: `SLUB_STATS ${counter}: the sysfs counter summed over CPUs.`,
			samples,
		});
	}

	return families;
}

function escapeLabel(value: string): string {
	return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

function escapeHelp(text: string, isOpenMetrics: boolean): string {
	const escaped = text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
	return isOpenMetrics ? escaped.replaceAll('"', '\\"') : escaped;
}

function sampleLine(name: string, sample: MetricSample): string {
	const labels = sample.labels.map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(',');
	return `${name}${labels === '' ? '' : `{${labels}}`} ${String(sample.value)}\n`;
}

function sampleName(family: MetricFamily): string {
	if (family.type === 'counter') return `${family.name}_total`;
	if (family.type === 'info') return `${family.name}_info`;
	return family.name;
}

/** OpenMetrics 1.0 text: `# TYPE`, `# UNIT`, `# HELP` per family, `# EOF` at the end. */
export function formatOpenMetrics(families: readonly MetricFamily[]): string {
	let text = '';
	for (const family of families) {
		text += `# TYPE ${family.name} ${family.type}\n`;
		if (family.unit !== undefined) text += `# UNIT ${family.name} ${family.unit}\n`;
		text += `# HELP ${family.name} ${escapeHelp(family.help, true)}\n`;
		const name = sampleName(family);
		for (const sample of family.samples) text += sampleLine(name, sample);
	}

	return `${text}# EOF\n`;
}

/**
 * The Prometheus text format 0.0.4 (what the textfile collector parses): counters are typed
 * under their `_total` name, info metrics are gauges of value 1 named `…_info`.
 */
export function formatPrometheusText(families: readonly MetricFamily[]): string {
	let text = '';
	for (const family of families) {
		const name = sampleName(family);
		text += `# HELP ${name} ${escapeHelp(family.help, false)}\n`;
		text += `# TYPE ${name} ${family.type === 'info' ? 'gauge' : family.type}\n`;
		for (const sample of family.samples) text += sampleLine(name, sample);
	}

	return text;
}
