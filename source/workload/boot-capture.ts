// Rebuild a captured machine's slab state with the engine's own operations (kmem_cache_create,
// kmem_cache_alloc, kmem_cache_free and the CPU flush), so that each cache's /proc/slabinfo
// line and its sysfs slabs, objects, partial, objects_partial and cpu_slabs equal the
// capture's. Main entry: rebuildFromCapture().
//
// Per cache, with n objects per slab and the captured S slabs, P node-partial slabs holding OP
// objects, per-CPU partial slabs cp[k] and cpu_slabs C:
//  1. allocate S × n objects on CPU 0: S full slabs (each CPU slab is dropped full when the next
//     one is needed: DEACTIVATE_BYPASS);
//  2. node partial: for each of the P slabs free its surplus on CPU 0 (the first free of a full
//     slab puts it on CPU 0's partial list) and flush CPU 0 (the list goes to the node partial
//     list). OP is spread evenly over the P slabs; when OP < P the spare slabs are empty, which
//     the kernel keeps only while nr_partial < min_partial, so they go first;
//  3. CPU slabs: sysfs counts a CPU's partial slabs only when it has a CPU slab, so the CPUs
//     with one are those whose 1 + cp[k] add up to C. For each, half a full slab is freed on
//     that CPU and one object allocated there, which takes the slab as the CPU slab
//     (CPU_PARTIAL_ALLOC) with the rest on the CPU freelist;
//  4. CPU partial slabs: for each, half a full slab is freed on its CPU (put_cpu_partial);
//  5. the rest stay full. Free objects held by CPUs count as active in slabinfo, as they do
//     in the kernel, so how many are freed in 3 and 4 does not show in the five figures.
// A cache whose layout or figures cannot be reproduced (another kernel's layout, --cpus or
// --debug changing it, figures no sequence of operations gives) is rebuilt from its object
// count alone and reported with its reason.

import {
	NIL,
	PAGE_SHIFT,
	allocFullSlabs,
	SLAB_KMALLOC,
	createCache,
	findCache,
	flushAll,
	slabAllocObject,
	slabFreeRun,
	type Ctor,
	type Engine,
} from '../engine/index.js';
import {creatorRequest, kernelVersion, MODEL_KERNEL, type Capture, type CaptureCache} from './capture.js';
import {poolHoldBoot, poolOf, type Pools} from './pools.js';
import {isReclaimable} from './reclaim.js';

/** A cache the rebuild could not make exact, and why. */
export type BootException = {cache: string; reason: string};

export type RebuildResult = {
	/** Lines for the user: what the model could not reproduce. */
	notes: string[];
	exceptions: BootException[];
	/** Caches created (slabinfo rows), aliases included in their cache. */
	caches: number;
};

/** A constructor that zeroes the object (what most constructors do before initialising lists and locks). */
export function zeroingCtor(name: string): Ctor {
	return {
		name,
		run(e, obj) {
			if (e.pgDirty[obj >> PAGE_SHIFT] === 0) return; // memory never used since boot is zero already
			const id = e.pgCache[e.pgHead[obj >> PAGE_SHIFT]];
			e.mem8.fill(0, obj, obj + e.caches[id].layout.objectSize);
		},
	};
}

/** CPUs holding a CPU slab: a set whose size plus their partial slabs make cpu_slabs, or null. */
export function cpusWithSlab(cpuSlabs: number, perCpuPartial: readonly number[]): number[] | null {
	const cpus = perCpuPartial.length;
	// Most likely: every CPU with partial slabs has a CPU slab, plus some without partial slabs.
	const withPartial = perCpuPartial.flatMap((n, k) => (n > 0 ? [k] : []));
	const without = perCpuPartial.flatMap((n, k) => (n === 0 ? [k] : []));
	const base = withPartial.reduce((sum, k) => sum + 1 + perCpuPartial[k], 0);
	if (cpuSlabs >= base && cpuSlabs - base <= without.length)
		return [...withPartial, ...without.slice(0, cpuSlabs - base)].sort((a, b) => a - b);
	if (cpus > 16) return null;
	for (let mask = 0; mask < 1 << cpus; mask++) {
		let sum = 0;
		const set: number[] = [];
		for (let k = 0; k < cpus; k++) {
			if (mask & (1 << k)) {
				sum += 1 + perCpuPartial[k];
				set.push(k);
			}
		}
		if (sum === cpuSlabs) return set;
	}
	return null;
}

type Plan = {partialInuse: number[]; slabCpus: number[]; cpuPartial: number[]};

