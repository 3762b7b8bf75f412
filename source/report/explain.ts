// "Explain this number": for a column of the cache table or a header line, what the number is,
// which kernel function fills it, and its value worked out from this cache's (or all caches')
// figures, with what misleads people about it. Pure; works for every source (the simulator
// knows more: real objects in use, aliases, failures). Main entry: explain(input).
//
// Kernel facts (Linux 6.18): cache_show() in mm/slab_common.c prints each /proc/slabinfo line
// from get_slabinfo() in mm/slub.c, which sums over the nodes: num_slabs = node_nr_slabs,
// num_objs = node_nr_objs, active_objs = num_objs − count_partial_free_approx() (free objects
// on the node partial lists only: exact up to 10000 partial slabs a node, scaled from those
// beyond), active_slabs = num_slabs, objperslab = oo_objects(s->oo), pagesperslab = 1 << order;
// objsize is s->size, the slot (object plus metadata and alignment). procps-ng slabtop derives
// USE and CACHE SIZE and the header sums from those (library/slabinfo.c, src/slabtop.c).

import type {CacheRow, SourceKind, SysfsFigures} from '../sources/source.js';
import {cacheSizeBytes, PAGE_SIZE, utilisationPercent} from './row-figures.js';
import {computeTotals} from './totals.js';

export const EXPLAIN_COLUMNS = [
	'objs',
	'active',
	'use',
	'objSize',
	'slabs',
	'objPerSlab',
	'cacheSize',
	'name',
	'partial',
	'allocRate',
	'freeRate',
	'activity',
] as const;
export type ExplainColumn = (typeof EXPLAIN_COLUMNS)[number];

export const EXPLAIN_HEADER_LINES = ['objects', 'slabs', 'caches', 'size', 'objectSizes'] as const;
export type ExplainHeaderLine = (typeof EXPLAIN_HEADER_LINES)[number];

export type ExplainTarget = {kind: 'column'; column: ExplainColumn} | {kind: 'header'; line: ExplainHeaderLine};

/** Every number explain knows, in the order ← → step through them: the columns, then the header lines. */
export const EXPLAIN_TARGETS: readonly ExplainTarget[] = [
	...EXPLAIN_COLUMNS.map((column): ExplainTarget => ({kind: 'column', column})),
	...EXPLAIN_HEADER_LINES.map((line): ExplainTarget => ({kind: 'header', line})),
];

/** The column a slabtop sort key sorts by (explain starts there). */
const SORT_KEY_COLUMNS: Readonly<Record<string, ExplainColumn>> = {
	a: 'active',
	b: 'objPerSlab',
	c: 'cacheSize',
	l: 'slabs',
	v: 'slabs',
	n: 'name',
	o: 'objs',
	p: 'objPerSlab',
	s: 'objSize',
	u: 'use',
	partial: 'partial',
	alloc: 'allocRate',
	free: 'freeRate',
	fail: 'allocRate',
};

/** Index in EXPLAIN_TARGETS of the column sorted by `sortKey`. */
export function explainIndexForSortKey(sortKey: string): number {
	const column = SORT_KEY_COLUMNS[sortKey] ?? 'objs';
	return EXPLAIN_TARGETS.findIndex(t => t.kind === 'column' && t.column === column);
}

export type ExplainInput = {
	target: ExplainTarget;
	/** The selected cache (columns need it; header lines use `rows`). */
	row: CacheRow | null;
	/** Every cache of the sample (header lines). */
	rows: readonly CacheRow[];
	sourceKind: SourceKind;
	/** The cache's sysfs figures where known (simulator, or a readable /sys/kernel/slab). */
	sysfs?: SysfsFigures | null;
	/** ALLOC/s and FREE/s as the table shows them, null when unknown. */
	rates?: {allocPerSec: number | null; freePerSec: number | null} | null;
	/** Allocation failures of the cache (simulator). */
	failures?: number | null;
};

export type Explanation = {
	title: string;
	/** What the number is. */
	what: string;
	/** The kernel (or procps) code that produces it. */
	source: string;
	/** Its value worked out from the figures. */
	worked: string[];
	/** What misleads people about it. */
	notes: string[];
};

