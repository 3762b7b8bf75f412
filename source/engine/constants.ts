// Engine constants, named as in the kernel (mm/slub.c, include/linux/slab.h). Linux 6.18, x86-64.

/** Simulated milliseconds per tick: the machine's clock, which workload rates, lifetimes and trace timestamps count in. */
export const MS_PER_TICK = 10;

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT; // 4096
export const WORD = 8; // sizeof(void *): free pointer and red-zone word
export const CACHE_LINE = 64; // cache_line_size(), used by SLAB_HWCACHE_ALIGN
export const ARCH_SLAB_MINALIGN = 8;
export const MAX_PAGE_ORDER = 10; // buddy orders 0..10
export const SLAB_MAX_ORDER = 3; // PAGE_ALLOC_COSTLY_ORDER, default slab_max_order
export const SLAB_MIN_ORDER = 0;
export const MAX_OBJS_PER_SLAB = 32767; // slab->objects is 15 bits
export const MIN_PARTIAL = 5;
export const MAX_PARTIAL = 10;
export const TRACK_SIZE = 32; // sizeof(struct track) with stack depot
export const SHRINK_PROMOTE_MAX = 32;

/** Ends every list and stands for "no slab / no object / no frame" (NULL). */
export const NIL = -1;

export const POISON_INUSE = 0x5a;
export const POISON_FREE = 0x6b;
export const POISON_END = 0xa5;
export const SLUB_RED_INACTIVE = 0xbb;
export const SLUB_RED_ACTIVE = 0xcc;

/** Largest simulated memory: addresses are byte offsets held in Int32 (NIL = -1). */
export const MAX_MEMORY_BYTES = 2 ** 31;
export const DEFAULT_MEMORY_BYTES = 512 * 2 ** 20;
export const DEFAULT_CPUS = 2;
export const MAX_CPUS = 64;
