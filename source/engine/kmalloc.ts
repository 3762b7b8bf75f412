// kmalloc and its family over the simulated SLUB (Linux 6.18, include/linux/slab.h, mm/slub.c,
// mm/slab_common.c): the size classes (kmalloc_index: 8 … 8k plus 96 and 192), the cache type a
// gfp mask selects (kmalloc_type: normal, rcl-, dma-, cg-), large kmalloc above
// KMALLOC_MAX_CACHE_SIZE as compound pages straight from the buddy allocator, kfree, krealloc
// with 6.18's orig_size and kmalloc red zone, and kzalloc (__GFP_ZERO). Main entries:
// kmallocIndex(), kmallocCacheName(), kmalloc(), kfreeAny(), krealloc(), ksize().
//
// The kmalloc caches are the ones the machine booted (boot-caches.ts names them); an engine
// without them answers kmalloc with NIL and the reason in an event.

import {
	MAX_PAGE_ORDER,
	NIL,
	PAGE_SHIFT,
	PAGE_SIZE,
	POISON_END,
	POISON_FREE,
	SLUB_RED_ACTIVE,
	TRACK_SIZE,
} from './constants.js';
import {allocObject} from './alloc.js';
import {type Engine, pushEvent} from './engine.js';
import {SLAB_KMALLOC, SLAB_OBJECT_POISON, SLAB_RED_ZONE, SLAB_STORE_USER} from './flags.js';
import {freeChecked, FreeStatus} from './free.js';
import {getOrder, infoEnd} from './layout.js';
import {allocPages, freePages} from './page-alloc.js';
import {traceLargeKmalloc} from './trace.js';

/** Smallest kmalloc class on x86-64 (ARCH_KMALLOC_MINALIGN 8). */
export const KMALLOC_MIN_SIZE = 8;
/** Largest size served by a kmalloc cache: 2 pages (KMALLOC_SHIFT_HIGH = PAGE_SHIFT + 1). */
export const KMALLOC_MAX_CACHE_SIZE = 2 * PAGE_SIZE;
/** Largest kmalloc at all: one MAX_PAGE_ORDER block (KMALLOC_MAX_SIZE). */
export const KMALLOC_MAX_SIZE = PAGE_SIZE << MAX_PAGE_ORDER;
/** kmalloc(0) answers ZERO_SIZE_PTR, ((void *)16): nothing is allocated. */
export const ZERO_SIZE_PTR = 16;

/** gfp_t bits (include/linux/gfp_types.h, 6.18 bit numbers). */
export const Gfp = {
	DMA: 0x01, // __GFP_DMA
	RECLAIMABLE: 0x10, // __GFP_RECLAIMABLE
	HIGH: 0x20, // __GFP_HIGH
	IO: 0x40, // __GFP_IO
	FS: 0x80, // __GFP_FS
	ZERO: 0x100, // __GFP_ZERO
	DIRECT_RECLAIM: 0x400, // __GFP_DIRECT_RECLAIM
	KSWAPD_RECLAIM: 0x800, // __GFP_KSWAPD_RECLAIM
	NOWARN: 0x2000, // __GFP_NOWARN
	ACCOUNT: 0x400000, // __GFP_ACCOUNT
} as const;

export const GFP_KERNEL = Gfp.DIRECT_RECLAIM | Gfp.KSWAPD_RECLAIM | Gfp.IO | Gfp.FS; // 0xcc0

/**
 * The gfp names a user may write (`GFP_KERNEL|__GFP_ZERO`), as the kernel spells them, in the
 * order show_gfp_flags() tries them (include/trace/events/mmflags.h: composite masks with the
 * most bits first, so GFP_KERNEL_ACCOUNT prints as itself and GFP_NOIO is not GFP_NOWAIT plus
 * a bit left over).
 */
export const GFP_NAMES: ReadonlyArray<readonly [string, number]> = [
	['GFP_KERNEL_ACCOUNT', GFP_KERNEL | Gfp.ACCOUNT],
	['GFP_KERNEL', GFP_KERNEL],
	['GFP_NOFS', Gfp.DIRECT_RECLAIM | Gfp.KSWAPD_RECLAIM | Gfp.IO],
	['GFP_ATOMIC', Gfp.HIGH | Gfp.KSWAPD_RECLAIM],
	['GFP_NOIO', Gfp.DIRECT_RECLAIM | Gfp.KSWAPD_RECLAIM],
	['GFP_NOWAIT', Gfp.KSWAPD_RECLAIM],
	['GFP_DMA', Gfp.DMA],
	['__GFP_DMA', Gfp.DMA],
	['__GFP_HIGH', Gfp.HIGH],
	['__GFP_NOWARN', Gfp.NOWARN],
	['__GFP_ZERO', Gfp.ZERO],
	['__GFP_RECLAIMABLE', Gfp.RECLAIMABLE],
	['__GFP_ACCOUNT', Gfp.ACCOUNT],
];

