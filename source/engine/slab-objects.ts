// The objects inside one slab, for the detail view's object view: each slot in use, free on the
// slab's own freelist (numbered in freelist order), or free on the CPU freelist of the CPU that
// holds the slab as its cpu slab (numbered in that order); the slab's address, order, inuse,
// frozen and list; and the byte layout of a slot (red zones, free pointer, tracks, padding)
// as calculate_sizes() laid it out. Read-only, computed on demand. Main entry: slabObjects().

import {NIL, PAGE_SHIFT, TRACK_SIZE, WORD} from './constants.js';
import {type Engine, SlabState} from './engine.js';
import {SLAB_KMALLOC, SLAB_POISON, SLAB_RED_ZONE, SLAB_STORE_USER} from './flags.js';
import {infoEnd} from './layout.js';

export type SlabObjectState = 'used' | 'slab-free' | 'cpu-free';

export type SlabObjectCell = {
	index: number;
	address: number;
	state: SlabObjectState;
	/** 1-based position on the freelist it is on (slab or CPU), null for objects in use. */
	freeOrder: number | null;
};

/** Bytes of one slot, in slot order (left red zone first). */
export type SlotLayout = {
	size: number;
	leftRedZone: number;
	object: number;
	/** Right red zone (RED_ZONE) or word-alignment slack after the object. */
	rightRedZone: number;
	hasRedZone: boolean;
	/** The free pointer's offset from the object start, and whether it sits after the object. */
	freePointerOffset: number;
	isFreePointerAfter: boolean;
	/** Alloc and free tracks (STORE_USER), plus orig_size for kmalloc caches. */
	tracks: number;
	padding: number;
	isPoisoned: boolean;
};

export type SlabObjects = {
	slab: number;
	address: number;
	order: number;
	objects: number;
	/** struct slab's inuse (a cpu slab counts its CPU freelist as in use). */
	inuse: number;
	/** Objects really handed out. */
	used: number;
	isFrozen: boolean;
	/** 'cpu slab', 'cpu partial', 'node partial', 'full' (on no list) */
	list: 'cpu slab' | 'cpu partial' | 'node partial' | 'full';
	/** The CPU holding it (cpu slab or CPU partial list), or -1. */
	cpu: number;
	cells: SlabObjectCell[];
	/** Addresses on the slab's freelist and the CPU freelist, in list order. */
	slabFreelist: number[];
	cpuFreelist: number[];
	slot: SlotLayout;
};

const LIST: Readonly<Record<number, SlabObjects['list']>> = {
	[SlabState.CpuSlab]: 'cpu slab',
	[SlabState.CpuPartial]: 'cpu partial',
	[SlabState.NodePartial]: 'node partial',
	[SlabState.Full]: 'full',
	[SlabState.None]: 'full',
};

function walk(e: Engine, head: number, offset: number, limit: number): number[] {
	const out: number[] = [];
	for (let p = head; p !== NIL && out.length <= limit; p = e.mem32[(p + offset) >> 2]) out.push(p);
	return out;
}

/** The slot's byte layout of a cache. */
export function slotLayout(e: Engine, cache: number): SlotLayout {
	const layout = e.caches[cache].layout;
	const flags = layout.flags;
	const tracks = flags & SLAB_STORE_USER ? 2 * TRACK_SIZE + (flags & SLAB_KMALLOC ? 4 : 0) : 0;
	const meta = infoEnd(layout) + tracks;
	return {
		size: layout.size,
		leftRedZone: layout.redLeftPad,
		object: layout.objectSize,
		rightRedZone: layout.inuse - layout.objectSize,
		hasRedZone: (flags & SLAB_RED_ZONE) !== 0,
		freePointerOffset: layout.offset,
		isFreePointerAfter: layout.isFreePointerAfter,
		tracks,
		padding: layout.size - layout.redLeftPad - meta,
		isPoisoned: (flags & SLAB_POISON) !== 0,
	};
}

/** The slab whose first frame is `slab` (a slab of `cache`), or null if it is not one. */
export function slabObjects(e: Engine, cache: number, slab: number): SlabObjects | null {
	if (!Number.isInteger(slab) || slab < 0 || slab >= e.nrFrames) return null;
	if (e.pgCache[slab] !== cache || e.pgHead[slab] !== slab || cache === 0) return null;
	const offset = e.cacheOffset[cache];
	const objects = e.pgObjects[slab];
	const state = e.pgState[slab];
	const cpu = e.pgCpu[slab];
	const slabFreelist = walk(e, e.pgFreelist[slab], offset, objects);
	const cpuFreelist =
		state === SlabState.CpuSlab && cpu >= 0 ? walk(e, e.cpuState[(cache * e.cpus + cpu) * 2], offset, objects) : [];
	const size = e.cacheSize[cache];
	const first = (slab << PAGE_SHIFT) + e.cacheRedLeftPad[cache];
	const cells: SlabObjectCell[] = [];
	for (let i = 0; i < objects; i++) cells.push({index: i, address: first + i * size, state: 'used', freeOrder: null});
	const mark = (list: number[], what: SlabObjectState): void => {
		list.forEach((address, k) => {
			const cell = cells[(address - first) / size];
			if (cell !== undefined) {
				cell.state = what;
				cell.freeOrder = k + 1;
			}
		});
	};
	mark(slabFreelist, 'slab-free');
	mark(cpuFreelist, 'cpu-free');
	return {
		slab,
		address: slab << PAGE_SHIFT,
		order: e.pgOrder[slab],
		objects,
		inuse: e.pgInuse[slab],
		used: objects - slabFreelist.length - cpuFreelist.length,
		isFrozen: state === SlabState.CpuSlab,
		list: LIST[state] ?? 'full',
		cpu: state === SlabState.CpuSlab || state === SlabState.CpuPartial ? cpu : -1,
		cells,
		slabFreelist,
		cpuFreelist,
		slot: slotLayout(e, cache),
	};
}

/** Bytes of a free pointer. */
export const FREE_POINTER_SIZE = WORD;
