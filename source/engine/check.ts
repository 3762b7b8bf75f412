// Invariant checks of the whole model, run from tests and the `validate` command, never from
// the hot path. Main entries: validateEngine() (every cache and the page allocator: returns
// the problems found, [] when consistent) and validateCache() (one cache, plus SLUB's debug
// object checks for debug caches, as writing to /sys/kernel/slab/<cache>/validate does).
//
// Checked:
//   every frame is in exactly one free buddy block or one slab, never both; nr_free matches
//   per slab: inuse + |slab freelist| == objects, freelist entries are object starts of that
//     slab, no object twice on the freelists (slab and CPU)
//   per cache: Σ allocated == allocs − frees, nr_slabs and total_objects match the slabs,
//     nr_partial matches the node list, list states match pgState

import {MAX_PAGE_ORDER, NIL, PAGE_SHIFT, SLUB_RED_ACTIVE, SLUB_RED_INACTIVE} from './constants.js';
import {checkObject, onFreelist, slabPadCheck} from './debug.js';
import {type Engine, SlabState, liveObjects} from './engine.js';
import {SLAB_STORE_USER} from './flags.js';
import {getOrder} from './layout.js';
import {isObjectFree, isObjectStart} from './free.js';
import type {Sheaf} from './sheaf.js';

/** Problems with the page allocator's bookkeeping. */
function validateBuddy(e: Engine, problems: string[]): Uint8Array {
	const owner = new Uint8Array(e.nrFrames); // 1 free, 2 slab
	let freePages = 0;
	for (let order = 0; order <= MAX_PAGE_ORDER; order++) {
		let n = 0;
		for (let f = e.freeHead[order]; f !== NIL; f = e.pgNext[f]) {
			n++;
			if (e.pgBuddy[f] !== order + 1)
				problems.push(`buddy: block ${f} on order-${order} list has order mark ${e.pgBuddy[f] - 1}`);
			if (f % (1 << order) !== 0) problems.push(`buddy: block ${f} misaligned for order ${order}`);
			for (let i = 0; i < 1 << order; i++) {
				if (owner[f + i] !== 0) problems.push(`buddy: frame ${f + i} in two free blocks`);
				owner[f + i] = 1;
			}
			freePages += 1 << order;
			if (n > e.nrFrames) {
				problems.push(`buddy: order-${order} list loops`);
				break;
			}
		}
		if (order === MAX_PAGE_ORDER) n += (e.untouchedEnd - e.untouchedFrom) >> MAX_PAGE_ORDER;
		if (n !== e.freeCount[order])
			problems.push(`buddy: order ${order} nr_free ${e.freeCount[order]} but ${n} blocks listed`);
	}
	for (let f = e.untouchedFrom; f < e.untouchedEnd; f += 1 << MAX_PAGE_ORDER) {
		for (let i = 0; i < 1 << MAX_PAGE_ORDER; i++) owner[f + i] = 1;
		freePages += 1 << MAX_PAGE_ORDER;
	}
	if (freePages !== e.nrFreePages) problems.push(`buddy: nr_free_pages ${e.nrFreePages} but ${freePages} pages listed`);
	return owner;
}

function collectFreelist(
	e: Engine,
	cache: number,
	slab: number,
	head: number,
	seen: Set<number>,
	problems: string[],
	what: string,
): number {
	const off = e.cacheOffset[cache];
	const base = (slab << PAGE_SHIFT) + e.cacheRedLeftPad[cache];
	const size = e.cacheSize[cache];
	const objects = e.pgObjects[slab];
	let n = 0;
	for (let p = head; p !== NIL; p = e.mem32[(p + off) >> 2]) {
		const rel = p - base;
		if (rel < 0 || rel % size !== 0 || rel / size >= objects) {
			problems.push(
				`${e.caches[cache].name}: ${what} of slab ${slab} holds 0x${p.toString(16)}, not an object of that slab`,
			);
			return n;
		}
		if (seen.has(p)) {
			problems.push(`${e.caches[cache].name}: object 0x${p.toString(16)} twice on the freelists of slab ${slab}`);
			return n;
		}
		seen.add(p);
		n++;
	}
	return n;
}