const COLUMN_TITLES: Readonly<Record<ExplainColumn, string>> = {
	objs: 'OBJS',
	active: 'ACTIVE',
	use: 'USE',
	objSize: 'OBJ SIZE',
	slabs: 'SLABS',
	objPerSlab: 'OBJ/SLAB',
	cacheSize: 'CACHE SIZE',
	name: 'NAME',
	partial: 'PARTIAL',
	allocRate: 'ALLOC/s',
	freeRate: 'FREE/s',
	activity: 'ACTIVE, 1 MIN',
};

export function columnTitle(column: ExplainColumn): string {
	return COLUMN_TITLES[column];
}

const n = (value: number): string => String(value);
const pct = (part: number, whole: number): string => (whole === 0 ? '0.0' : ((100 * part) / whole).toFixed(1));
const kib = (bytes: number): string => `${Math.trunc(bytes / 1024)}K`;

function figure(sysfs: SysfsFigures | null | undefined, key: string): number | null {
	const value = sysfs?.[key];
	return typeof value === 'number' ? value : null;
}

function list(sysfs: SysfsFigures | null | undefined, key: string): readonly string[] {
	const value = sysfs?.[key];
	return Array.isArray(value) ? (value as readonly string[]) : [];
}

/** Objects really handed out: only the simulator counts allocations and frees from the start. */
function realInUse(input: ExplainInput, row: CacheRow): number | null {
	return input.sourceKind === 'sim' && row.allocs !== null && row.frees !== null ? row.allocs - row.frees : null;
}

