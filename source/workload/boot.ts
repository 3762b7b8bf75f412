// Boot a simulated machine that looks like a running one: the caches of a capture of a real
// machine (capture.ts; the committed 6.18 capture by default, default-capture.ts) are created in
// creation order with kmem_cache_create semantics, aliases merging as SLUB merges them, and each
// cache's state rebuilt with the engine's own operations (boot-capture.ts), so that at tick 0
// its slabinfo line and sysfs state figures equal the capture's. Then the kmem_cache_demo module
// is loaded: demo_objects with its real constructor. Of a reclaimable cache's live objects
// (reclaim.ts) three in four are cache — unused dentries and inodes, held in the pools until
// drop_caches — and the rest, like every object of the other caches, stay allocated for good
// (in use by the simulated kernel). Main entry: bootMachine().

import {
	EngineError,
	SLAB_HWCACHE_ALIGN,
	createCache,
	createEngine,
	findCache,
	setCaller,
	type Engine,
} from '../engine/index.js';
import {rebuildFromCapture, type BootException} from './boot-capture.js';
import type {Capture} from './capture.js';
import {err, ok, type Failure, type Result} from '../result.js';
import {DEMO_CACHE, demoCtor} from './demo.js';
import {createPools, type Pools} from './pools.js';
import {createPrng, forkPrng, type Prng} from './prng.js';

export type BootOptions = {
	seed: number;
	/** null: the capture's CPU count. */
	cpus: number | null;
	memoryBytes: number;
	/** slub_debug= flags (SLAB_* debug bits, as config/ parsed the letters) and the caches they apply to (empty: all). */
	debug: {flags: number; caches: readonly string[]} | null;
	/** The machine to boot as. */
	capture: Capture;
};

export type Machine = {
	engine: Engine;
	pools: Pools;
	/** The workload stream of randomness. */
	prng: Prng;
	demoCache: number;
	/** The capture booted from. */
	capture: Capture;
	/** What the model could not reproduce of the capture, one line each (empty: all of it). */
	bootNotes: string[];
	/** Caches whose state is not the capture's exactly, with the reason. */
	bootExceptions: BootException[];
};

export type BootResult = Result<Machine, Failure<'bad-machine'>>;

/** kmem_cache_demo's demo_objects: kmem_cache_create("demo_objects", 128, 0, SLAB_HWCACHE_ALIGN, object_ctor). */
const DEMO_SIZE = 128;

/** Create the engine and the captured caches, rebuild their state, load the demo module. */
export function bootMachine(options: BootOptions): BootResult {
	const debugFlags = options.debug?.flags ?? 0;
	const capture = options.capture;
	let e: Engine;
	try {
		e = createEngine({
			memoryBytes: options.memoryBytes,
			cpus: options.cpus ?? capture.cpus,
			debugFlags,
			debugCaches: options.debug?.caches ?? [],
		});
	} catch (error) {
		if (error instanceof EngineError) return err('bad-machine', error.message);
		throw error;
	}
	const root = createPrng(options.seed);
	const prng = forkPrng(root, 2);
	const pools = createPools(e.cpus);
	setCaller(e, 'start_kernel+0x3a4/0x6e0');
	const rebuilt = rebuildFromCapture(e, pools, capture);
	let demoCache = findCache(e, DEMO_CACHE);
	if (demoCache < 0) {
		setCaller(e, 'kmem_cache_demo_init+0x2c/0x90');
		const made = createCache(e, {name: DEMO_CACHE, size: DEMO_SIZE, flags: SLAB_HWCACHE_ALIGN, ctor: demoCtor});
		if (!made.ok) return err('bad-machine', `kmem_cache_demo: ${made.message}`);
		demoCache = made.value;
	} else {
		e.caches[demoCache].ctor = demoCtor;
	}
	return ok({engine: e, pools, prng, demoCache, capture, bootNotes: rebuilt.notes, bootExceptions: rebuilt.exceptions});
}