/** The rebuild plan for a captured cache laid out as the capture says, or why there is none. */
function planFor(e: Engine, id: number, c: CaptureCache): Plan | string {
	const n = e.cacheObjects[id];
	if (c.total_objects !== c.slabs * n)
		return `total_objects ${c.total_objects} is not slabs × objs_per_slab (slabs of a fallback order)`;
	const perCpu = c.cpu_partial_slabs.length === e.cpus ? c.cpu_partial_slabs : null;
	if (perCpu === null) return `captured on ${c.cpu_partial_slabs.length} CPUs, booted on ${e.cpus}`;
	const slabCpus = cpusWithSlab(c.cpu_slabs, perCpu);
	if (slabCpus === null) return `cpu_slabs ${c.cpu_slabs} does not fit slabs_cpu_partial ${perCpu.join('+')}`;
	const limit = e.cacheCpuPartialSlabs[id];
	const over = perCpu.findIndex(k => k > Math.max(limit, 0));
	if (over >= 0 && perCpu[over] > 0 && limit === 0)
		return `CPU ${over} holds partial slabs in a cache without CPU partial lists`;
	if (over >= 0) return `CPU ${over} holds ${perCpu[over]} partial slabs, more than put_cpu_partial keeps (${limit})`;
	const cpuHeld = slabCpus.length + perCpu.reduce((a, b) => a + b, 0);
	if (c.partial + cpuHeld > c.slabs) return `partial ${c.partial} + CPU slabs ${cpuHeld} exceed slabs ${c.slabs}`;
	if (e.cacheIsDebug[id]) return 'a debug cache (no CPU slabs): rebuilt from its object count';
	const P = c.partial;
	const OP = c.objects_partial;
	const empties = Math.max(0, P - OP);
	if (empties > e.cacheMinPartial[id])
		return `${empties} empty partial slabs, more than min_partial ${e.cacheMinPartial[id]} keeps`;
	const used = P - empties;
	if (used > 0 && Math.ceil(OP / used) > n - 1) return `objects_partial ${OP} does not fit ${P} partial slabs of ${n}`;
	if (used === 0 && OP > 0) return `objects_partial ${OP} without partial slabs`;
	const partialInuse: number[] = new Array<number>(empties).fill(0);
	for (let i = 0; i < used; i++) partialInuse.push(Math.floor(OP / used) + (i < OP % used ? 1 : 0));
	return {partialInuse, slabCpus, cpuPartial: [...perCpu]};
}

/** Allocate `count` objects on CPU 0 and keep them (a cache rebuilt from its object count). */
function rebuildByCount(e: Engine, id: number, count: number): Int32Array | null {
	const n = e.cacheObjects[id];
	const whole = Math.floor(count / n);
	const slabs = new Int32Array(whole);
	if (allocFullSlabs(e, id, 0, whole, slabs) < whole) return null;
	const objs = new Int32Array(count);
	let i = 0;
	for (const slab of slabs)
		for (let j = 0; j < e.pgObjects[slab] && i < count; j++) objs[i++] = objectAt(e, id, slab, j);
	for (; i < count; i++) {
		const obj = slabAllocObject(e, id, 0);
		if (obj === NIL) return null;
		objs[i] = obj;
	}
	return objs;
}

/** Object j of a slab (in address order). */
const objectAt = (e: Engine, id: number, slab: number, j: number): number =>
	(slab << PAGE_SHIFT) + e.cacheRedLeftPad[id] + j * e.cacheSize[id];

/**
 * Run the plan on a cache filled with `slabs` full slabs: returns, per slab, how many of its
 * highest-addressed objects were freed, and the objects a CPU took back from them.
 */
function rebuildExact(e: Engine, id: number, plan: Plan, slabs: Int32Array): {freed: Int32Array; retaken: number[]} {
	const freed = new Int32Array(slabs.length);
	const retaken: number[] = [];
	const freeTail = (i: number, k: number, cpu: number): void => {
		const slab = slabs[i];
		const objects = e.pgObjects[slab];
		slabFreeRun(e, id, cpu, objectAt(e, id, slab, objects - k), e.cacheSize[id], k);
		freed[i] = k;
	};
	const n = e.cacheObjects[id];
	let next = 0; // slabs are taken from the front, in allocation order
	for (const inuse of plan.partialInuse) {
		freeTail(next++, n - inuse, 0);
		flushAll(e, id);
	}
	if (plan.partialInuse.length === 0) flushAll(e, id); // CPU 0 gives up the last slab it filled
	const half = Math.max(1, n >> 1);
	for (const cpu of plan.slabCpus) {
		freeTail(next++, half, cpu);
		retaken.push(slabAllocObject(e, id, cpu)); // takes the slab from this CPU's partial list
	}
	plan.cpuPartial.forEach((count, cpu) => {
		for (let i = 0; i < count; i++) freeTail(next++, half, cpu);
	});
	return {freed, retaken};
}

/** Pages a cache of `slabs` slabs of its order needs, with room to spare for the rest of the boot. */
const pagesFor = (e: Engine, id: number, slabs: number): number => slabs << e.cacheOrder[id];

/**
 * Create every captured cache in creation order (the reverse of slabinfo order), its aliases
 * merging into it, and rebuild its state. A cache with a constructor gets a zeroing one of its
 * symbol's name (zeroingCtor).
 */
