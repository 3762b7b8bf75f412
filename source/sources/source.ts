// The seam between data and UI: every source of statistics (the simulator, /proc/slabinfo, a
// saved file) produces the same Sample shape. The UI, the --once printer and the JSON printer
// only ever see a Sample.

import type {Result} from '../result.js';
import type {BuddyZone} from './buddyinfo-parse.js';
//
// Field names follow /proc/slabinfo's header (active_objs → activeObjs, …) so the parser, the
// engine snapshot and the table columns line up.

/** One row of /proc/slabinfo, plus what a richer source knows. */
export type CacheRow = {
	/** The cache's name as text: safe to print on a terminal (see slabinfo-parse.ts displayName). */
	name: string;
	/**
	 * The name's bytes (one character per byte) where they differ from `name`: a slabinfo file
	 * with control characters or non-ASCII bytes in a name. The --once report prints these, as
	 * slabtop does.
	 */
	nameBytes?: string;
	activeObjs: number; // <active_objs>
	numObjs: number; // <num_objs>
	objSize: number; // <objsize>: the slot size (sysfs slab_size), not object_size
	objsPerSlab: number; // <objperslab>
	pagesPerSlab: number; // <pagesperslab>
	activeSlabs: number; // <active_slabs>
	numSlabs: number; // <num_slabs>
	/** SLAB-style tunables and sharedavail as the file gave them (all 0 under SLUB). */
	limit: number;
	batchCount: number;
	sharedFactor: number;
	sharedAvail: number;
	/** Node partial slabs (sysfs `partial`), or null when the source cannot tell. */
	partial: number | null;
	/** Cumulative allocations and frees since the source started, or null when unknown. */
	allocs: number | null;
	frees: number | null;
	/** Failed allocations (ENOMEM) since the source started, where the source knows them. */
	allocFail?: number;
	/**
	 * What /sys/kernel/slab/<cache>/ shows, keyed by the sysfs file names (object_size,
	 * slab_size, order, …, alloc_fastpath, …): numbers, text, or lists (flags, aliases).
	 * Only sources that know it set it (the simulator); see report/json.ts for the keys.
	 */
	sysfs?: SysfsFigures;
	/**
	 * Fields that are estimates, not read: a Prometheus source with only node_exporter's
	 * slabinfo series has no slab counts (cache size, derived from them, is then an estimate too).
	 */
	estimated?: readonly EstimatedField[];
	/**
	 * Allocations and frees per second as the source computed them (Prometheus: PromQL rate() of
	 * the SLUB_STATS counters); the screen then shows these rather than differences of
	 * allocs/frees between samples.
	 */
	rates?: {allocPerSec: number | null; freePerSec: number | null};
	/**
	 * Active objects over the last minute as the source recorded them, oldest first
	 * (Prometheus: a query_range), for the sparkline from the first frame on.
	 */
	trend?: ReadonlyArray<{timeMs: number; value: number}>;
};

export type EstimatedField = 'activeSlabs' | 'numSlabs';

export {SYSFS_FLAG_FILES} from '../engine/flags.js';

export type SysfsValue = number | string | readonly string[];
export type SysfsFigures = Readonly<Record<string, SysfsValue>>;

export type SourceKind = 'sim' | 'kernel' | 'file' | 'prometheus';

export type Sample = {
	kind: SourceKind;
	/** What to show as the source: `sim`, `/proc/slabinfo`, or the file's path. */
	label: string;
	/** Increases with every new sample; views memoise on it. */
	version: number;
	/** Milliseconds of source time at which the sample was taken (simulated time for sim). */
	timeMs: number;
	/** Rows in the source's own order (file order for slabinfo: ties keep it). */
	rows: readonly CacheRow[];
	/** What the kernel source knows about the running kernel (absent for other sources). */
	kernel?: KernelInfo;
};

export type KernelInfo = {
	/** `uname -r`, or null when /proc/sys/kernel/osrelease cannot be read. */
	release: string | null;
	/**
	 * Linux 7.0 and later: per-CPU slabs and partial lists are gone (cpu_slabs and cpu_partial
	 * read 0); each CPU allocates from sheaves of objects, refilled from the node's barn.
	 */
	hasSheaves: boolean;
	/** Whether /sys/kernel/slab has SLUB_STATS counter files (CONFIG_SLUB_STATS); null until looked for. */
	hasSlubStats: boolean | null;
	/** Files under /sys/kernel/slab this sample read. */
	sysfsFilesRead: number;
	/** /proc/buddyinfo's zones when the sample was asked to read it (the memory view), else null. */
	buddyinfo: BuddyZone[] | null;
	/** Why /proc/buddyinfo could not be read, when it was asked for. */
	buddyinfoError: string | null;
};

export type SourceErrorKind =
	| 'permission-denied'
	| 'not-found'
	| 'unreadable'
	| 'unsupported-version'
	| 'malformed-line'
	/** A Prometheus server: not reachable, a refused query or a malformed answer, or no slab series. */
	| 'unreachable'
	| 'query-error'
	| 'no-data';

export type SourceError = {
	kind: SourceErrorKind;
	/** The file the error is about (a Prometheus source: the server's URL). */
	file: string;
	/** 1-based line number for parse errors. */
	line?: number;
	/** One line for the user, naming the file (and line). */
	message: string;
};

export type SampleResult = Result<Sample, SourceError>;

export type SlabSource = {
	readonly kind: SourceKind;
	readonly label: string;
	/** Take a fresh sample (re-reads files, or snapshots the simulator). */
	sample(): SampleResult;
};
