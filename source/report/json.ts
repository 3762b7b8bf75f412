// The --once --json report: `formatJson(sample)` is one JSON document with the header figures
// (`totals`, exact numbers from computeTotals) and one object per cache, sorted as the table is,
// named as /proc/slabinfo's header names its columns.
//
//   {
//     "source": "sim",                 the sample's label (a path, /proc/slabinfo, sim, a replay)
//     "sort": "o",                     the sort key
//     "exec": [{command, ok, text}],   with --exec: each command and its answer, in order
//     "workload": {name, phase, tick, finished} | null   the simulator only: its workload
//     "totals": {activeObjs, numObjs, activeSlabs, numSlabs, activeCaches, numCaches, pages,
//                activeSize, totalSize, minObjSize, avgObjSize, maxObjSize},
//     "caches": [{
//       "name", "active_objs", "num_objs", "objsize", "objperslab", "pagesperslab",
//       "active_slabs", "num_slabs", "limit", "batchcount", "sharedfactor", "sharedavail",
//       "cache_size" (bytes), "use" (percent, as slabtop), "partial" (node partial slabs or null),
//       "alloc_fail" (allocations that failed, ENOMEM; null where the source cannot tell),
//       "estimated": ["active_slabs", "num_slabs", "cache_size"]   only on rows with estimates (a
//                                       Prometheus source with node_exporter's series alone)
//       "sysfs": {                     only where the source knows it: the simulator, all of the
//                                       below; --source kernel, what /sys/kernel/slab/<cache>/
//                                       files it could read, as they are (aliases a count, ctor
//                                       the file's text, no flags list, no counters unless the
//                                       kernel has CONFIG_SLUB_STATS)
//         "sysfs_name": ":0000064",     the /sys/kernel/slab directory name (merged caches: unique id)
//         "object_size", "slab_size", "align", "order", "objs_per_slab",
//         "min_partial", "cpu_partial" (objects), "usersize", "sheaf_capacity": numbers,
//         "flags": ["HWCACHE_ALIGN", …] the cache's SLAB_* flags (without SLAB_),
//         "sanity_checks", "red_zone", "poison", "hwcache_align", "cache_dma", "store_user",
//         "destroy_by_rcu", "trace", "reclaim_account": the flag files, 0 or 1,
//         "aliases": ["name", …]        names merged into this cache (sysfs `aliases` is their count),
//         "ctor": "name" or "",         the constructor, "" for none (as the sysfs file),
//         "partial", "objects_partial", "cpu_slabs",
//         "slabs_cpu_partial"           slabs on the CPU partial lists (the file's figure in parentheses),
//         "alloc_fastpath", "free_slowpath", …  every SLUB_STATS counter (engine/stats.ts
//                                       STAT_NAMES): the total over CPUs, the file's first figure
//       },
//       "rates": {                     only when the sample has a predecessor (--once --interval S):
//         "active_objs_per_sec", "num_slabs_per_sec", "kib_per_sec"   the change per second since
//       }                              it; left out for a cache that is new since then
//     }],
//     "interval_sec": 2                 the seconds between the two samples, with rates only
//   }
//
// Numbers are exact (no 32-bit wrap, unlike the text report). Key order is fixed as above.

import type {CacheRow, Sample, SysfsFigures} from '../sources/source.js';
import {computeTotals, type Totals} from './totals.js';
import {sortRows, type SortKey} from './sort.js';
import {cacheSizeBytes, utilisationPercent} from './row-figures.js';
import {rateBaseOf, rowRates, type RateBase} from './rates.js';

export type JsonCache = {
	name: string;
	active_objs: number;
	num_objs: number;
	objsize: number;
	objperslab: number;
	pagesperslab: number;
	active_slabs: number;
	num_slabs: number;
	limit: number;
	batchcount: number;
	sharedfactor: number;
	sharedavail: number;
	/** Derived as slabtop does: num_slabs × pagesperslab × page size, and percent used. */
	cache_size: number;
	use: number;
	/** Node partial slabs where the source knows them, else null. */
	partial: number | null;
	/** Failed allocations (ENOMEM) where the source knows them (the simulator), else null. */
	alloc_fail: number | null;
	/** Layout, list figures and SLUB_STATS under the sysfs file names, where the source knows them. */
	sysfs?: SysfsFigures;
	/** Change per second since the previous sample, when there is one. */
	rates?: JsonRates;
	/** The fields above that are estimates (a Prometheus source without slab counts), where any are. */
	estimated?: EstimatedJsonField[];
};