/** `GFP_KERNEL|__GFP_ZERO` → the mask, or the first unknown name. */
export function parseGfp(text: string): {ok: true; gfp: number} | {ok: false; bad: string} {
	let gfp = 0;
	for (const raw of text.split('|')) {
		const hit = GFP_NAMES.find(([name]) => name === raw.trim().toUpperCase());
		if (hit === undefined) return {ok: false, bad: raw.trim()};
		gfp |= hit[1];
	}
	return {ok: true, gfp};
}

/** `0xcc0(GFP_KERNEL)` as the kernel's %pGg prints a mask (the first name that covers it). */
export function gfpText(gfp: number): string {
	const names: string[] = [];
	let rest = gfp;
	for (const [name, bits] of GFP_NAMES) {
		if (bits !== 0 && (rest & bits) === bits && !name.startsWith('GFP_DMA')) {
			names.push(name);
			rest &= ~bits;
		}
	}
	return `0x${gfp.toString(16)}(${names.join('|') || 'none'})`;
}

/**
 * kmalloc_index(): the size class of a request of `size` bytes (1 … KMALLOC_MAX_CACHE_SIZE):
 * 1 for 65..96, 2 for 129..192, else the n with 2^(n-1) < size <= 2^n (3 for 1..8).
 */
export function kmallocIndex(size: number): number {
	if (size <= KMALLOC_MIN_SIZE) return 3;
	if (size > 64 && size <= 96) return 1;
	if (size > 128 && size <= 192) return 2;
	return 32 - Math.clz32(size - 1);
}

/** The object size of kmalloc class `index` (kmalloc_info[]). */
export function kmallocClassSize(index: number): number {
	if (index === 1) return 96;
	if (index === 2) return 192;
	return 1 << index;
}

/** kmalloc_type(): normal unless __GFP_DMA, __GFP_RECLAIMABLE or __GFP_ACCOUNT, in that priority. */
export type KmallocType = 'normal' | 'dma' | 'reclaim' | 'cgroup';

export function kmallocType(gfp: number): KmallocType {
	if ((gfp & (Gfp.DMA | Gfp.RECLAIMABLE | Gfp.ACCOUNT)) === 0) return 'normal';
	if (gfp & Gfp.DMA) return 'dma';
	if (gfp & Gfp.RECLAIMABLE) return 'reclaim';
	return 'cgroup';
}

const TYPE_PREFIX: Readonly<Record<KmallocType, string>> = {
	normal: 'kmalloc-',
	dma: 'dma-kmalloc-',
	reclaim: 'kmalloc-rcl-',
	cgroup: 'kmalloc-cg-',
};

/** The name of the cache kmalloc(size, gfp) takes its object from (size <= KMALLOC_MAX_CACHE_SIZE). */
export function kmallocCacheName(size: number, gfp: number): string {
	const classSize = kmallocClassSize(kmallocIndex(size));
	return `${TYPE_PREFIX[kmallocType(gfp)]}${classSize >= 1024 ? `${classSize / 1024}k` : classSize}`;
}

/** What one kmalloc did: the object (NIL on failure), where it came from, and why it failed. */
export type KmallocResult = {obj: number; cache: number; isLarge: boolean; error: string | null};

const get32 = (e: Engine, at: number): number => e.mem32[at >> 2];

/** Has this cache an orig_size word (slub_debug_orig_size: SLAB_KMALLOC with SLAB_STORE_USER)? */
export function hasOrigSize(e: Engine, cache: number): boolean {
	const flags = e.cacheFlags[cache];
	return (flags & SLAB_KMALLOC) !== 0 && (flags & SLAB_STORE_USER) !== 0;
}

const origSizeAt = (e: Engine, cache: number, obj: number): number =>
	obj + infoEnd(e.caches[cache].layout) + 2 * TRACK_SIZE;

/** get_orig_size(): the size asked for, or object_size where the cache does not keep it. */
export function getOrigSize(e: Engine, cache: number, obj: number): number {
	const objectSize = e.caches[cache].layout.objectSize;
	if (!hasOrigSize(e, cache)) return objectSize;
	const orig = get32(e, origSizeAt(e, cache, obj));
	return orig > 0 && orig <= objectSize ? orig : objectSize;
}