function explainColumn(input: ExplainInput, column: ExplainColumn, row: CacheRow): Explanation {
	const title = `${COLUMN_TITLES[column]} of ${row.name}`;
	const free = row.numObjs - row.activeObjs;
	switch (column) {
		case 'objs':
			return {
				title,
				what: 'num_objs: every object slot in every slab of the cache, used or free.',
				source:
					"get_slabinfo() (mm/slub.c): the sum over nodes of node_nr_objs(), which inc_slabs_node() raises by a slab's objects when a slab is allocated and dec_slabs_node() lowers when it is freed.",
				worked: [
					`num_objs = ${n(row.numObjs)}`,
					`slabs × objects per slab = ${n(row.numSlabs)} × ${n(row.objsPerSlab)} = ${n(row.numSlabs * row.objsPerSlab)}${row.numSlabs * row.objsPerSlab === row.numObjs ? '' : ' (differs: some slabs were allocated at the smaller fallback order)'}`,
				],
				notes: [
					'It counts capacity, not use: a cache whose objects were all freed keeps num_objs until its slabs are freed (shrink, or the node partial list growing past min_partial).',
				],
			};
		case 'active': {
			const inUse = realInUse(input, row);
			return {
				title,
				what: 'active_objs: num_objs minus the free objects on the node partial lists.',
				source:
					'get_slabinfo() (mm/slub.c): num_objs − count_partial_free_approx() per node (exact up to 10000 partial slabs per node, scaled beyond).',
				worked: [
					`active_objs = num_objs − free on node partial lists = ${n(row.numObjs)} − ${n(free)} = ${n(row.activeObjs)}`,
					...(inUse === null
						? []
						: [
								`really allocated (allocations − frees, known to the simulator) = ${n(inUse)}: ${n(row.activeObjs - inUse)} of the "active" objects are free`,
							]),
				],
				notes: [
					"Free objects held by CPUs are counted as active: those on each CPU slab's freelist, on the CPU partial slabs, and (6.18) in per-CPU sheaves and the barn. Nothing in /proc/slabinfo tells them apart.",
				],
			};
		}
		case 'use': {
			const inUse = realInUse(input, row);
			return {
				title,
				what: 'Utilisation: active_objs as a share of num_objs, computed by slabtop, not the kernel.',
				source:
					'procps-ng library/slabinfo.c: use = 100 × active_objs / num_objs in single-precision float, truncated to a whole percent.',
				worked: [
					`USE = ${n(row.activeObjs)} / ${n(row.numObjs)} = ${pct(row.activeObjs, row.numObjs)} % → shown as ${n(utilisationPercent(row))}%`,
					...(inUse === null
						? []
						: [`objects really in use: ${n(inUse)} / ${n(row.numObjs)} = ${pct(inUse, row.numObjs)} %`]),
				],
				notes: [
					'USE reads high: active_objs includes free objects held by CPUs (CPU slab freelists, CPU partial slabs, sheaves). Only free objects on the node partial lists lower it.',
				],
			};
		}
		case 'objSize': {
			const objectSize = figure(input.sysfs, 'object_size');
			return {
				title,
				what: 'objsize: the slot each object takes in a slab (sysfs slab_size), not the size the creator asked for.',
				source:
					'cache_show() (mm/slab_common.c) prints s->size, set by calculate_sizes() (mm/slub.c): object_size rounded up for the free pointer, debug metadata and alignment.',
				worked: [
					`OBJ SIZE = ${n(row.objSize)} bytes = ${(row.objSize / 1024).toFixed(2)}K`,
					...(objectSize === null
						? []
						: [
								`object_size ${n(objectSize)} + ${n(row.objSize - objectSize)} bytes of metadata and alignment = ${n(row.objSize)}`,
							]),
				],
				notes: [
					'slabtop prints it in K with two decimals, so 0.19K is 192 bytes; the requested size (object_size) is only in /sys/kernel/slab/<cache>/object_size.',
				],
			};
		}
		case 'slabs':
			return {
				title,
				what: 'num_slabs: every slab of the cache — CPU slabs, CPU partial, node partial and full ones.',
				source: 'get_slabinfo() (mm/slub.c): the sum over nodes of node_nr_slabs().',
				worked: [
					`SLABS = ${n(row.numSlabs)} (active_slabs ${n(row.activeSlabs)})`,
					`pages held = ${n(row.numSlabs)} × ${n(row.pagesPerSlab)} = ${n(row.numSlabs * row.pagesPerSlab)}`,
				],
				notes: [
					'SLUB reports active_slabs = num_slabs: there is no "inactive slab" count; PARTIAL shows the node partial slabs.',
				],
			};
		case 'objPerSlab': {
			const slabBytes = row.pagesPerSlab * PAGE_SIZE;
			const order = Math.log2(row.pagesPerSlab);
			return {
				title,
				what: "objperslab: how many slots one slab of the cache's order holds.",
				source:
					'get_slabinfo(): oo_objects(s->oo); calculate_order() (mm/slub.c) picks the order so that the slab wastes little and holds at least a minimum number of objects that grows with the CPU count.',
				worked: [
					`order ${order}: ${n(row.pagesPerSlab)} page${row.pagesPerSlab === 1 ? '' : 's'} = ${n(slabBytes)} bytes; ${n(slabBytes)} / ${n(row.objSize)} = ${n(Math.floor(slabBytes / row.objSize))} slots, ${n(slabBytes - Math.floor(slabBytes / row.objSize) * row.objSize)} bytes left over`,
				],
				notes: ['With a red zone on the left (slub_debug=Z) one slot less may fit than this division says.'],
			};
		}
		case 'cacheSize':
			return {
				title,
				what: "The memory the cache's slabs occupy, computed by slabtop.",
				source: 'procps-ng library/slabinfo.c: num_slabs × pagesperslab × page size.',
				worked: [
					`CACHE SIZE = ${n(row.numSlabs)} × ${n(row.pagesPerSlab)} × ${n(PAGE_SIZE)} = ${kib(cacheSizeBytes(row))}`,
					`of which the active objects' slots: ${n(row.activeObjs)} × ${n(row.objSize)} = ${kib(row.activeObjs * row.objSize)}`,
				],
				notes: [
					"An upper bound: every slab is counted at the cache's preferred order, though slabs allocated under memory pressure at the smaller fallback order (order_fallback in sysfs) hold fewer pages.",
				],
			};
		case 'name': {
			const aliases = list(input.sysfs, 'aliases');
			const sysfsName = input.sysfs?.['sysfs_name'];
			return {
				title,
				what: "The name of the cache's first creator.",
				source:
					'cache_show() prints s->name. __kmem_cache_alias() (mm/slab_common.c) lets a later kmem_cache_create() with a compatible size, alignment and flags share an existing cache instead of making its own (cache merging); the merged cache keeps its first name.',
				worked:
					aliases.length > 1
						? [
								`${n(aliases.length)} creators share this cache: ${aliases.join(', ')}`,
								...(typeof sysfsName === 'string'
									? [`its sysfs directory is /sys/kernel/slab/${sysfsName}, the names are symlinks to it`]
									: []),
							]
						: [
								input.sysfs == null
									? 'aliases are listed by /sys/kernel/slab/<cache>/aliases (not readable from this source)'
									: 'no other creator shares this cache',
							],
				notes: [
					"A merged cache's line hides its aliases: their objects are counted here, and slabinfo shows no line of their own (boot with slab_nomerge to see them apart).",
				],
			};
		}
		case 'partial': {
			const minPartial = figure(input.sysfs, 'min_partial');
			return {
				title,
				what: 'Node partial slabs: slabs on the per-node partial lists, neither full nor held by a CPU.',
				source:
					'/sys/kernel/slab/<cache>/partial (show_slab_objects(SO_PARTIAL), mm/slub.c): the sum of n->nr_partial. Not in /proc/slabinfo.',
				worked:
					row.partial === null
						? ['not known to this source (/sys/kernel/slab is not readable, or a slabinfo file)']
						: [
								`PARTIAL = ${n(row.partial)} of ${n(row.numSlabs)} slabs (${pct(row.partial, row.numSlabs)} %)`,
								`free objects on them (what active_objs subtracts) = ${n(free)}`,
								...(minPartial === null
									? []
									: [`min_partial = ${n(minPartial)}: empty slabs are kept on the list until it holds this many`]),
							],
				notes: ['Slabs on the per-CPU partial lists are not counted here (sysfs slabs_cpu_partial).'],
			};
		}
		case 'allocRate':
		case 'freeRate': {
			const isAlloc = column === 'allocRate';
			const rate = isAlloc ? input.rates?.allocPerSec : input.rates?.freePerSec;
			const total = isAlloc ? row.allocs : row.frees;
			return {
				title,
				what: `Objects ${isAlloc ? 'allocated' : 'freed'} per second of source time, between the last two samples.`,
				source: isAlloc
					? 'The simulator counts every kmem_cache_alloc: alloc_fastpath + alloc_slowpath (SLUB_STATS), less failures. /proc/slabinfo has no such counter.'
					: 'The simulator counts every kmem_cache_free: free_fastpath + free_slowpath (SLUB_STATS), bulk frees object by object. /proc/slabinfo has no such counter.',
				worked: [
					total === null
						? 'not known to this source: /proc/slabinfo counts no allocations (CONFIG_SLUB_STATS adds alloc_* and free_* files to sysfs)'
						: `${isAlloc ? 'allocations' : 'frees'} so far = ${n(total)}`,
					...(rate === null || rate === undefined
						? []
						: [`rate = Δ${isAlloc ? 'allocations' : 'frees'} / Δt = ${n(Math.round(rate))}/s`]),
					...(isAlloc && input.failures !== null && input.failures !== undefined
						? [`allocation failures (ENOMEM) so far = ${n(input.failures)}`]
						: []),
				],
				notes: [
					isAlloc
						? 'A paused simulator keeps the last rate on screen.'
						: 'FREE/s above ALLOC/s means the cache shrinks in objects; its slabs only go when they empty.',
				],
			};
		}
		case 'activity':
			return {
				title,
				what: 'A sparkline of active_objs over the last minute, one bar per sample, scaled to its own minimum and maximum.',
				source: 'slabtop-ts keeps the last minute of samples; the figure is the ACTIVE column.',
				worked: [`now: ${n(row.activeObjs)} active objects`],
				notes: ['Each line is scaled on its own: a flat line can hide a small change, a full swing a tiny one.'],
			};
	}
}