/** One --exec command and its answer. */
export type JsonExecAnswer = {command: string; ok: boolean; text: string};

/** The simulator's workload: its name, current phase, the tick, and whether it has ended. */
export type JsonWorkload = {name: string; phase: string; tick: number; finished: boolean};

/** What the document carries beyond the sample: --exec answers, the simulator's workload. */
export type JsonExtras = {exec?: readonly JsonExecAnswer[]; workload?: JsonWorkload | null};

export type JsonRates = {active_objs_per_sec: number; num_slabs_per_sec: number; kib_per_sec: number};

export type EstimatedJsonField = 'active_slabs' | 'num_slabs' | 'cache_size';

/** The JSON names of a row's estimated fields; cache_size follows num_slabs. */
function estimatedFields(row: CacheRow): EstimatedJsonField[] {
	const fields: EstimatedJsonField[] = [];
	const estimated = row.estimated ?? [];
	if (estimated.includes('activeSlabs')) fields.push('active_slabs');
	if (estimated.includes('numSlabs')) fields.push('num_slabs', 'cache_size');
	return fields;
}

export type JsonReport = {
	source: string;
	sort: SortKey;
	exec?: readonly JsonExecAnswer[];
	workload?: JsonWorkload | null;
	totals: Totals;
	caches: JsonCache[];
	interval_sec?: number;
};

function jsonRates(row: CacheRow, timeMs: number, base: RateBase | null): {rates?: JsonRates} {
	const rates = rowRates(row, timeMs, base);
	if (rates === null) return {};
	return {
		rates: {
			active_objs_per_sec: rates.activeObjsPerSec,
			num_slabs_per_sec: rates.numSlabsPerSec,
			kib_per_sec: rates.kibPerSec,
		},
	};
}

function toJsonCache(row: CacheRow, timeMs: number, base: RateBase | null): JsonCache {
	return {
		name: row.name,
		active_objs: row.activeObjs,
		num_objs: row.numObjs,
		objsize: row.objSize,
		objperslab: row.objsPerSlab,
		pagesperslab: row.pagesPerSlab,
		active_slabs: row.activeSlabs,
		num_slabs: row.numSlabs,
		limit: row.limit,
		batchcount: row.batchCount,
		sharedfactor: row.sharedFactor,
		sharedavail: row.sharedAvail,
		cache_size: cacheSizeBytes(row),
		use: utilisationPercent(row),
		partial: row.partial,
		alloc_fail: row.allocFail ?? null,
		...(row.sysfs === undefined ? {} : {sysfs: row.sysfs}),
		...jsonRates(row, timeMs, base),
		...(row.estimated === undefined || row.estimated.length === 0 ? {} : {estimated: estimatedFields(row)}),
	};
}

/** The report of `sample`; with `previous` (an earlier sample of the same source), rates too. */
export function buildJsonReport(
	sample: Sample,
	key: SortKey,
	previous: Sample | null = null,
	extras: JsonExtras = {},
): JsonReport {
	const base = previous === null ? null : rateBaseOf(previous);
	const seconds = previous === null ? 0 : (sample.timeMs - previous.timeMs) / 1000;
	return {
		source: sample.label,
		sort: key,
		...(extras.exec === undefined ? {} : {exec: extras.exec}),
		...(extras.workload === undefined ? {} : {workload: extras.workload}),
		totals: computeTotals(sample.rows),
		caches: sortRows(sample.rows, key).map(row => toJsonCache(row, sample.timeMs, base)),
		...(seconds > 0 ? {interval_sec: seconds} : {}),
	};
}

/** The document as printed: two-space indented, one trailing newline. */
export function formatJson(
	sample: Sample,
	key: SortKey,
	previous: Sample | null = null,
	extras: JsonExtras = {},
): string {
	return `${JSON.stringify(buildJsonReport(sample, key, previous, extras), null, 2)}\n`;
}
