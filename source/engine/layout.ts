// Cache geometry, computed as mm/slub.c and mm/slab_common.c do for Linux 6.18
// (calculate_alignment, kmem_cache_open): final alignment, the object slot (calculate_sizes), the slab order
// (calculate_order), min_partial and cpu_partial. Main entry: computeLayout().
//
// Slot picture (offsets from the slot start; the object pointer is slot + redLeftPad):
//   [left RZ redLeftPad][payload objectSize][right RZ / word slack up to inuse]
//   [free ptr if "after"][alloc track][free track][orig_size (kmalloc+U)][pad word + align pad]

import {
	ARCH_SLAB_MINALIGN,
	CACHE_LINE,
	MAX_OBJS_PER_SLAB,
	MAX_PAGE_ORDER,
	MAX_PARTIAL,
	MIN_PARTIAL,
	PAGE_SIZE,
	SLAB_MAX_ORDER,
	SLAB_MIN_ORDER,
	TRACK_SIZE,
	WORD,
} from './constants.js';
import {
	SLAB_DEBUG_FLAGS,
	SLAB_HWCACHE_ALIGN,
	SLAB_KMALLOC,
	SLAB_OBJECT_POISON,
	SLAB_POISON,
	SLAB_RED_ZONE,
	SLAB_STORE_USER,
	SLAB_TYPESAFE_BY_RCU,
} from './flags.js';

export type LayoutRequest = {
	objectSize: number;
	/** Requested alignment (0 = none). */
	align: number;
	flags: number;
	hasCtor: boolean;
	/** In-object free pointer offset (only with TYPESAFE_BY_RCU), or -1. */
	freeptrOffset: number;
	/** Simulated CPUs: the slab order depends on it. */
	cpus: number;
	/** slab_min_objects= boot option (0 = derive from the CPU count). */
	minObjects?: number;
	maxOrder?: number;
	minOrder?: number;
};

export type Layout = {
	objectSize: number; // sysfs object_size
	size: number; // slot stride: sysfs slab_size, slabinfo objsize
	align: number; // final alignment: sysfs align
	inuse: number; // end of object data incl. right red zone (metadata start)
	offset: number; // free-pointer offset from the object start
	redLeftPad: number; // left red zone bytes (0 without RED_ZONE)
	isFreePointerAfter: boolean; // free pointer outside the payload
	order: number; // oo.order: sysfs order
	objects: number; // oo.objects: sysfs objs_per_slab
	minOrder: number; // fallback geometry (min)
	minObjects: number;
	minPartial: number; // sysfs min_partial
	cpuPartial: number; // sysfs cpu_partial (objects)
	cpuPartialSlabs: number; // slabs a CPU partial list may hold before draining
	flags: number; // with SLAB_OBJECT_POISON added when applicable
};

export type LayoutResult = {ok: true; layout: Layout} | {ok: false; message: string};

export const roundUp = (n: number, a: number): number => Math.ceil(n / a) * a;
export const roundDown = (n: number, a: number): number => Math.floor(n / a) * a;

/** fls(): 1-based index of the highest set bit, 0 for 0. */
export function fls(x: number): number {
	return x === 0 ? 0 : 32 - Math.clz32(x);
}

/** get_order(n): smallest k with PAGE_SIZE << k >= n. */
export function getOrder(n: number): number {
	let k = 0;
	while (PAGE_SIZE * 2 ** k < n) k++;
	return k;
}

const ilog2 = (n: number): number => fls(n) - 1;

/** calculate_alignment(): HWCACHE_ALIGN halves the cache line while the object fits twice. */
export function finalAlign(flags: number, requested: number, objectSize: number): number {
	let align = requested;
	if (flags & SLAB_HWCACHE_ALIGN) {
		let line = CACHE_LINE;
		while (objectSize <= line / 2) line /= 2;
		align = Math.max(align, line);
	}
	align = Math.max(align, ARCH_SLAB_MINALIGN);
	return roundUp(align, WORD);
}

/** min_objects as calculate_order() derives it from the CPU count: 4 * (fls(nr) + 1). */
export function minObjectsFor(cpus: number): number {
	return 4 * (fls(cpus) + 1);
}

/** calculate_order(): the smallest order <= slab_max_order wasting at most 1/16 (…1/2). */
export function calculateOrder(
	size: number,
	cpus: number,
	minObjectsOpt = 0,
	maxOrder = SLAB_MAX_ORDER,
	minOrder = SLAB_MIN_ORDER,
): number {
	let minObjects = minObjectsOpt > 0 ? minObjectsOpt : minObjectsFor(cpus);
	const maxObjects = Math.max(Math.floor((PAGE_SIZE << maxOrder) / size), 1);
	minObjects = Math.min(minObjects, maxObjects);
	const start = Math.max(minOrder, getOrder(minObjects * size));
	if (Math.floor((PAGE_SIZE * 2 ** start) / size) > MAX_OBJS_PER_SLAB) {
		return getOrder(size * MAX_OBJS_PER_SLAB) - 1;
	}
	for (const fraction of [16, 8, 4, 2]) {
		for (let order = start; order <= maxOrder; order++) {
			const slabSize = PAGE_SIZE << order;
			if (slabSize % size <= slabSize / fraction) return order;
		}
	}
	return getOrder(size);
}