function explainHeader(input: ExplainInput, line: ExplainHeaderLine): Explanation {
	const t = computeTotals(input.rows);
	switch (line) {
		case 'objects':
			return {
				title: 'Active / Total Objects (% used)',
				what: 'active_objs and num_objs summed over every cache.',
				source: 'procps-ng slabtop: sums of the /proc/slabinfo columns (get_slabinfo() in mm/slub.c fills them).',
				worked: [`${n(t.activeObjs)} / ${n(t.numObjs)} = ${pct(t.activeObjs, t.numObjs)} %`],
				notes: ['Reads high for the same reason USE does: free objects held by CPUs count as active.'],
			};
		case 'slabs':
			return {
				title: 'Active / Total Slabs (% used)',
				what: 'active_slabs and num_slabs summed over every cache.',
				source:
					'get_slabinfo() (mm/slub.c) sets sinfo->active_slabs = nr_slabs: SLUB has no inactive slabs to report (the SLAB allocator did).',
				worked: [`${n(t.activeSlabs)} / ${n(t.numSlabs)} = ${pct(t.activeSlabs, t.numSlabs)} %`],
				notes: ['Always 100 % on SLUB, whatever the fragmentation: look at PARTIAL and USE instead.'],
			};
		case 'caches':
			return {
				title: 'Active / Total Caches (% used)',
				what: 'Caches with at least one object, and every cache listed in /proc/slabinfo.',
				source: 'procps-ng library/slabinfo.c counts a cache as active when num_objs > 0.',
				worked: [`${n(t.activeCaches)} / ${n(t.numCaches)} = ${pct(t.activeCaches, t.numCaches)} %`],
				notes: ['Merged caches (aliases) have no line of their own and are not counted.'],
			};
		case 'size':
			return {
				title: 'Active / Total Size (% used)',
				what: 'Σ active_objs × objsize and Σ num_objs × objsize over every cache.',
				source: 'procps-ng library/slabinfo.c.',
				worked: [
					`${kib(t.activeSize)} / ${kib(t.totalSize)} = ${pct(t.activeSize, t.totalSize)} %`,
					`pages held by all slabs: ${n(t.pages)} = ${kib(t.pages * PAGE_SIZE)}`,
				],
				notes: [
					'Leaves out the bytes a slab cannot use (the leftover after its last slot), so it is less than the pages the slabs hold.',
				],
			};
		case 'objectSizes':
			return {
				title: 'Minimum / Average / Maximum Object',
				what: 'The smallest and largest objsize of all caches, and the total size over the number of objects.',
				source: 'procps-ng library/slabinfo.c.',
				worked: [
					`min ${n(t.minObjSize)} B, average ${n(t.totalSize)} / ${n(t.numObjs)} = ${n(t.avgObjSize)} B, max ${n(t.maxObjSize)} B`,
				],
				notes: ['The sizes are slot sizes (s->size), metadata and alignment included.'],
			};
	}
}

/** The explanation of a table column for one cache, or of a header line. */
export function explain(input: ExplainInput): Explanation {
	if (input.target.kind === 'header') return explainHeader(input, input.target.line);
	if (input.row === null) {
		return {
			title: COLUMN_TITLES[input.target.column],
			what: 'No cache is selected.',
			source: '',
			worked: [],
			notes: [],
		};
	}
	return explainColumn(input, input.target.column, input.row);
}

/** An explanation as lines of text (the view and tests). */
export function explanationLines(x: Explanation): string[] {
	return [
		x.title,
		'',
		`What: ${x.what}`,
		...(x.source === '' ? [] : [`Kernel: ${x.source}`]),
		...(x.worked.length === 0 ? [] : ['', 'Here:', ...x.worked.map(line => `  ${line}`)]),
		...(x.notes.length === 0 ? [] : ['', ...x.notes.map(line => `Note: ${line}`)]),
	];
}
