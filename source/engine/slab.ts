// Slab lifecycle and list movements (mm/slub.c): allocate_slab, discard_slab,
// the node partial (and debug full) lists, put_cpu_partial with its drain, deactivate_slab
// and flush. Slab states and the moves between them are tabled at the top of engine.ts.
// Main entries: newSlab(), discardSlab(), putCpuPartial(), deactivateSlab(), flushCpu().

import {NIL, PAGE_SHIFT} from './constants.js';
import {debugInitObject, debugInitSlab} from './debug.js';
import {type Engine, SlabState, liveObjects, nextRandom, pushEvent} from './engine.js';
import {SLAB_STORE_USER} from './flags.js';
import {listAdd, listDel} from './list.js';
import {allocPages, freePages} from './page-alloc.js';
import {STAT_COUNT, Stat} from './stats.js';
import {traceStep} from './trace.js';
import {pcsFlushAll} from './sheaf.js';

/** stats[(cache, cpu), X] += 1 */
export function stat(e: Engine, cache: number, cpu: number, s: Stat, n = 1): void {
	e.stats[(cache * e.cpus + cpu) * STAT_COUNT + s] += n;
	if (e.trace !== null) traceStep(e.trace, cache, s);
}

/**
 * allocate_slab(): pages from the buddy allocator (oo.order, else min.order with
 * ORDER_FALLBACK), every object set up (debug init, then the constructor) and threaded on the
 * slab's freelist in address order. Returns the slab (its first frame) or NIL when out of pages.
 * `isTakenWhole`: the caller takes every object at once (allocFullSlabs), so no freelist is
 * threaded: the slab comes back with freelist NIL and inuse = objects.
 * Node counters are not touched here (the caller does inc_slabs_node).
 */
export function newSlab(e: Engine, cache: number, cpu: number, isTakenWhole = false): number {
	let order = e.cacheOrder[cache];
	const c = e.caches[cache];
	let objects = e.cacheObjects[cache];
	let slab = allocPages(e, order);
	if (slab === NIL && c.layout.minOrder < order) {
		order = c.layout.minOrder;
		objects = c.layout.minObjects;
		slab = allocPages(e, order);
		if (slab !== NIL) stat(e, cache, cpu, Stat.OrderFallback);
	}
	if (slab === NIL) return NIL;
	const frames = 1 << order;
	for (let i = 0; i < frames; i++) {
		e.pgHead[slab + i] = slab;
		e.pgCache[slab + i] = cache;
	}
	e.pgObjects[slab] = objects;
	e.pgInuse[slab] = 0;
	e.pgOrder[slab] = order;
	e.pgState[slab] = SlabState.None;
	e.pgCpu[slab] = -1;
	e.pgNext[slab] = NIL;
	e.pgPrev[slab] = NIL;
	const size = e.cacheSize[cache];
	const offset = e.cacheOffset[cache];
	const first = (slab << PAGE_SHIFT) + e.cacheRedLeftPad[cache];
	const mem32 = e.mem32;
	if (c.isDebug) debugInitSlab(e, c, slab, order);
	const ctor = c.ctor;
	let obj = first;
	if (isTakenWhole) {
		for (let i = 0; i < objects; i++, obj += size) {
			if (c.isDebug) debugInitObject(e, c, obj);
			if (ctor !== null) ctor.run(e, obj);
		}
		e.pgFreelist[slab] = NIL;
		e.pgInuse[slab] = objects;
		return slab;
	}
	for (let i = 0; i < objects; i++, obj += size) {
		if (c.isDebug) debugInitObject(e, c, obj);
		if (ctor !== null) ctor.run(e, obj);
		mem32[(obj + offset) >> 2] = i + 1 < objects ? obj + size : NIL;
	}
	e.pgFreelist[slab] = c.randomSeq === null ? first : shuffleFreelist(e, c.randomSeq, first, size, offset, objects);
	return slab;
}

/**
 * shuffle_freelist(): thread the freelist along the cache's random sequence from a random
 * start, wrapping around and skipping indices a smaller (fallback) slab does not have.
 */
function shuffleFreelist(
	e: Engine,
	seq: Int32Array,
	first: number,
	size: number,
	offset: number,
	objects: number,
): number {
	const n = seq.length;
	let pos = nextRandom(e) % n;
	let head = NIL;
	let prev = NIL;
	for (let taken = 0; taken < objects; pos = (pos + 1) % n) {
		const idx = seq[pos];
		if (idx >= objects) continue;
		const obj = first + idx * size;
		if (prev === NIL) head = obj;
		else e.mem32[(prev + offset) >> 2] = obj;
		prev = obj;
		taken++;
	}
	e.mem32[(prev + offset) >> 2] = NIL;
	return head;
}