/**
 * set_orig_size() and, with red zones, init_object()'s kmalloc red zone: the bytes between the
 * size asked for and object_size are red zone (SLUB_RED_ACTIVE), poisoning ends at orig_size.
 */
export function setOrigSize(e: Engine, cache: number, obj: number, size: number): void {
	if (!hasOrigSize(e, cache)) return;
	e.mem32[origSizeAt(e, cache, obj) >> 2] = size;
	const {flags, objectSize} = e.caches[cache].layout;
	if (!(flags & SLAB_RED_ZONE) || size >= objectSize) return;
	if (flags & SLAB_OBJECT_POISON) {
		e.mem8.fill(POISON_FREE, obj, obj + size - 1);
		e.mem8[obj + size - 1] = POISON_END;
	}
	e.mem8.fill(SLUB_RED_ACTIVE, obj + size, obj + objectSize);
}

/** Bytes kmalloc zeroes for __GFP_ZERO: orig_size where kept, else object_size (slab_post_alloc_hook). */
function zeroObject(e: Engine, cache: number, obj: number): void {
	e.mem8.fill(0, obj, obj + getOrigSize(e, cache, obj));
}

/**
 * __kmalloc_cache_noprof() / kmalloc from a named cache: one object of `cache` recording `size`
 * as its orig_size. NIL when out of memory.
 */
export function kmallocFromCache(e: Engine, cache: number, size: number, gfp: number, cpu: number): number {
	if (e.trace !== null) e.trace.request = {bytesReq: size, gfpFlags: gfpNames(gfp)};
	const obj = allocObject(e, cache, cpu);
	if (e.trace !== null) e.trace.request = null;
	if (obj === NIL) return NIL;
	setOrigSize(e, cache, obj, Math.min(size, e.caches[cache].layout.objectSize));
	if (gfp & Gfp.ZERO) zeroObject(e, cache, obj);
	return obj;
}

/** Large kmalloc (__kmalloc_large_node): a compound page of get_order(size), not a slab. */
function kmallocLarge(e: Engine, size: number, gfp: number, cpu: number): KmallocResult {
	const order = getOrder(size);
	const frame = allocPages(e, order);
	const obj = frame === NIL ? NIL : frame << PAGE_SHIFT;
	if (e.trace !== null) traceLargeKmalloc(e, e.trace, 'alloc', cpu, obj, order, largeRequest(size, gfp));
	if (frame === NIL) {
		if (!(gfp & Gfp.NOWARN)) {
			pushEvent(e, 'alloc-failure', '', `kmalloc: page allocation failure: order:${order}, mode:${gfpText(gfp)}`);
		}
		return {
			obj: NIL,
			cache: -1,
			isLarge: true,
			error: `page allocation failure: order ${order} (${PAGE_SIZE << order} bytes) is not free`,
		};
	}
	e.largeKmalloc.set(frame, size);
	e.largeKmallocPages += 1 << order;
	if (gfp & Gfp.ZERO) e.mem8.fill(0, obj, obj + (PAGE_SIZE << order));
	return {obj, cache: -1, isLarge: true, error: null};
}

/** A kmalloc tracepoint's request fields: the size, the gfp flag names (show_gfp_flags), memcg charging. */
function largeRequest(size: number, gfp: number): {bytesReq: number; gfpFlags: string; isAccounted: boolean} {
	return {bytesReq: size, gfpFlags: gfpNames(gfp), isAccounted: (gfp & Gfp.ACCOUNT) !== 0};
}

/** show_gfp_flags(): the flag names without the hex value. */
function gfpNames(gfp: number): string {
	return gfpText(gfp).replace(/^0x[0-9a-f]+\((.*)\)$/, '$1');
}

/**
 * kmalloc(size, gfp) on `cpu`: an object of the size class and type the kernel picks, or for
 * sizes above KMALLOC_MAX_CACHE_SIZE a compound page from the buddy allocator. `size` is
 * 1 … KMALLOC_MAX_SIZE (the caller answers kmalloc(0) and larger requests itself).
 */
export function kmalloc(e: Engine, size: number, gfp: number, cpu: number): KmallocResult {
	if (size > KMALLOC_MAX_CACHE_SIZE) return kmallocLarge(e, size, gfp, cpu);
	const name = kmallocCacheName(size, gfp);
	const cache = e.byName.get(name) ?? -1;
	if (cache < 0) return {obj: NIL, cache: -1, isLarge: false, error: `this machine has no ${name} cache`};
	const obj = kmallocFromCache(e, cache, size, gfp, cpu);
	return {obj, cache, isLarge: false, error: obj === NIL ? `out of memory: ${name} could not grow` : null};
}