/** The first frames of every slab, per cache id (one walk of the memmap). */
function slabHeads(e: Engine, only = -1): Map<number, number[]> {
	const heads = new Map<number, number[]>();
	for (let f = 0; f < e.nrFrames; f++) {
		const cache = e.pgCache[f];
		if (cache === 0 || e.pgHead[f] !== f || (only >= 0 && cache !== only)) continue;
		const list = heads.get(cache);
		if (list === undefined) heads.set(cache, [f]);
		else list.push(f);
	}
	return heads;
}

/** One cache's model invariants over its slabs `heads`; appends problems, marks `owner` frames. */
/**
 * Sheaves and barn: every object a sheaf holds is an allocated object of this cache (on no
 * freelist), held once; sheaves within capacity; the barn's full sheaves full, its empty ones empty.
 */
function validateSheaves(e: Engine, cache: number, problems: string[]): void {
	const sh = e.sheaves[cache];
	if (sh === null) return;
	const name = e.caches[cache].name;
	const seen = new Set<number>();
	const check = (sheaf: Sheaf, where: string): void => {
		if (sheaf.size < 0 || sheaf.size > sh.capacity)
			problems.push(`${name}: ${where} holds ${sheaf.size} objects, capacity ${sh.capacity}`);
		for (let i = 0; i < sheaf.size; i++) {
			const obj = sheaf.objects[i];
			const page = obj >> PAGE_SHIFT;
			const slab = e.pgHead[page];
			if (obj < 0 || obj >= e.memoryBytes || e.pgCache[page] !== cache || !isObjectStart(e, cache, slab, obj)) {
				problems.push(`${name}: ${where} holds 0x${obj.toString(16)}, not an object of the cache`);
			} else if (isObjectFree(e, cache, slab, obj)) {
				problems.push(`${name}: ${where} holds 0x${obj.toString(16)}, which is free in its slab`);
			}
			if (seen.has(obj)) problems.push(`${name}: 0x${obj.toString(16)} held twice by sheaves`);
			seen.add(obj);
		}
	};
	sh.pcs.forEach((pcs, cpu) => {
		check(pcs.main, `cpu${cpu} main sheaf`);
		if (pcs.spare !== null) check(pcs.spare, `cpu${cpu} spare sheaf`);
	});
	sh.barn.full.forEach((sheaf, i) => {
		check(sheaf, `barn full sheaf ${i}`);
		if (sheaf.size !== sh.capacity)
			problems.push(`${name}: barn full sheaf ${i} holds ${sheaf.size} of ${sh.capacity}`);
	});
	sh.barn.empty.forEach((sheaf, i) => {
		if (sheaf.size !== 0) problems.push(`${name}: barn empty sheaf ${i} holds ${sheaf.size}`);
	});
}

