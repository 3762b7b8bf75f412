// Boot a simulated machine that looks like a running one: every BOOT_CACHES entry created in
// order with kmem_cache_create semantics (merging included; the constructors named as the
// kernel's; demo_objects with the kmem_cache_demo module's real one), then each cache
// preloaded with its `preload` live objects. Main entry: bootMachine().
//
// Preload, per cache, deterministic in the seed: preload + preload/4 objects are allocated,
// each on a CPU drawn uniformly, then a random preload/4 of them are freed again (on the CPU
// that allocated them), so slabs are partly used as on a machine that has been running. Of
// the survivors, in reclaimable caches (reclaim.ts) three quarters are cache — unused
// dentries and inodes, held in the pools until drop_caches — and the rest, like every object
// of the other caches, stay allocated for good (in use by the simulated kernel).

import {
	BOOT_CACHES,
	type BootCache,
} from '../engine/boot-caches.js';
import {
	EngineError,
	NIL,
	PAGE_SHIFT,
	allocObject,
	createCache,
	createEngine,
	setCaller,
	type Ctor,
	type Engine,
} from '../engine/index.js';
import {err, ok, type Failure, type Result} from '../result.js';
import {DEMO_CACHE, demoCtor} from './demo.js';
import {createPools, ensureScratch, freeStaged, NEVER, poolOf, poolPush, stage, type Pools} from './pools.js';
import {createPrng, forkPrng, nextInt, type Prng} from './prng.js';
import {isReclaimable} from './reclaim.js';

export type BootOptions = {
	seed: number;
	cpus: number;
	memoryBytes: number;
	/** slub_debug= flags (SLAB_* debug bits, as config/ parsed the letters) and the caches they apply to (empty: all). */
	debug: {flags: number; caches: readonly string[]} | null;
};

export type Machine = {
	engine: Engine;
	pools: Pools;
	/** The workload stream of randomness (the preload used its own). */
	prng: Prng;
	demoCache: number;
};

export type BootResult = Result<Machine, Failure<'bad-machine'>>;

/** Kernel constructor names of the boot caches that have one. */
const CTOR_NAMES: Readonly<Record<string, string>> = {
	radix_tree_node: 'radix_tree_node_ctor',
	anon_vma: 'anon_vma_ctor',
	sighand_cache: 'sighand_ctor',
};

/** A constructor that zeroes the object (what these ctors do before initialising lists and locks). */
export function zeroingCtor(name: string): Ctor {
	return {
		name,
		run(e, obj) {
			const id = e.pgCache[e.pgHead[obj >> PAGE_SHIFT]];
			e.mem8.fill(0, obj, obj + e.caches[id].layout.objectSize);
		},
	};
}

function ctorFor(c: BootCache): Ctor | null {
	if (!c.hasCtor) return null;
	if (c.name === DEMO_CACHE) return demoCtor;
	return zeroingCtor(CTOR_NAMES[c.name] ?? 'init_once');
}

/** Share of a reclaimable cache's preload that is in use (not reclaimable by drop_caches). */
const PINNED_SHARE = 0.25;

function preload(e: Engine, pools: Pools, prng: Prng, cache: number, live: number): void {
	const extra = live >> 2;
	const total = live + extra;
	const objs = new Int32Array(total);
	const cpus = new Uint8Array(total);
	let n = 0;
	for (; n < total; n++) {
		const cpu = nextInt(prng, e.cpus);
		const obj = allocObject(e, cache, cpu);
		if (obj === NIL) break; // memory too small for this machine: boot with what fits
		objs[n] = obj;
		cpus[n] = cpu;
	}
	// Free `extra` random ones: partial Fisher–Yates moves them to the end.
	const toFree = Math.min(extra, n);
	ensureScratch(pools, toFree);
	let staged = 0;
	for (let k = 0; k < toFree; k++) {
		const last = n - 1 - k;
		const pick = nextInt(prng, last + 1);
		const o = objs[pick];
		const c = cpus[pick];
		objs[pick] = objs[last];
		cpus[pick] = cpus[last];
		stage(pools, staged++, o, c);
	}
	freeStaged(e, pools, cache, staged);
	const kept = n - toFree;
	if (!isReclaimable(e, cache)) return;
	const pool = poolOf(pools, cache);
	for (let i = Math.ceil(kept * PINNED_SHARE); i < kept; i++) poolPush(pools, pool, objs[i], NEVER, cpus[i]);
}

/** Create the engine and the boot caches, and preload them. */
export function bootMachine(options: BootOptions): BootResult {
	const debugFlags = options.debug?.flags ?? 0;
	let e: Engine;
	try {
		e = createEngine({
			memoryBytes: options.memoryBytes,
			cpus: options.cpus,
			debugFlags,
			debugCaches: options.debug?.caches ?? [],
		});
	} catch (error) {
		if (error instanceof EngineError) return err('bad-machine', error.message);
		throw error;
	}
	const root = createPrng(options.seed);
	const bootPrng = forkPrng(root, 1);
	const prng = forkPrng(root, 2);
	const pools = createPools(e.cpus);
	const ids: number[] = [];
	for (const c of BOOT_CACHES) {
		const created = createCache(e, {
			name: c.name,
			size: c.objectSize,
			align: c.align,
			flags: c.flags,
			ctor: ctorFor(c),
			usersize: c.usersize,
			freeptrOffset: c.freeptrOffset,
			sheafCapacity: c.sheafCapacity,
			isBoot: c.isBootCache,
		});
		if (!created.ok) throw new Error(`boot cache ${c.name}: ${created.message}`); // BOOT_CACHES is checked by tests
		ids.push(created.value);
	}
	setCaller(e, 'start_kernel+0x3a4/0x6e0');
	BOOT_CACHES.forEach((c, i) => {
		if (c.preload > 0) preload(e, pools, bootPrng, ids[i], c.preload);
	});
	return ok({engine: e, pools, prng, demoCache: ids[BOOT_CACHES.findIndex(c => c.name === DEMO_CACHE)]});
}