/** Node counters for a slab taken into use (inc_slabs_node). */
export function incSlabsNode(e: Engine, cache: number, slab: number): void {
	e.cacheNrSlabs[cache]++;
	e.cacheTotalObjects[cache] += e.pgObjects[slab];
}

/** discard_slab(): node counters down, frames back to the buddy allocator. */
export function discardSlab(e: Engine, cache: number, slab: number): void {
	e.cacheNrSlabs[cache]--;
	e.cacheTotalObjects[cache] -= e.pgObjects[slab];
	const order = e.pgOrder[slab];
	const frames = 1 << order;
	for (let i = 0; i < frames; i++) {
		e.pgHead[slab + i] = NIL;
		e.pgCache[slab + i] = 0;
	}
	e.pgState[slab] = SlabState.None;
	e.pgCpu[slab] = -1;
	e.pgFreelist[slab] = NIL;
	e.pgInuse[slab] = 0;
	e.pgObjects[slab] = 0;
	freePages(e, slab, order);
}

/** add_partial(): onto the node partial list, at the head or the tail. */
export function addPartial(e: Engine, cache: number, slab: number, isTail: boolean): void {
	listAdd(e, e.cachePartialHead, e.cachePartialTail, cache, slab, isTail);
	e.cacheNrPartial[cache]++;
	e.pgState[slab] = SlabState.NodePartial;
	e.pgCpu[slab] = -1;
}

/** remove_partial(): off the node partial list. The caller sets the new state. */
export function removePartial(e: Engine, cache: number, slab: number): void {
	listDel(e, e.cachePartialHead, e.cachePartialTail, cache, slab);
	e.cacheNrPartial[cache]--;
	e.pgState[slab] = SlabState.None;
}

/** add_full(): debug caches with STORE_USER keep full slabs on node.full. Others: no list. */
export function addFull(e: Engine, cache: number, slab: number): void {
	e.pgState[slab] = SlabState.Full;
	e.pgCpu[slab] = -1;
	if (!(e.cacheFlags[cache] & SLAB_STORE_USER)) return;
	listAdd(e, e.cacheFullHead, e.cacheFullTail, cache, slab, true);
	e.cacheNrFull[cache]++;
}

/** remove_full(). */
export function removeFull(e: Engine, cache: number, slab: number): void {
	e.pgState[slab] = SlabState.None;
	if (!(e.cacheFlags[cache] & SLAB_STORE_USER)) return;
	listDel(e, e.cacheFullHead, e.cacheFullTail, cache, slab);
	e.cacheNrFull[cache]--;
}

/**
 * __put_partials(): move a detached CPU partial list to the node partial list (tail), in list
 * order; empty slabs are discarded once the node holds min_partial partial slabs.
 */
export function putPartials(e: Engine, cache: number, cpu: number, list: number): void {
	const {pgNext, pgInuse} = e;
	let discard = NIL;
	let slab = list;
	while (slab !== NIL) {
		const next = pgNext[slab];
		if (pgInuse[slab] === 0 && e.cacheNrPartial[cache] >= e.cacheMinPartial[cache]) {
			pgNext[slab] = discard;
			discard = slab;
		} else {
			addPartial(e, cache, slab, true);
			stat(e, cache, cpu, Stat.FreeAddPartial);
		}
		slab = next;
	}
	while (discard !== NIL) {
		const next = pgNext[discard];
		stat(e, cache, cpu, Stat.DeactivateEmpty);
		discardSlab(e, cache, discard);
		stat(e, cache, cpu, Stat.FreeSlab);
		discard = next;
	}
}

/**
 * put_cpu_partial(): push a slab onto this CPU's partial list. With drain, a list that already
 * holds cpu_partial_slabs slabs goes to the node first (CPU_PARTIAL_DRAIN). The list head
 * carries the count in pgPrev.
 */
