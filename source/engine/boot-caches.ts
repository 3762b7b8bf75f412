// The caches a real Linux 6.18 x86-64 machine has after boot, in creation order, for the simulator to
// create with kmem_cache_create() semantics (merging included). Main export: BOOT_CACHES.
//
// Based on the sysfs snapshot test/fixtures/sysfs/slab-6.18.44-fc-v445-2cpu.json (2 CPUs, 235 caches):
// - creation order: the reverse of /proc/slabinfo order, which is the order of the snapshot rows;
//   kmalloc families as mm/slab_common.c create_kmalloc_caches() makes them (kmem_cache, kmem_cache_node, then per type normal,
//   rcl, dma, cg the sizes 96, 192, 8 … 8k, then kmalloc_buckets);
// - objectSize: sysfs object_size of the creator's own cache; where the snapshot row is a merged cache
//   (object_size raised to its largest member) or the creator is an alias, the creator's struct size
//   from the kernel's BTF (/sys/kernel/btf/vmlinux), marked `BTF` below;
// - flags: HWCACHE_ALIGN, TYPESAFE_BY_RCU, RECLAIM_ACCOUNT from the sysfs flag files, ACCOUNT from the
//   `A` tag of merged caches' names (unmergeable caches do not show it, and for them it changes neither
//   layout nor merging), NO_MERGE where the kernel passes it to an otherwise mergeable cache; SLAB_PANIC
//   and other flags without effect on the model are left out. Aliases (cred, fs_cache) carry the
//   flags their creators pass in kernel/cred.c and kernel/fork.c;
// - align: the explicit requests (task_struct, maple_node, …; sources in test/engine/layout-fixture.test.ts);
// - usersize, sheafCapacity, hasCtor: the sysfs files; freeptrOffset: the offset mm/slub.c calculate_sizes() gives (mid-object, or after it);
// - preload: active_objs in that machine's /proc/slabinfo at capture time (total slot memory about
//   38 MiB, under the 64 MiB budget). A merged cache's count goes to its first creator; an alias
//   preloads 0 because its objects are counted in the cache it shares.

import {
	SLAB_ACCOUNT,
	SLAB_CACHE_DMA,
	SLAB_HWCACHE_ALIGN,
	SLAB_KMALLOC,
	SLAB_NO_MERGE,
	SLAB_RECLAIM_ACCOUNT,
	SLAB_TYPESAFE_BY_RCU,
} from './flags.js';

/** One kmem_cache_create() call of the boot sequence. */
export type BootCache = {
	readonly name: string;
	readonly objectSize: number; // size argument (bytes)
	readonly align: number; // requested alignment, 0 = none
	readonly flags: number; // SLAB_* as the creator passes them
	readonly hasCtor: boolean;
	readonly freeptrOffset: number; // args.freeptr_offset (in-object free pointer), -1 = none
	readonly usersize: number; // hardened-usercopy window size, 0 = none (non-zero prevents merging)
	readonly sheafCapacity: number; // args.sheaf_capacity, 0 = no sheaves
	readonly isBootCache: boolean; // created by create_boot_cache(): refcount -1, never merged into
	readonly preload: number; // objects live on a running 2-CPU machine
};

type Extra = Partial<Pick<BootCache, 'align' | 'hasCtor' | 'freeptrOffset' | 'usersize' | 'sheafCapacity' | 'isBootCache'>>;

function named(name: string, objectSize: number, flags: number, preload: number, extra: Extra = {}): BootCache {
	return {
		name,
		objectSize,
		align: extra.align ?? 0,
		flags,
		hasCtor: extra.hasCtor ?? false,
		freeptrOffset: extra.freeptrOffset ?? -1,
		usersize: extra.usersize ?? 0,
		sheafCapacity: extra.sheafCapacity ?? 0,
		isBootCache: extra.isBootCache ?? false,
		preload,
	};
}

/** kmalloc sizes in creation order (create_kmalloc_caches(): 96 and 192 first). */
export const KMALLOC_SIZES: readonly number[] = [96, 192, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192];