function validateCacheModel(
	e: Engine,
	cache: number,
	heads: readonly number[],
	owner: Uint8Array,
	problems: string[],
): void {
	const c = e.caches[cache];
	const name = c.name;
	validateSheaves(e, cache, problems);
	const cpuSlabOf = new Map<number, number>();
	for (let cpu = 0; cpu < e.cpus; cpu++) {
		const s = e.cpuState[(cache * e.cpus + cpu) * 2 + 1];
		if (s !== NIL) cpuSlabOf.set(s, cpu);
	}
	let slabs = 0;
	let totalObjects = 0;
	let allocated = 0;
	let full = 0;
	for (const f of heads) {
		slabs++;
		const objects = e.pgObjects[f];
		totalObjects += objects;
		const frames = 1 << e.pgOrder[f];
		for (let i = 0; i < frames; i++) {
			if (owner[f + i] !== 0)
				problems.push(
					`frame ${f + i} is ${owner[f + i] === 1 ? 'free in the buddy allocator' : 'in two slabs'} and in a slab of ${name}`,
				);
			owner[f + i] = 2;
			if (e.pgHead[f + i] !== f)
				problems.push(`${name}: frame ${f + i} of slab ${f} points to head ${e.pgHead[f + i]}`);
		}
		const seen = new Set<number>();
		const slabFree = collectFreelist(e, cache, f, e.pgFreelist[f], seen, problems, 'freelist');
		const cpu = cpuSlabOf.get(f);
		let cpuFree = 0;
		if (cpu !== undefined) {
			if (e.pgState[f] !== SlabState.CpuSlab)
				problems.push(`${name}: cpu slab ${f} of CPU ${cpu} not in CpuSlab state`);
			cpuFree = collectFreelist(
				e,
				cache,
				f,
				e.cpuState[(cache * e.cpus + cpu) * 2],
				seen,
				problems,
				`CPU ${cpu} freelist`,
			);
		} else if (e.pgState[f] === SlabState.CpuSlab) {
			problems.push(`${name}: slab ${f} is marked CpuSlab but no CPU holds it`);
		}
		// A CPU slab's lockless freelist counts as in use; remote frees lower inuse as usual.
		if (e.pgInuse[f] + slabFree !== objects) {
			problems.push(`${name}: slab ${f} inuse ${e.pgInuse[f]} + free ${slabFree} != objects ${objects}`);
		}
		allocated += objects - slabFree - cpuFree;
		const state = e.pgState[f];
		if (state === SlabState.Full) full++;
		if (state === SlabState.Full && slabFree !== 0)
			problems.push(`${name}: full slab ${f} has ${slabFree} free objects`);
	}
	if (e.cacheFlags[cache] & SLAB_STORE_USER) {
		// Debug caches with STORE_USER keep every full slab on node.full.
		let listed = 0;
		for (let s = e.cacheFullHead[cache]; s !== NIL && listed <= e.nrFrames; s = e.pgNext[s]) {
			if (e.pgState[s] !== SlabState.Full || e.pgCache[s] !== cache)
				problems.push(`${name}: slab ${s} on the full list in state ${e.pgState[s]}`);
			listed++;
		}
		if (listed !== full || e.cacheNrFull[cache] !== full)
			problems.push(`${name}: ${full} full slabs but ${listed} on the full list (nr ${e.cacheNrFull[cache]})`);
	}
	if (slabs !== e.cacheNrSlabs[cache])
		problems.push(`${name}: nr_slabs ${e.cacheNrSlabs[cache]} but ${slabs} slabs found`);
	if (totalObjects !== e.cacheTotalObjects[cache])
		problems.push(`${name}: total_objects ${e.cacheTotalObjects[cache]} but slabs hold ${totalObjects}`);
	const live = liveObjects(e, cache) + c.isolated; // objects SLUB's checks took out count as in use
	if (allocated !== live)
		problems.push(`${name}: ${allocated} objects allocated in slabs but allocs − frees = ${live}`);
	let n = 0;
	let prev = NIL;
	for (let s = e.cachePartialHead[cache]; s !== NIL; s = e.pgNext[s]) {
		if (e.pgState[s] !== SlabState.NodePartial || e.pgCache[s] !== cache)
			problems.push(`${name}: slab ${s} on the node partial list in state ${e.pgState[s]}`);
		if (e.pgPrev[s] !== prev) problems.push(`${name}: node partial list back link broken at ${s}`);
		if (e.pgFreelist[s] === NIL && !c.isDebug) problems.push(`${name}: node partial slab ${s} has no free object`);
		prev = s;
		if (++n > e.nrFrames) break;
	}
	if (prev !== e.cachePartialTail[cache]) problems.push(`${name}: node partial tail mismatch`);
	if (n !== e.cacheNrPartial[cache])
		problems.push(`${name}: nr_partial ${e.cacheNrPartial[cache]} but ${n} slabs listed`);
	for (let cpu = 0; cpu < e.cpus; cpu++) {
		const head = e.cpuPartial[cache * e.cpus + cpu];
		let k = 0;
		for (let s = head; s !== NIL; s = e.pgNext[s]) {
			if (e.pgState[s] !== SlabState.CpuPartial || e.pgCpu[s] !== cpu)
				problems.push(`${name}: slab ${s} on CPU ${cpu} partial list in state ${e.pgState[s]}`);
			if (++k > e.nrFrames) break;
		}
		if (head !== NIL && e.pgPrev[head] !== k)
			problems.push(`${name}: CPU ${cpu} partial list count ${e.pgPrev[head]} but ${k} slabs`);
	}
}