export function putCpuPartial(e: Engine, cache: number, cpu: number, slab: number, isDrain: boolean): void {
	const idx = cache * e.cpus + cpu;
	let old = e.cpuPartial[idx];
	let toPut = NIL;
	if (old !== NIL && isDrain && e.pgPrev[old] >= e.cacheCpuPartialSlabs[cache]) {
		toPut = old;
		old = NIL;
	}
	e.pgPrev[slab] = (old !== NIL ? e.pgPrev[old] : 0) + 1;
	e.pgNext[slab] = old;
	e.pgState[slab] = SlabState.CpuPartial;
	e.pgCpu[slab] = cpu;
	e.cpuPartial[idx] = slab;
	if (toPut !== NIL) {
		putPartials(e, cache, cpu, toPut);
		stat(e, cache, cpu, Stat.CpuPartialDrain);
	}
}

/**
 * deactivate_slab(): a CPU gives up its slab. Its CPU freelist is spliced in front of the
 * slab's own (remote frees); the slab goes to the node partial head (tail if it had remote
 * frees), is discarded when empty and the node has min_partial slabs, or is left full.
 */
export function deactivateSlab(e: Engine, cache: number, cpu: number, slab: number, freelist: number): void {
	const mem32 = e.mem32;
	const offset = e.cacheOffset[cache];
	const hasRemote = e.pgFreelist[slab] !== NIL;
	if (hasRemote) stat(e, cache, cpu, Stat.DeactivateRemoteFrees);
	if (freelist !== NIL) {
		let n = 1;
		let last = freelist;
		let next = mem32[(last + offset) >> 2];
		while (next !== NIL) {
			last = next;
			next = mem32[(last + offset) >> 2];
			n++;
		}
		mem32[(last + offset) >> 2] = e.pgFreelist[slab];
		e.pgFreelist[slab] = freelist;
		e.pgInuse[slab] -= n;
	}
	e.pgState[slab] = SlabState.None;
	e.pgCpu[slab] = -1;
	if (e.pgInuse[slab] === 0 && e.cacheNrPartial[cache] >= e.cacheMinPartial[cache]) {
		stat(e, cache, cpu, Stat.DeactivateEmpty);
		discardSlab(e, cache, slab);
		stat(e, cache, cpu, Stat.FreeSlab);
	} else if (e.pgFreelist[slab] !== NIL) {
		addPartial(e, cache, slab, hasRemote);
		stat(e, cache, cpu, hasRemote ? Stat.DeactivateToTail : Stat.DeactivateToHead);
	} else {
		e.pgState[slab] = SlabState.Full;
		stat(e, cache, cpu, Stat.DeactivateFull);
	}
}

/** flush_cpu_slab(): deactivate the CPU slab (CPUSLAB_FLUSH), then unfreeze its partial list. */
export function flushCpu(e: Engine, cache: number, cpu: number): void {
	const idx = cache * e.cpus + cpu;
	const slab = e.cpuState[idx * 2 + 1];
	if (slab !== NIL) {
		const freelist = e.cpuState[idx * 2];
		e.cpuState[idx * 2 + 1] = NIL;
		e.cpuState[idx * 2] = NIL;
		deactivateSlab(e, cache, cpu, slab, freelist);
		stat(e, cache, cpu, Stat.CpuslabFlush);
	}
	const partial = e.cpuPartial[idx];
	if (partial !== NIL) {
		e.cpuPartial[idx] = NIL;
		putPartials(e, cache, cpu, partial);
	}
}

/** flush_all(): every CPU (flush_cpu_slab: first the CPU's sheaves, pcs_flush_all, then its slabs). */
export function flushAll(e: Engine, cache: number): void {
	const sheaves = e.sheaves[cache];
	for (let cpu = 0; cpu < e.cpus; cpu++) {
		if (sheaves !== null) pcsFlushAll(e, cache, cpu, sheaves);
		flushCpu(e, cache, cpu);
	}
}

/** slab_out_of_memory(): the kernel's warning, as an event. */
export function reportOutOfMemory(e: Engine, cache: number, cpu: number): void {
	const c = e.caches[cache];
	c.failures++;
	const nrSlabs = e.cacheNrSlabs[cache];
	const objs = e.cacheTotalObjects[cache];
	const inuse = liveObjects(e, cache);
	pushEvent(
		e,
		'alloc-failure',
		c.name,
		[
			`SLUB: Unable to allocate memory on CPU ${cpu} (of node 0) on node -1, gfp=0xcc0(GFP_KERNEL)`,
			`  cache: ${c.name}, object size: ${c.layout.objectSize}, buffer size: ${c.layout.size}, default order: ${c.layout.order}, min order: ${c.layout.minOrder}`,
			`  node 0: slabs: ${nrSlabs}, objs: ${objs}, free: ${objs - inuse}`,
		].join('\n'),
	);
}