/** The four kmalloc types in creation order: name prefix and the flag the type adds (§6). */
export const KMALLOC_TYPES: ReadonlyArray<{readonly prefix: string; readonly flags: number}> = [
	{prefix: 'kmalloc-', flags: SLAB_NO_MERGE}, // KMALLOC_NORMAL: unmergeable with MEMCG=y
	{prefix: 'kmalloc-rcl-', flags: SLAB_RECLAIM_ACCOUNT},
	{prefix: 'dma-kmalloc-', flags: SLAB_CACHE_DMA},
	{prefix: 'kmalloc-cg-', flags: SLAB_ACCOUNT},
];

/** `kmalloc-8k` style names: sizes from 1024 up are written in k. */
export const kmallocName = (prefix: string, size: number): string =>
	`${prefix}${size >= 1024 ? `${size / 1024}k` : size}`;

/** Live kmalloc objects at capture time (active_objs); caches not listed had none. */
const KMALLOC_PRELOAD: Readonly<Record<string, number>> = {
	'kmalloc-96': 3386,
	'kmalloc-192': 1617,
	'kmalloc-8': 2048,
	'kmalloc-16': 2032,
	'kmalloc-32': 1161,
	'kmalloc-64': 1810,
	'kmalloc-128': 1952,
	'kmalloc-256': 784,
	'kmalloc-512': 965,
	'kmalloc-1k': 727,
	'kmalloc-2k': 272,
	'kmalloc-4k': 324,
	'kmalloc-8k': 32,
	'kmalloc-rcl-96': 378,
	'kmalloc-rcl-192': 294,
	'kmalloc-cg-96': 84,
	'kmalloc-cg-192': 252,
	'kmalloc-cg-8': 1024,
	'kmalloc-cg-16': 512,
	'kmalloc-cg-32': 256,
	'kmalloc-cg-64': 192,
	'kmalloc-cg-128': 96,
	'kmalloc-cg-256': 80,
	'kmalloc-cg-512': 160,
	'kmalloc-cg-1k': 105,
	'kmalloc-cg-2k': 176,
	'kmalloc-cg-4k': 72,
	'kmalloc-cg-8k': 8,
};

/** create_kmalloc_caches(): 52 caches, aligned to the largest power of two dividing the size, usercopy = whole object. */
function kmallocCaches(): BootCache[] {
	const out: BootCache[] = [];
	for (const type of KMALLOC_TYPES) {
		for (const size of KMALLOC_SIZES) {
			const name = kmallocName(type.prefix, size);
			out.push(named(name, size, SLAB_KMALLOC | type.flags, KMALLOC_PRELOAD[name] ?? 0, {align: size & -size, usersize: size}));
		}
	}
	return out;
}

const HW = SLAB_HWCACHE_ALIGN;
const RCU = SLAB_TYPESAFE_BY_RCU;
const RCL = SLAB_RECLAIM_ACCOUNT;
const ACCT = SLAB_ACCOUNT;

