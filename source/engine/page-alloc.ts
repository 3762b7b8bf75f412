// The simulated page allocator: a buddy system over the engine's frames (mm/page_alloc.c).
// One zone; free_area[order] for orders 0..MAX_PAGE_ORDER, each a doubly linked list of free
// blocks (first frame, 2^order frames, aligned) through pgNext/pgPrev, with nr_free counts as
// /proc/buddyinfo shows them. Main entries: allocPages(), freePages().
//
// Alloc(k): smallest j >= k with a block; take the head; split, the upper halves go to the
// head of the lower lists. Free(f, k): merge with the buddy f ^ 2^k while it is free at
// exactly order k, insert the merged block at the head (or tail, as the kernel's
// "merge likely" heuristic, when isBuddyMergeTail is on).
//
// Order-10 blocks never merge, and the boot list holds them in address order, so the
// never-used ones are not listed at all: they are the range [untouchedFrom, untouchedEnd),
// handed out in address order once the listed order-10 blocks are used up (exactly the boot
// list's order). This keeps the memmap of unused memory untouched and not resident.

import {MAX_PAGE_ORDER, NIL} from './constants.js';
import type {Engine} from './engine.js';
import {listAdd, listDel} from './list.js';

function freeAreaAdd(e: Engine, order: number, f: number, isTail: boolean): void {
	listAdd(e, e.freeHead, e.freeTail, order, f, isTail);
	e.freeCount[order]++;
	e.pgBuddy[f] = order + 1;
}

function freeAreaDel(e: Engine, order: number, f: number): void {
	listDel(e, e.freeHead, e.freeTail, order, f);
	e.freeCount[order]--;
	e.pgBuddy[f] = 0;
}

/** Hand every frame to the buddy allocator, frame 0 first. */
export function initFreeAreas(e: Engine): void {
	const top = 1 << MAX_PAGE_ORDER;
	e.untouchedEnd = Math.floor(e.nrFrames / top) * top;
	e.untouchedFrom = 0;
	e.freeCount[MAX_PAGE_ORDER] = e.untouchedEnd / top;
	e.nrFreePages = e.untouchedEnd;
	let f = e.untouchedEnd;
	const blocks: Array<[number, number]> = [];
	while (f < e.nrFrames) {
		let order = MAX_PAGE_ORDER;
		while (order > 0 && (f % (1 << order) !== 0 || f + (1 << order) > e.nrFrames)) order--;
		blocks.push([f, order]);
		f += 1 << order;
	}
	for (let i = blocks.length - 1; i >= 0; i--) {
		const [frame, order] = blocks[i];
		freeAreaAdd(e, order, frame, false);
		e.nrFreePages += 1 << order;
	}
}

/** Allocate 2^order contiguous frames; returns the first frame or NIL. */
export function allocPages(e: Engine, order: number): number {
	let o = order;
	while (o < MAX_PAGE_ORDER && e.freeHead[o] === NIL) o++;
	let f = e.freeHead[o];
	if (f !== NIL) {
		freeAreaDel(e, o, f);
	} else if (o === MAX_PAGE_ORDER && e.untouchedFrom < e.untouchedEnd) {
		f = e.untouchedFrom;
		e.untouchedFrom += 1 << MAX_PAGE_ORDER;
		e.freeCount[MAX_PAGE_ORDER]--;
	} else {
		return NIL;
	}
	while (o > order) {
		o--;
		freeAreaAdd(e, o, f + (1 << o), false); // expand(): the upper half goes back
	}
	e.nrFreePages -= 1 << order;
	return f;
}

/** Return 2^order frames starting at f, merging buddies. */
export function freePages(e: Engine, frame: number, order: number): void {
	let f = frame;
	let k = order;
	e.nrFreePages += 1 << order;
	e.pgDirty.fill(1, frame, frame + (1 << order));
	while (k < MAX_PAGE_ORDER) {
		const b = f ^ (1 << k);
		if (b >= e.nrFrames || e.pgBuddy[b] !== k + 1) break;
		freeAreaDel(e, k, b);
		f &= b;
		k++;
	}
	let isTail = false;
	if (e.isBuddyMergeTail && k < MAX_PAGE_ORDER - 1) {
		const hb = (f & ~((1 << (k + 1)) - 1)) ^ (1 << (k + 1));
		isTail = hb < e.nrFrames && e.pgBuddy[hb] === k + 2; // buddy_merge_likely()
	}
	freeAreaAdd(e, k, f, isTail);
}

/** nr_free per order 0..10, as a /proc/buddyinfo line shows them. */
export function buddyInfo(e: Engine): number[] {
	return Array.from(e.freeCount);
}

/** /proc/buddyinfo text for the simulated zone. */
export function buddyInfoLine(e: Engine): string {
	return `Node 0, zone   Normal ${buddyInfo(e)
		.map(n => String(n).padStart(6))
		.join(' ')}`;
}

/**
 * External fragmentation index of the free memory for a request of `order` (0..1): the
 * share of free pages that sit in blocks too small to serve it.
 */
export function unusableFreeIndex(e: Engine, order: number): number {
	if (e.nrFreePages === 0) return 0;
	let usable = 0;
	for (let o = order; o <= MAX_PAGE_ORDER; o++) usable += e.freeCount[o] << o;
	return (e.nrFreePages - usable) / e.nrFreePages;
}
