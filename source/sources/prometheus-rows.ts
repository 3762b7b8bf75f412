// Pure: one host's series from Prometheus → slabinfo rows. `rowsFromSeries(samples)` takes the
// answer of `{__name__=~"node_slabinfo_.+|slabtop_.+", instance="HOST"}` and gives one CacheRow
// per cache, sorted by name (Prometheus does not keep /proc/slabinfo's order).
//
// Two kinds of series can describe a cache:
//   - slabtop-ts's own export (report/openmetrics.ts, label `cache`, `duplicate` on repeated
//     names): every slabinfo figure, exact, plus partial slabs, reclaimable, aliases and the
//     SLUB_STATS counters (`slabtop_stat_<name>_total`, put back under their sysfs names);
//   - node_exporter's slabinfo collector (label `slab`): objects, active objects, object size,
//     objects per slab, pages per slab. The slab counts are then estimates: under SLUB every
//     slab of a cache holds objperslab objects unless it was allocated at the fallback order,
//     so num_slabs ≈ ceil(num_objs / objperslab), and SLUB reports active_slabs = num_slabs
//     (mm/slub.c get_slabinfo). Such rows list those fields in `estimated`.
// A cache with slabtop_* series uses them; the `other` bucket of `--export-top` is not a cache
// and is left out.

import type {CacheRow, SysfsValue} from './source.js';
import type {VectorSample} from './prometheus-parse.js';

const NODE_PREFIX = 'node_slabinfo_';
const OWN_PREFIX = 'slabtop_';
const STAT_PREFIX = 'slabtop_stat_';

type Figures = Map<string, number>;

/** The series every cache has: node_exporter's five, and slabtop-ts's slabinfo figures. */
const NODE_FIGURES = ['objects', 'active_objects', 'object_size_bytes', 'objects_per_slab', 'pages_per_slab'];
const OWN_FIGURES = [...NODE_FIGURES, 'slabs', 'active_slabs'];

type Entry = {
	name: string;
	duplicate: number;
	node: Figures;
	own: Figures;
	aliases: string[];
};

export type SeriesRows = {
	rows: CacheRow[];
	/** Series a cache lacks (`node_slabinfo_pages_per_slab{slab="dentry"}`), at most a few, sorted: the rows would be wrong. */
	missing: string[];
	/** Caches whose slab counts (and so cache size) are estimates. */
	estimatedCount: number;
	/** Newest sample time among the series, Unix milliseconds (0 without series). */
	timeMs: number;
};

function entryKey(name: string, duplicate: number): string {
	return `${duplicate}\u0000${name}`;
}

function ownFigure(own: Figures, key: string): number {
	return own.get(key) ?? 0;
}

function fromOwn(entry: Entry): CacheRow {
	const {own} = entry;
	const sysfs: Record<string, SysfsValue> = {};
	for (const [key, value] of own) if (key.startsWith('stat:')) sysfs[key.slice(5)] = value;
	if (own.has('reclaimable')) sysfs.reclaim_account = ownFigure(own, 'reclaimable');
	if (entry.aliases.length > 0) sysfs.aliases = [...entry.aliases].sort();
	else if (own.has('aliases')) sysfs.aliases = ownFigure(own, 'aliases');
	return {
		name: entry.name,
		activeObjs: ownFigure(own, 'active_objects'),
		numObjs: ownFigure(own, 'objects'),
		objSize: ownFigure(own, 'object_size_bytes'),
		objsPerSlab: ownFigure(own, 'objects_per_slab'),
		pagesPerSlab: ownFigure(own, 'pages_per_slab'),
		activeSlabs: ownFigure(own, 'active_slabs'),
		numSlabs: ownFigure(own, 'slabs'),
		limit: 0,
		batchCount: 0,
		sharedFactor: 0,
		sharedAvail: 0,
		partial: own.get('partial_slabs') ?? null,
		allocs: null,
		frees: null,
		...(Object.keys(sysfs).length === 0 ? {} : {sysfs}),
	};
}

