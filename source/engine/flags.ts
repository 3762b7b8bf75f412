// SLAB_* cache flags (include/linux/slab.h), bit numbers as in 6.18 (verified in BTF).

export const SLAB_CONSISTENCY_CHECKS = 1 << 0; // F
export const SLAB_RED_ZONE = 1 << 1; // Z
export const SLAB_POISON = 1 << 2; // P
export const SLAB_KMALLOC = 1 << 3;
export const SLAB_HWCACHE_ALIGN = 1 << 4;
export const SLAB_CACHE_DMA = 1 << 5;
export const SLAB_CACHE_DMA32 = 1 << 6;
export const SLAB_STORE_USER = 1 << 7; // U
export const SLAB_PANIC = 1 << 8;
export const SLAB_TYPESAFE_BY_RCU = 1 << 9;
export const SLAB_TRACE = 1 << 10; // T
export const SLAB_NOLEAKTRACE = 1 << 11;
export const SLAB_NO_MERGE = 1 << 12;
export const SLAB_ACCOUNT = 1 << 13;
export const SLAB_NO_USER_FLAGS = 1 << 14;
export const SLAB_RECLAIM_ACCOUNT = 1 << 15;
export const SLAB_OBJECT_POISON = 1 << 16; // internal
export const SLAB_CMPXCHG_DOUBLE = 1 << 17; // internal
export const SLAB_NO_OBJ_EXT = 1 << 18;

export const SLAB_DEBUG_FLAGS = SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE;

/** Flags that stop a cache from being merged (SLAB_NEVER_MERGE, 6.18: without F). */
export const SLAB_NEVER_MERGE =
	SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE | SLAB_TYPESAFE_BY_RCU | SLAB_NOLEAKTRACE | SLAB_NO_MERGE;

/** Flags whose bits must agree for a merge (SLAB_MERGE_SAME). */
export const SLAB_MERGE_SAME = SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | SLAB_ACCOUNT;

/** User-facing flag names, as typed in `create … flags=A|B` and shown in the detail view. */
export const FLAG_NAMES: ReadonlyArray<readonly [string, number]> = [
	['CONSISTENCY_CHECKS', SLAB_CONSISTENCY_CHECKS],
	['RED_ZONE', SLAB_RED_ZONE],
	['POISON', SLAB_POISON],
	['KMALLOC', SLAB_KMALLOC],
	['HWCACHE_ALIGN', SLAB_HWCACHE_ALIGN],
	['CACHE_DMA', SLAB_CACHE_DMA],
	['CACHE_DMA32', SLAB_CACHE_DMA32],
	['STORE_USER', SLAB_STORE_USER],
	['PANIC', SLAB_PANIC],
	['TYPESAFE_BY_RCU', SLAB_TYPESAFE_BY_RCU],
	['TRACE', SLAB_TRACE],
	['NOLEAKTRACE', SLAB_NOLEAKTRACE],
	['NO_MERGE', SLAB_NO_MERGE],
	['ACCOUNT', SLAB_ACCOUNT],
	['NO_USER_FLAGS', SLAB_NO_USER_FLAGS],
	['RECLAIM_ACCOUNT', SLAB_RECLAIM_ACCOUNT],
	['NO_OBJ_EXT', SLAB_NO_OBJ_EXT],
];

/** `SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT` style names of a flag word (internal bits left out). */
export function flagNames(flags: number): string[] {
	const out: string[] = [];
	for (const [name, bit] of FLAG_NAMES) if (flags & bit) out.push(name);
	return out;
}

/** Parse `HWCACHE_ALIGN|ACCOUNT` (with or without SLAB_ prefixes). Returns the word or the bad name. */
export function parseFlagNames(text: string): {ok: true; flags: number} | {ok: false; bad: string} {
	let flags = 0;
	for (const raw of text.split('|')) {
		const name = raw
			.trim()
			.toUpperCase()
			.replace(/^SLAB_/, '');
		if (name === '') continue;
		const hit = FLAG_NAMES.find(([n]) => n === name);
		if (!hit) return {ok: false, bad: raw.trim()};
		flags |= hit[1];
	}
	return {ok: true, flags};
}

/**
 * The `slub_debug=` letters and the flag each enables (mm/slub.c parse_slub_debug_flags(), in
 * the order the kernel documents them); no letters means DEBUG_DEFAULT_FLAGS (F Z P U).
 */
export const SLUB_DEBUG_LETTERS: ReadonlyArray<readonly [string, number]> = [
	['F', SLAB_CONSISTENCY_CHECKS],
	['Z', SLAB_RED_ZONE],
	['P', SLAB_POISON],
	['U', SLAB_STORE_USER],
	['T', SLAB_TRACE],
];
export const SLUB_DEBUG_DEFAULT_FLAGS = SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER;

/**
 * The 0/1 flag files of /sys/kernel/slab/<cache>/ (mm/slub.c, the *_show attributes) and the
 * SLAB_* bit each shows, in the order the detail view lists them.
 */
export const SYSFS_FLAG_BITS = {
	hwcache_align: SLAB_HWCACHE_ALIGN,
	reclaim_account: SLAB_RECLAIM_ACCOUNT,
	cache_dma: SLAB_CACHE_DMA,
	destroy_by_rcu: SLAB_TYPESAFE_BY_RCU,
	poison: SLAB_POISON,
	red_zone: SLAB_RED_ZONE,
	store_user: SLAB_STORE_USER,
	sanity_checks: SLAB_CONSISTENCY_CHECKS,
	trace: SLAB_TRACE,
} as const;
export type SysfsFlagFile = keyof typeof SYSFS_FLAG_BITS;
export const SYSFS_FLAG_FILES = Object.keys(SYSFS_FLAG_BITS) as readonly SysfsFlagFile[];