/** The large kmalloc whose compound page holds `addr`: its first frame, or NIL. */
export function largeKmallocOf(e: Engine, addr: number): number {
	if (!Number.isInteger(addr) || addr < 0 || addr >= e.memoryBytes) return NIL;
	for (const [frame, size] of e.largeKmalloc) {
		const start = frame << PAGE_SHIFT;
		if (addr >= start && addr < start + (PAGE_SIZE << getOrder(size))) return frame;
	}
	return NIL;
}

/** ksize(): the usable bytes of an allocation (object_size of its cache, or the compound page). */
export function ksize(e: Engine, addr: number): number {
	const large = e.largeKmalloc.get(addr >> PAGE_SHIFT);
	if (large !== undefined && (addr & (PAGE_SIZE - 1)) === 0) return PAGE_SIZE << getOrder(large);
	const cache = e.pgCache[addr >> PAGE_SHIFT];
	return cache > 0 ? e.caches[cache].layout.objectSize : 0;
}

/** What kfreeAny() did: a slab free's status, or the large kmalloc's pages given back. */
export type KfreeResult = {status: FreeStatus; pages: number};

/**
 * kfree(): a large kmalloc's pages go back to the buddy allocator (free_large_kmalloc); a
 * pointer inside one that is not its start is refused with the kernel's warning; anything
 * else is a slab object, freed with the checks of freeChecked().
 */
export function kfreeAny(e: Engine, addr: number, cpu: number): KfreeResult {
	const frame = largeKmallocOf(e, addr);
	if (frame !== NIL) {
		if (addr !== frame << PAGE_SHIFT) {
			pushEvent(
				e,
				'warning',
				'',
				`kfree: 0x${addr.toString(16)} is inside a large kmalloc but not its start: not freed (free_large_kmalloc would free the wrong folio)`,
			);
			return {status: FreeStatus.BadPointer, pages: 0};
		}
		const size = e.largeKmalloc.get(frame) ?? 0;
		const order = getOrder(size);
		if (e.trace !== null) traceLargeKmalloc(e, e.trace, 'free', cpu, addr, order, largeRequest(size, 0));
		e.largeKmalloc.delete(frame);
		e.largeKmallocPages -= 1 << order;
		freePages(e, frame, order);
		return {status: FreeStatus.Ok, pages: 1 << order};
	}
	return {status: freeChecked(e, -1, addr, cpu), pages: 0};
}

/** What krealloc did: the object now (the same one when it fitted), NIL on failure. */
export type KreallocResult = {obj: number; isMoved: boolean; error: string | null};

/**
 * krealloc(p, newSize, gfp) as 6.18's __do_krealloc: when newSize fits the object (object_size,
 * or the compound page), the object stays, __GFP_ZERO zeroes the bytes between the old and the
 * new request, and a cache with orig_size records the new size and red-zones the rest;
 * otherwise a new kmalloc(newSize) takes a copy of the old request (orig_size, or all of it)
 * and the old object is freed. `obj` must be a live kmalloc object or large kmalloc.
 */
export function krealloc(e: Engine, obj: number, newSize: number, gfp: number, cpu: number): KreallocResult {
	const frame = e.largeKmalloc.has(obj >> PAGE_SHIFT) && (obj & (PAGE_SIZE - 1)) === 0 ? obj >> PAGE_SHIFT : NIL;
	const cache = frame === NIL ? e.pgCache[obj >> PAGE_SHIFT] : -1;
	const ks = ksize(e, obj);
	const orig = cache > 0 ? getOrigSize(e, cache, obj) : ks;
	if (newSize <= ks) {
		if (gfp & Gfp.ZERO) {
			if (orig < newSize) e.mem8.fill(0, obj + orig, obj + newSize);
			else e.mem8.fill(0, obj + newSize, obj + ks);
		}
		if (cache > 0 && hasOrigSize(e, cache)) {
			e.mem32[origSizeAt(e, cache, obj) >> 2] = newSize;
			if (e.cacheFlags[cache] & SLAB_RED_ZONE && newSize < ks) e.mem8.fill(SLUB_RED_ACTIVE, obj + newSize, obj + ks);
		}
		return {obj, isMoved: false, error: null};
	}
	const next = kmalloc(e, newSize, gfp, cpu);
	if (next.obj === NIL) return {obj: NIL, isMoved: false, error: next.error};
	e.mem8.copyWithin(next.obj, obj, obj + orig);
	kfreeAny(e, obj, cpu);
	return {obj: next.obj, isMoved: true, error: null};
}