/** SLUB: every slab holds objperslab objects (bar fallback-order slabs), all slabs count as active. */
export function estimateSlabs(numObjs: number, objsPerSlab: number): number {
	return objsPerSlab > 0 ? Math.ceil(numObjs / objsPerSlab) : 0;
}

function fromNode(entry: Entry): CacheRow {
	const {node} = entry;
	const numObjs = node.get('objects') ?? 0;
	const objsPerSlab = node.get('objects_per_slab') ?? 0;
	const slabs = estimateSlabs(numObjs, objsPerSlab);
	return {
		name: entry.name,
		activeObjs: node.get('active_objects') ?? 0,
		numObjs,
		objSize: node.get('object_size_bytes') ?? 0,
		objsPerSlab,
		pagesPerSlab: node.get('pages_per_slab') ?? 0,
		activeSlabs: slabs,
		numSlabs: slabs,
		limit: 0,
		batchCount: 0,
		sharedFactor: 0,
		sharedAvail: 0,
		partial: null,
		allocs: null,
		frees: null,
		estimated: ['activeSlabs', 'numSlabs'],
	};
}

export function rowsFromSeries(samples: readonly VectorSample[]): SeriesRows {
	const entries = new Map<string, Entry>();
	let timeMs = 0;
	const entryFor = (name: string, duplicate: number): Entry => {
		const key = entryKey(name, duplicate);
		let entry = entries.get(key);
		if (entry === undefined) {
			entry = {name, duplicate, node: new Map(), own: new Map(), aliases: []};
			entries.set(key, entry);
		}

		return entry;
	};

	for (const {metric, value, timeMs: time} of samples) {
		const metricName = metric.__name__ ?? '';
		if (!Number.isFinite(value)) continue;
		timeMs = Math.max(timeMs, time);
		if (metricName.startsWith(NODE_PREFIX) && metric.slab !== undefined) {
			const figure = metricName.slice(NODE_PREFIX.length);
			const figures = entryFor(metric.slab, 1).node;
			if (!figures.has(figure)) figures.set(figure, value);
			continue;
		}

		if (!metricName.startsWith(OWN_PREFIX) || metric.cache === undefined || metric.bucket !== undefined) continue;
		const duplicate = metric.duplicate === undefined ? 1 : Number(metric.duplicate);
		if (!Number.isSafeInteger(duplicate) || duplicate < 1) continue;
		const entry = entryFor(metric.cache, duplicate);
		if (metricName === 'slabtop_cache_alias_info') {
			if (metric.alias !== undefined && !entry.aliases.includes(metric.alias)) entry.aliases.push(metric.alias);
			continue;
		}

		const figure = metricName.startsWith(STAT_PREFIX)
			? `stat:${metricName.slice(STAT_PREFIX.length).replace(/_total$/, '')}`
			: metricName.slice(OWN_PREFIX.length);
		if (!entry.own.has(figure)) entry.own.set(figure, value);
	}

	const rows: CacheRow[] = [];
	const missing: string[] = [];
	let estimatedCount = 0;
	const sorted = [...entries.values()].sort((a, b) =>
		a.name < b.name ? -1 : a.name > b.name ? 1 : a.duplicate - b.duplicate,
	);
	for (const entry of sorted) {
		if (entry.own.has('objects')) {
			for (const figure of OWN_FIGURES)
				if (!entry.own.has(figure)) missing.push(`${OWN_PREFIX}${figure}{cache="${entry.name}"}`);
			rows.push(fromOwn(entry));
		} else if (entry.node.has('objects')) {
			for (const figure of NODE_FIGURES)
				if (!entry.node.has(figure)) missing.push(`${NODE_PREFIX}${figure}{slab="${entry.name}"}`);
			rows.push(fromNode(entry));
			estimatedCount++;
		}
	}

	return {rows, missing: missing.sort(), estimatedCount, timeMs};
}