/** Every boot cache, in creation order; demo_objects (the kmem_cache_demo module) comes last. */
export const BOOT_CACHES: readonly BootCache[] = [
	named('kmem_cache', 232, HW, 256, {isBootCache: true}), // 224 + 8 * nr_node_ids
	named('kmem_cache_node', 72, HW, 256, {isBootCache: true}),
	...kmallocCaches(),
	named('kmalloc_buckets', 112, SLAB_NO_MERGE, 36),
	named('vmap_area', 72, 0, 3752),
	named('mm_struct', 1568, HW, 40, {usersize: 448}),
	named('maple_node', 256, 0, 597, {align: 256, sheafCapacity: 32}),
	named('task_group', 704, 0, 46, {align: 64}),
	named('radix_tree_node', 576, RCL, 8855, {hasCtor: true}),
	named('pool_workqueue', 512, 0, 208, {align: 256}),
	named('ftrace_event_field', 56, 0, 8428),
	named('trace_event_file', 96, 0, 2352),
	named('perf_event', 1352, 0, 12),
	named('numa_policy', 288, 0, 14),
	named('shared_policy_node', 48, 0, 255),
	named('pid', 160, HW | ACCT, 378), // BTF struct pid + one struct upid; merged cache object_size 184
	named('cred', 184, HW | ACCT, 0), // BTF struct cred; merges into pid's cache (:A-0000192)
	named('anon_vma', 96, RCU, 477, {hasCtor: true}),
	named('anon_vma_chain', 64, ACCT, 336),
	named('task_struct', 4240, 0, 90, {align: 64, usersize: 848}),
	named('sighand_cache', 2080, HW | RCU, 105, {hasCtor: true}),
	named('signal_cache', 1144, HW | ACCT, 133), // BTF struct signal_struct; merged cache object_size 1152
	named('files_cache', 704, HW | ACCT, 46),
	named('fs_cache', 56, HW | ACCT, 0), // BTF struct fs_struct; merges into anon_vma_chain's cache (:A-0000064)
	named('vm_area_struct', 192, HW | RCU, 699, {freeptrOffset: 0, sheafCapacity: 32}),
	named('nsproxy', 72, ACCT, 112),
	named('uts_namespace', 488, 0, 0, {usersize: 390}),
	named('key_jar', 216, HW, 144), // BTF struct key; merged cache object_size 256
	named('net_namespace', 4288, ACCT, 0, {align: 64}),
	named('names_cache', 4096, HW, 16, {usersize: 4096}),
	named('dentry', 192, RCL, 21987, {usersize: 40}),
	named('inode_cache', 616, RCL, 5304, {hasCtor: true}),
	named('filp', 184, HW | RCU, 487, {freeptrOffset: 144}),
	named('bfilp', 208, HW | RCU, 0, {freeptrOffset: 184}),
	named('mnt_cache', 352, HW | ACCT, 168), // BTF struct mount; merged cache object_size 384
	named('kernfs_node_cache', 136, 0, 17011),
	named('shmem_inode_cache', 744, 0, 168, {hasCtor: true}),
	named('bdev_cache', 1520, HW | RCL, 21, {hasCtor: true}),
	named('sigqueue', 80, ACCT, 102),
	named('seq_file', 120, ACCT, 68),
	named('proc_inode_cache', 688, RCL, 475, {hasCtor: true}),
	named('pde_opener', 40, ACCT, 204),
	named('proc_dir_entry', 192, 0, 357, {usersize: 24}),
	named('task_delay_info', 256, ACCT, 32),
	named('buffer_head', 104, RCL, 3124),
	named('file_lock_cache', 192, 0, 42),
	named('skbuff_head_cache', 224, HW, 416, {usersize: 48}),
	named('skbuff_small_head', 576, HW, 98, {usersize: 256}),
	named('sock_inode_cache', 768, HW | RCL, 76, {hasCtor: true}),
	named('uid_cache', 128, HW, 32),
	named('user_namespace', 672, ACCT, 0),
	named('eventpoll_epi', 120, HW | ACCT, 192), // BTF struct epitem; merged cache object_size 128
	named('ep_head', 16, ACCT, 512),
	named('TCP', 2304, HW | RCU, 52),
	named('request_sock_TCP', 312, RCU, 24),
	named('tw_sock_TCP', 248, RCU, 32),
	named('UDP', 1344, HW | ACCT, 24),
	named('mb_cache_entry', 56, RCL, 0),
	named('extent_status', 40, RCL, 22533),
	named('ext4_inode_cache', 1120, RCL, 12236, {hasCtor: true, usersize: 60}),
	named('jbd2_journal_head', 112, RCU | RCL, 0),
	named('demo_objects', 128, HW, 0, {hasCtor: true}), // kmem_cache_demo: kmem_cache_create("demo_objects", 128, 0, SLAB_HWCACHE_ALIGN, ctor)
];