export function rebuildFromCapture(e: Engine, pools: Pools, capture: Capture): RebuildResult {
	const notes: string[] = [];
	const exceptions: BootException[] = [];
	const version = kernelVersion(capture.kernelRelease);
	if (version !== MODEL_KERNEL) {
		notes.push(
			`boot image from Linux ${capture.kernelRelease}, the model is of ${MODEL_KERNEL}: caches are laid out by ${MODEL_KERNEL}'s rules, and those whose layout differs from the capture's are rebuilt from their object counts`,
		);
	}
	if (capture.cpus !== e.cpus)
		notes.push(
			`captured on ${capture.cpus} CPUs, booted on ${e.cpus}: cache orders and CPU slabs differ from the capture`,
		);
	let created = 0;
	let memoryShort = 0;
	for (let k = capture.caches.length - 1; k >= 0; k--) {
		const c = capture.caches[k];
		const req = creatorRequest(c);
		const made = createCache(e, {
			name: c.name,
			size: req.size,
			align: req.align,
			flags: req.flags,
			ctor: req.ctorName === null ? null : zeroingCtor(req.ctorName),
			usersize: req.usersize,
			freeptrOffset: req.freeptrOffset,
			sheafCapacity: req.sheafCapacity,
			isBoot: req.isBoot,
		});
		if (!made.ok) {
			exceptions.push({cache: c.name, reason: `not created: ${made.message}`});
			continue;
		}
		const id = made.value;
		created++;
		for (const member of c.members) {
			if (member === c.name || findCache(e, member) >= 0) continue;
			const alias = createCache(e, {name: member, size: req.size, align: req.align, flags: req.flags & ~SLAB_KMALLOC});
			if (!alias.ok || alias.value !== id)
				exceptions.push({cache: c.name, reason: `alias ${member} did not merge into it`});
		}
		const layout = e.caches[id].layout;
		let reason: string | null = null;
		if (layout.size !== c.slab_size || layout.order !== c.order || layout.objects !== c.objs_per_slab) {
			reason = `layout ${layout.size} B × ${layout.objects} per order-${layout.order} slab, captured ${c.slab_size} B × ${c.objs_per_slab} per order-${c.order}`;
		}
		const plan = reason === null ? planFor(e, id, c) : reason;
		const slabsNeeded = typeof plan === 'string' ? Math.ceil(c.objects / layout.objects) : c.slabs;
		if (pagesFor(e, id, slabsNeeded) > e.nrFreePages) {
			memoryShort++;
			exceptions.push({cache: c.name, reason: 'not rebuilt: simulated memory is full (see --memory)'});
			continue;
		}
		if (typeof plan === 'string') {
			exceptions.push({cache: c.name, reason: plan});
			const live = rebuildByCount(e, id, c.objects);
			if (live !== null && isReclaimable(e, id)) holdReclaimable(pools, id, live);
			if (live !== null) continue;
		} else {
			const slabs = new Int32Array(c.slabs);
			if (allocFullSlabs(e, id, 0, c.slabs, slabs) === c.slabs) {
				const {freed, retaken} = rebuildExact(e, id, plan, slabs);
				if (isReclaimable(e, id)) {
					// Objects each slab keeps, counted now: a slab left empty may be gone by the time the list is made.
					const kept = new Int32Array(slabs.length);
					let count = retaken.length;
					for (let i = 0; i < slabs.length; i++) count += kept[i] = e.pgObjects[slabs[i]] - freed[i];
					poolHoldBoot(poolOf(pools, id), () => liveObjects(e, id, slabs, kept, retaken, pinnedOf(count), count));
				}
				continue;
			}
		}
		memoryShort++;
		exceptions.push({cache: c.name, reason: 'rebuilt partly: simulated memory ran out (see --memory)'});
	}
	if (memoryShort > 0) notes.push(`${memoryShort} caches did not fit in the simulated memory: give more with --memory`);
	return {notes, exceptions, caches: created};
}

/**
 * The objects a rebuilt cache holds, from the `skip`-th on: each slab's objects but its freed
 * tail, then those retaken.
 */
function liveObjects(
	e: Engine,
	id: number,
	slabs: Int32Array,
	kept: Int32Array,
	retaken: readonly number[],
	skip: number,
	count: number,
): Int32Array {
	const out = new Int32Array(Math.max(0, count - skip));
	let k = 0;
	let seen = 0;
	const size = e.cacheSize[id];
	for (let i = 0; i < slabs.length; i++) {
		const live = kept[i];
		if (seen + live <= skip) {
			seen += live;
			continue;
		}
		const first = (slabs[i] << PAGE_SHIFT) + e.cacheRedLeftPad[id];
		for (let j = 0; j < live; j++, seen++) if (seen >= skip) out[k++] = first + j * size;
	}
	for (const obj of retaken) if (seen++ >= skip) out[k++] = obj;
	return out;
}

/** Objects a reclaimable cache keeps in use: a quarter (the rest is cache, freed by drop_caches). */
const pinnedOf = (count: number): number => Math.ceil(count / 4);

/**
 * A reclaimable cache's live objects: the first quarter (in allocation order, so whole slabs)
 * stay in use; the other three in four are held as cache, freed by drop_caches.
 */
function holdReclaimable(pools: Pools, id: number, live: Int32Array): void {
	poolHoldBoot(poolOf(pools, id), () => live.subarray(pinnedOf(live.length)));
}