/** Every invariant of the model; [] when consistent. */
export function validateEngine(e: Engine): string[] {
	const problems: string[] = [];
	const owner = validateBuddy(e, problems);
	for (const [frame, size] of e.largeKmalloc) {
		const frames = 1 << getOrder(size);
		for (let i = 0; i < frames; i++) {
			if (owner[frame + i] !== 0 || e.pgCache[frame + i] !== 0)
				problems.push(`frame ${frame + i} of a large kmalloc is also free or in a slab`);
			owner[frame + i] = 3;
		}
	}
	const heads = slabHeads(e);
	for (const id of e.cacheOrderList) validateCacheModel(e, id, heads.get(id) ?? [], owner, problems);
	for (let f = 0; f < e.nrFrames; f++) {
		if (owner[f] === 0 && e.pgCache[f] === 0)
			problems.push(`frame ${f} is neither free nor in a slab nor a large kmalloc`);
		if (owner[f] === 0 && e.pgCache[f] > 0) problems.push(`frame ${f} belongs to a slab of a destroyed cache`);
	}
	return problems;
}

/**
 * validate_slab_cache() for a cache with debug flags, as writing 1 to
 * /sys/kernel/slab/<cache>/validate: every slab on the node partial list (and the full list,
 * which only STORE_USER keeps) gets check_slab (with the slab padding check), on_freelist and
 * check_object on each object until one fails. Reports go to the event log in the kernel's
 * words and repair what they can. Returns the errors reported (slub_kunit's count).
 */
export function validateSlabCache(e: Engine, cache: number): number {
	const c = e.caches[cache];
	const before = c.errors;
	const slabs: number[] = [];
	for (let s = e.cachePartialHead[cache]; s !== NIL && slabs.length <= e.nrFrames; s = e.pgNext[s]) slabs.push(s);
	if (e.cacheFlags[cache] & SLAB_STORE_USER) {
		for (let s = e.cacheFullHead[cache]; s !== NIL && slabs.length <= e.nrFrames; s = e.pgNext[s]) slabs.push(s);
	}
	const size = e.cacheSize[cache];
	const offset = e.cacheOffset[cache];
	for (const f of slabs) {
		slabPadCheck(e, cache, f);
		if (!onFreelist(e, cache, f)) continue;
		const free = new Set<number>(); // debug caches have no CPU freelist: the slab's is all
		for (let p = e.pgFreelist[f]; p !== NIL && free.size <= e.pgObjects[f]; p = e.mem32[(p + offset) >> 2]) free.add(p);
		const base = (f << PAGE_SHIFT) + e.cacheRedLeftPad[cache];
		for (let i = 0; i < e.pgObjects[f]; i++) {
			const obj = base + i * size;
			if (!checkObject(e, cache, f, obj, free.has(obj) ? SLUB_RED_INACTIVE : SLUB_RED_ACTIVE)) break;
		}
	}
	return c.errors - before;
}

/**
 * validate for one cache: for debug caches SLUB's own checks first (validateSlabCache, which
 * repairs), then the model's invariants. Returns the problems: one line for the errors SLUB
 * reported (their text is in the event log), then any model problem.
 */
export function validateCache(e: Engine, cache: number): string[] {
	const problems: string[] = [];
	const c = e.caches[cache];
	if (c.isDebug) {
		const errors = validateSlabCache(e, cache);
		if (errors > 0)
			problems.push(`${c.name}: SLUB reported ${errors} error${errors === 1 ? '' : 's'} (the event log has them)`);
	}
	const heads = slabHeads(e, cache).get(cache) ?? [];
	validateCacheModel(e, cache, heads, new Uint8Array(e.nrFrames), problems);
	return problems;
}

/** The model's invariants for one cache only (no SLUB checks, nothing repaired); [] when consistent. */
export function checkCacheModel(e: Engine, cache: number): string[] {
	const problems: string[] = [];
	validateCacheModel(e, cache, slabHeads(e, cache).get(cache) ?? [], new Uint8Array(e.nrFrames), problems);
	return problems;
}
