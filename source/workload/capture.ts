// A capture of a running machine's slab allocator (`slabtop-ts --capture FILE`): the kernel
// release, CPU count and page size, the /proc/slabinfo text, and per cache directory of
// /sys/kernel/slab/ the figures needed to re-create the cache (what its creator passed to
// kmem_cache_create) and to rebuild its state (slabs, objects, partial, objects_partial,
// cpu_slabs, total_objects, and each CPU's partial-slab count from slabs_cpu_partial).
// Pure: reading the live files is source/sources/capture-read.ts's job; booting from a capture
// is boot-capture.ts's. Main entries: parseCapture(), creatorRequest().
//
// File format: one JSON document
//   {"format": "slabtop-ts capture 1", "kernelRelease": "6.18.44-…", "cpus": 2, "pageSize": 4096,
//    "capturedAt": "2026-11-29", "command": "slabtop-ts --capture FILE",
//    "slabinfo": "<the /proc/slabinfo text>",
//    "caches": [{"name": "dentry", "dir": "dentry", "members": [], "object_size": 192, …,
//                "ctor": "", "slabs": 5144, "objects": 107887, "partial": 19,
//                "objects_partial": 262, "cpu_slabs": 21, "total_objects": 108024,
//                "cpu_partial_slabs": [11, 8]}, …]}
// Caches are in /proc/slabinfo order (the reverse of creation order); `name` is the slabinfo
// name (the first creator), `dir` the sysfs directory, `members` the creator names whose sysfs
// symlinks point at it (merged caches).

import {
	SLAB_ACCOUNT,
	SLAB_CACHE_DMA,
	SLAB_CACHE_DMA32,
	SLAB_CONSISTENCY_CHECKS,
	SLAB_KMALLOC,
	SLAB_NEVER_MERGE,
	SLAB_NO_MERGE,
	SLAB_RECLAIM_ACCOUNT,
	SYSFS_FLAG_BITS,
	SYSFS_FLAG_FILES,
	type SysfsFlagFile,
} from '../engine/flags.js';
import {err, ok, type Failure, type Result} from '../result.js';

export const CAPTURE_FORMAT = 'slabtop-ts capture 1';

/** Layout attribute files, read once per cache directory. */
export const CAPTURE_LAYOUT_FILES = [
	'object_size',
	'slab_size',
	'align',
	'order',
	'objs_per_slab',
	'min_partial',
	'cpu_partial',
	'sheaf_capacity',
	'aliases',
	'usersize',
] as const;

/** State files: what the boot rebuilds (sysfs show_slab_objects() totals). */
export const CAPTURE_STATE_FILES = [
	'slabs',
	'objects',
	'partial',
	'objects_partial',
	'cpu_slabs',
	'total_objects',
] as const;

type NumberFields = (typeof CAPTURE_LAYOUT_FILES)[number] | SysfsFlagFile | (typeof CAPTURE_STATE_FILES)[number];

export type CaptureCache = {
	name: string;
	dir: string;
	members: string[];
	ctor: string; // `symbol+0x0/0x40`, or '' without a constructor
	/** Slabs on each CPU's partial list (slabs_cpu_partial `C<n>=objects(slabs)`), index = CPU. */
	cpu_partial_slabs: number[];
} & Record<NumberFields, number>;

export type Capture = {
	format: string;
	kernelRelease: string;
	cpus: number;
	pageSize: number;
	capturedAt: string;
	command: string;
	slabinfo: string;
	caches: CaptureCache[];
};

export type CaptureResult = Result<Capture, Failure<'capture'>>;

class CaptureError extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function count(o: Record<string, unknown>, key: string, where: string): number {
	const v = o[key];
	if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
		throw new CaptureError(`${where}.${key}: must be a whole number ≥ 0, not ${JSON.stringify(v) ?? 'nothing'}`);
	}
	return v;
}

function text(o: Record<string, unknown>, key: string, where: string): string {
	const v = o[key];
	if (typeof v !== 'string')
		throw new CaptureError(`${where}.${key}: must be a string, not ${JSON.stringify(v) ?? 'nothing'}`);
	return v;
}