/** set_min_partial(): ilog2(size) / 2, clamped to [MIN_PARTIAL, MAX_PARTIAL]. */
export function minPartialFor(size: number): number {
	return Math.min(MAX_PARTIAL, Math.max(MIN_PARTIAL, Math.floor(ilog2(size) / 2)));
}

/** set_cpu_partial(): objects kept on a CPU's partial list; 0 for debug caches. */
export function cpuPartialFor(size: number, flags: number): number {
	if (flags & SLAB_DEBUG_FLAGS) return 0;
	if (size >= PAGE_SIZE) return 6;
	if (size >= 1024) return 24;
	if (size >= 256) return 52;
	return 120;
}

/** The geometry of a new cache, or why it cannot be created. */
export function computeLayout(req: LayoutRequest): LayoutResult {
	const {objectSize: o, flags: requestedFlags, hasCtor, freeptrOffset} = req;
	if (!Number.isInteger(o) || o < 1) return {ok: false, message: `object size must be a positive integer, not ${o}`};
	if (o > PAGE_SIZE << MAX_PAGE_ORDER) {
		return {ok: false, message: `object size ${o} is too large (at most ${PAGE_SIZE << MAX_PAGE_ORDER})`};
	}
	if (!Number.isInteger(req.align) || req.align < 0 || (req.align & (req.align - 1)) !== 0) {
		return {ok: false, message: `align must be 0 or a power of two, not ${req.align}`};
	}
	const isRcu = (requestedFlags & SLAB_TYPESAFE_BY_RCU) !== 0;
	if (freeptrOffset >= 0 && (!isRcu || freeptrOffset % WORD !== 0 || freeptrOffset >= o)) {
		return {
			ok: false,
			message: `freeptr_offset ${freeptrOffset} needs TYPESAFE_BY_RCU, word alignment and < object size`,
		};
	}
	const align = finalAlign(requestedFlags, req.align, o);
	let flags = requestedFlags;
	const isKmalloc = (flags & SLAB_KMALLOC) !== 0;
	const hasRedZone = (flags & SLAB_RED_ZONE) !== 0;
	const hasPoison = (flags & SLAB_POISON) !== 0;
	const hasStoreUser = (flags & SLAB_STORE_USER) !== 0;

	// calculate_sizes()
	let s = roundUp(o, WORD);
	if (hasPoison && !isRcu && !hasCtor) flags |= SLAB_OBJECT_POISON;
	if (hasRedZone && s === o) s += WORD; // room for a right red zone
	const inuse = s;
	let offset: number;
	let isFreePointerAfter = false;
	if (
		(isRcu && freeptrOffset < 0) ||
		hasPoison ||
		hasCtor ||
		(hasRedZone && o < WORD) ||
		(hasRedZone && hasStoreUser && isKmalloc)
	) {
		offset = s;
		s += WORD;
		isFreePointerAfter = true;
	} else if (isRcu && freeptrOffset >= 0) {
		offset = freeptrOffset;
	} else {
		offset = roundDown(Math.floor(o / 2), WORD);
	}
	if (hasStoreUser) {
		s += 2 * TRACK_SIZE;
		if (isKmalloc) s += WORD; // orig_size
	}
	let redLeftPad = 0;
	if (hasRedZone) {
		s += WORD;
		redLeftPad = roundUp(WORD, align);
		s += redLeftPad;
	}
	const size = roundUp(s, align);

	const order = calculateOrder(
		size,
		req.cpus,
		req.minObjects ?? 0,
		req.maxOrder ?? SLAB_MAX_ORDER,
		req.minOrder ?? SLAB_MIN_ORDER,
	);
	if (order > MAX_PAGE_ORDER)
		return {ok: false, message: `object size ${o} needs order ${order} (at most ${MAX_PAGE_ORDER})`};
	const objects = Math.floor((PAGE_SIZE << order) / size);
	const minOrder = getOrder(size);
	const minObjects = Math.floor((PAGE_SIZE << minOrder) / size);
	const cpuPartial = cpuPartialFor(size, flags);
	return {
		ok: true,
		layout: {
			objectSize: o,
			size,
			align,
			inuse,
			offset,
			redLeftPad,
			isFreePointerAfter,
			order,
			objects,
			minOrder,
			minObjects,
			minPartial: minPartialFor(size),
			cpuPartial,
			cpuPartialSlabs: cpuPartial === 0 ? 0 : Math.ceil((cpuPartial * 2) / objects),
			flags,
		},
	};
}

/** Where the alloc/free tracks start (get_info_end). */
export function infoEnd(layout: Layout): number {
	return layout.isFreePointerAfter ? layout.inuse + WORD : layout.inuse;
}