function cacheOf(v: unknown, where: string, cpus: number): CaptureCache {
	if (!isRecord(v)) throw new CaptureError(`${where}: must be an object`);
	const members = v['members'];
	if (!Array.isArray(members) || !members.every(m => typeof m === 'string'))
		throw new CaptureError(`${where}.members: must be a list of names`);
	const perCpu = v['cpu_partial_slabs'];
	if (!Array.isArray(perCpu) || perCpu.length !== cpus || !perCpu.every(n => Number.isInteger(n) && n >= 0)) {
		throw new CaptureError(`${where}.cpu_partial_slabs: must list ${cpus} whole numbers, one per CPU`);
	}
	const c = {
		name: text(v, 'name', where),
		dir: text(v, 'dir', where),
		members,
		ctor: text(v, 'ctor', where),
		cpu_partial_slabs: perCpu as number[],
	} as CaptureCache;
	for (const key of [...CAPTURE_LAYOUT_FILES, ...SYSFS_FLAG_FILES, ...CAPTURE_STATE_FILES])
		c[key] = count(v, key, where);
	return c;
}

/** JSON text → Capture, or one line naming the field that is wrong. `file` names it in messages. */
export function parseCapture(json: string, file: string): CaptureResult {
	let value: unknown;
	try {
		value = JSON.parse(json);
	} catch (error) {
		return err(
			'capture',
			`${file}: not a capture (not JSON: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
		);
	}
	return checkCapture(value, file);
}

/** A parsed JSON value → Capture, or one line naming the field that is wrong. */
export function checkCapture(value: unknown, file: string): CaptureResult {
	try {
		if (!isRecord(value)) throw new CaptureError('not a JSON object');
		const format = text(value, 'format', 'capture');
		if (format !== CAPTURE_FORMAT) throw new CaptureError(`format "${format}" is not "${CAPTURE_FORMAT}"`);
		const cpus = count(value, 'cpus', 'capture');
		if (cpus < 1) throw new CaptureError('cpus: must be at least 1');
		const pageSize = count(value, 'pageSize', 'capture');
		const caches = value['caches'];
		if (!Array.isArray(caches) || caches.length === 0) throw new CaptureError('caches: must be a non-empty list');
		return ok({
			format,
			kernelRelease: text(value, 'kernelRelease', 'capture'),
			cpus,
			pageSize,
			capturedAt: text(value, 'capturedAt', 'capture'),
			command: text(value, 'command', 'capture'),
			slabinfo: text(value, 'slabinfo', 'capture'),
			caches: caches.map((c, i) => cacheOf(c, `caches[${i}]`, cpus)),
		});
	} catch (error) {
		if (error instanceof CaptureError) return err('capture', `${file}: ${error.message}`);
		throw error;
	}
}

/** The kernel release's major.minor ("6.18" of "6.18.44-fc-v669"), or null. */
export function kernelVersion(release: string): string | null {
	const m = /^(\d+)\.(\d+)/.exec(release);
	return m ? `${m[1]}.${m[2]}` : null;
}

/** The kernel the model follows. */
export const MODEL_KERNEL = '6.18';

// What each creator passed to kmem_cache_create(), inferred from sysfs (mm/slub.c calculate_sizes, mm/slab_common.c;
// the rules test/engine/layout-fixture.test.ts checks on every cache of a 6.18 machine).

/** Creators that ask for more alignment than their flags give, and where the request comes from. */
export const EXPLICIT_ALIGN: Readonly<Record<string, number>> = {
	task_struct: 64, // kernel/fork.c fork_init(): max(L1_CACHE_BYTES, ARCH_MIN_TASKALIGN)
	maple_node: 256, // lib/maple_tree.c maple_tree_init(): args.align = sizeof(struct maple_node)
	kvm_vcpu: 16, // virt/kvm/kvm_main.c kvm_init(): __alignof__ of the vendor vcpu struct
	x86_emulator: 16, // arch/x86/kvm/x86.c kvm_alloc_emulator_cache()
	net_namespace: 64, // net/core/net_namespace.c net_ns_init(): SMP_CACHE_BYTES
	task_group: 64, // kernel/sched/core.c sched_init(): cacheline-aligned members
	pool_workqueue: 256, // kernel/workqueue.c: __aligned(1 << WORK_STRUCT_PWQ_SHIFT)
};

/** In-object free pointers: args.freeptr_offset of the TYPESAFE_BY_RCU creators (§5.3, offsets from BTF). */
export const FREEPTR_OFFSET: Readonly<Record<string, number>> = {filp: 144, bfilp: 184, vm_area_struct: 0};

/** create_boot_cache() caches: refcount -1, never merged. */
const BOOT_CACHE_NAMES = new Set(['kmem_cache', 'kmem_cache_node']);

const KMALLOC_NAME = /^(?:kmalloc-(?:rcl-|cg-)?|dma-kmalloc-)\d+k?$/;

const TAG_FLAGS: ReadonlyArray<readonly [string, number]> = [
	['d', SLAB_CACHE_DMA],
	['D', SLAB_CACHE_DMA32],
	['a', SLAB_RECLAIM_ACCOUNT],
	['F', SLAB_CONSISTENCY_CHECKS],
	['A', SLAB_ACCOUNT],
];

/** Whether sysfs names the cache as mergeable (`:` + tags + size) rather than by its creator. */
export const isMergedDir = (c: Pick<CaptureCache, 'dir'>): boolean => c.dir.startsWith(':');

/** A cache's directory name and flag files, as in a capture or a sysfs fixture. */
export type CaptureFlagFields = Pick<CaptureCache, 'dir' | SysfsFlagFile>;

/** The flag bits sysfs shows for a cache: its flag files plus the tags of a `:tags-0000size` name. */
export function captureFlags(c: CaptureFlagFields): number {
	let flags = 0;
	for (const file of SYSFS_FLAG_FILES) if (c[file]) flags |= SYSFS_FLAG_BITS[file];
	const tags = /^:([dDaFA]*)-?\d{7}$/.exec(c.dir)?.[1] ?? '';
	for (const [tag, bit] of TAG_FLAGS) if (tags.includes(tag)) flags |= bit;
	return flags;
}

export type CreatorRequest = {
	size: number;
	align: number;
	flags: number;
	ctorName: string | null;
	freeptrOffset: number;
	usersize: number;
	sheafCapacity: number;
	isBoot: boolean;
};

/**
 * What the creator of a captured cache passed to kmem_cache_create(): object_size (for a merged
 * cache the largest member's, which rounds to the same slot), the alignment rules above, the
 * flags sysfs shows (plus KMALLOC for kmalloc caches, and NO_MERGE for a cache sysfs lists by
 * its own name although nothing it shows would stop a merge), the constructor's symbol.
 */
export function creatorRequest(c: CaptureCache): CreatorRequest {
	const isKmalloc = KMALLOC_NAME.test(c.name);
	const isBoot = BOOT_CACHE_NAMES.has(c.name);
	let flags = captureFlags(c) | (isKmalloc ? SLAB_KMALLOC : 0);
	// mm/slab_common.c new_kmalloc_cache(): with CONFIG_MEMCG (kmalloc-cg-* caches exist), the
	// KMALLOC_NORMAL caches get SLAB_NO_MERGE, which sysfs does not show.
	if (/^kmalloc-\d+k?$/.test(c.name)) flags |= SLAB_NO_MERGE;
	const isUnmergeable = c.ctor !== '' || c.usersize > 0 || c.sheaf_capacity > 0 || (flags & SLAB_NEVER_MERGE) !== 0;
	if (!isMergedDir(c) && !isBoot && !isUnmergeable) flags |= SLAB_NO_MERGE;
	return {
		size: c.object_size,
		align: isKmalloc ? c.object_size & -c.object_size : (EXPLICIT_ALIGN[c.name] ?? 0),
		flags,
		ctorName: c.ctor === '' ? null : c.ctor.split('+')[0],
		freeptrOffset: FREEPTR_OFFSET[c.name] ?? -1,
		usersize: c.usersize,
		sheafCapacity: c.sheaf_capacity,
		isBoot,
	};
}
