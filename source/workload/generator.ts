// Runs a workload against the engine one tick at a time. Main entries: startWorkload() (check
// the workload against the machine, create its caches) and stepWorkload() (one tick).
//
// What it produces, per tick of a phase and per cache load (all draws from the seeded PRNG, in
// a fixed order, so the same workload, seed and options give the same statistics tick for tick):
//   - allocations: a Poisson-distributed count with mean `rate × rateScale`, plus, on burst
//     ticks (phase tick ≡ offset mod every), `count × rateScale` more at once;
//   - each object's CPU: uniform over the machine's CPUs (`any`) or the fixed one;
//   - each object's lifetime, drawn at allocation: fixed, uniform on [min, max] (integers),
//     exponential with the given mean (rounded, at least 1 tick; memoryless churn, so a cache
//     settles at about rate × mean live objects), or forever;
//   - the CPU that frees it, fixed at allocation: the same CPU, another one (uniform over the
//     others), any (uniform), or a fixed one.
// Objects are held in the pools (pools.ts) and freed by freeExpired() when their tick comes,
// whether or not the workload is still running. When an allocation fails (out of memory) the
// load gives up for that tick, as a kernel caller returning -ENOMEM would, and the failure is
// counted; `untilFailures` ends a phase after that many. Actions run at their phase tick
// before that tick's allocations. The caches a run uses are resolved when it starts
// (run.caches); the command bar refuses to destroy them while it runs.

import {err, ok, type Failure, type Result} from '../result.js';
import {
	CACHE_NAME_RE,
	NIL,
	allocObject,
	computeLayout,
	createCache,
	destroyCache,
	findCache,
	setCaller,
	shrinkCache,
	type Engine,
} from '../engine/index.js';
import {nextExponential, nextInt, nextPoisson, type Prng} from './prng.js';
import {
	NEVER,
	ensureScratch,
	entryFreeCpu,
	entryObject,
	freeStaged,
	poolEntries,
	poolOf,
	poolPush,
	poolRemove,
	stage,
	type Pools,
} from './pools.js';
import {dropCaches, dropCachesMessage, shrinkAll} from './reclaim.js';
import type {CacheDefinition, CacheLoad, Lifetime, Phase, Workload, WorkloadAction} from './types.js';

export type WorkloadLogEntry = {kind: 'phase' | 'info'; cache: string; text: string};

type CompiledLoad = {cache: number; load: CacheLoad; caller: string};

/** An action with the cache it names resolved at start (-1: `all`, or none). */
type CompiledAction = {action: WorkloadAction; cache: number};

export type WorkloadRun = {
	readonly workload: Workload;
	readonly rateScale: number;
	readonly prng: Prng;
	readonly loads: CompiledLoad[][]; // per phase
	readonly actions: CompiledAction[][]; // per phase, in `at` order
	/** Every cache the workload allocates from or acts on: the command bar may not destroy them while it runs. */
	readonly caches: ReadonlySet<number>;
	readonly totalTicks: number;
	phaseIndex: number;
	phaseTick: number; // ticks run in the current phase
	phaseFailures: number;
	loops: number;
	failures: number; // allocation failures over the whole run
	allocated: number;
	isFinished: boolean;
	/** Phase changes and action results since the caller last drained it. */
	log: WorkloadLogEntry[];
};

export type StartResult = Result<WorkloadRun, Failure<'invalid-workload'>>;

/** Every cache name a workload refers to, with where (for error messages). */
function referencedCaches(w: Workload): Array<{name: string; where: string}> {
	const out: Array<{name: string; where: string}> = [];
	w.phases.forEach((p, i) => {
		p.caches.forEach((c, j) => out.push({name: c.cache, where: `phases[${i}].caches[${j}].cache`}));
		p.actions.forEach((a, j) => {
			if (a.kind === 'free' || (a.kind === 'shrink' && a.cache !== 'all')) {
				out.push({name: a.cache, where: `phases[${i}].actions[${j}].cache`});
			}
		});
	});
	return out;
}

/** Why caches[i] could not be created, or null: createCache's checks (name, layout), without creating it. */
function definitionProblem(e: Engine, def: CacheDefinition, i: number): string | null {
	if (!CACHE_NAME_RE.test(def.name))
		return `caches[${i}].name: bad cache name "${def.name}": use 1-64 letters, digits and _ : . ( ) + -`;
	const layout = computeLayout({
		objectSize: def.size,
		align: def.align,
		flags: def.flags,
		hasCtor: false,
		freeptrOffset: -1,
		cpus: e.cpus,
	});
	return layout.ok ? null : `caches[${i}]: ${layout.message}`;
}

/**
 * Check a workload against the machine (caches exist or are defined by it and can be created,
 * CPUs exist), then create the caches it defines. Nothing is touched when a check fails.
 */
export function startWorkload(e: Engine, workload: Workload, prng: Prng, rateScale = 1): StartResult {
	const defined = new Set(workload.caches.map(c => c.name));
	for (const ref of referencedCaches(workload)) {
		if (findCache(e, ref.name) < 0 && !defined.has(ref.name)) {
			return err(
				'invalid-workload',
				`${ref.where}: no cache named "${ref.name}" (define it under "caches" or use an existing one)`,
			);
		}
	}
	for (const [i, p] of workload.phases.entries()) {
		for (const [j, c] of p.caches.entries()) {
			for (const [field, cpu] of [
				['allocCpu', c.allocCpu],
				['freeCpu', c.freeCpu],
			] as const) {
				if (typeof cpu === 'number' && cpu >= e.cpus) {
					return err(
						'invalid-workload',
						`phases[${i}].caches[${j}].${field}: CPU ${cpu} does not exist (the machine has CPUs 0-${e.cpus - 1}; see --cpus)`,
					);
				}
			}
		}
	}
	for (const [i, def] of workload.caches.entries()) {
		if (findCache(e, def.name) >= 0) continue;
		const problem = definitionProblem(e, def, i);
		if (problem !== null) return err('invalid-workload', problem);
	}
	const createdNames: string[] = [];
	for (const [i, def] of workload.caches.entries()) {
		if (findCache(e, def.name) >= 0) continue; // exists, or defined twice
		const created = createCache(e, {name: def.name, size: def.size, align: def.align, flags: def.flags});
		if (!created.ok) {
			// Only the engine's cache-id limit gets here: give back what was created, still empty.
			for (const name of createdNames) destroyCache(e, name);
			return err('invalid-workload', `caches[${i}]: ${created.message}`);
		}
		createdNames.push(def.name);
	}
	const loads = workload.phases.map(p =>
		p.caches.map(load => ({cache: findCache(e, load.cache), load, caller: `${workload.name}:${p.name}+0x0/0x0`})),
	);
	const actions = workload.phases.map(p =>
		p.actions.map(action => ({
			action,
			cache:
				action.kind === 'drop_caches' || (action.kind === 'shrink' && action.cache === 'all')
					? -1
					: findCache(e, action.cache),
		})),
	);
	const caches = new Set(
		[...loads.flat().map(l => l.cache), ...actions.flat().map(a => a.cache)].filter(id => id >= 0),
	);
	const run: WorkloadRun = {
		workload,
		rateScale,
		prng,
		loads,
		actions,
		caches,
		totalTicks: workload.phases.reduce((sum, p) => sum + p.ticks, 0),
		phaseIndex: 0,
		phaseTick: 0,
		phaseFailures: 0,
		loops: 0,
		failures: 0,
		allocated: 0,
		isFinished: false,
		log: [],
	};
	logPhase(run);
	return ok(run);
}

function logPhase(run: WorkloadRun): void {
	const w = run.workload;
	const p = w.phases[run.phaseIndex];
	run.log.push({
		kind: 'phase',
		cache: '',
		text: `workload ${w.name}: phase ${run.phaseIndex + 1}/${w.phases.length} "${p.name}" (${p.ticks} ticks)`,
	});
}

function drawLifetime(prng: Prng, lifetime: Lifetime): number {
	switch (lifetime.kind) {
		case 'fixed':
			return lifetime.ticks;
		case 'uniform':
			return lifetime.min + nextInt(prng, lifetime.max - lifetime.min + 1);
		case 'exponential':
			return Math.max(1, Math.round(nextExponential(prng, lifetime.mean)));
		case 'forever':
			return NEVER;
	}
}

function drawFreeCpu(prng: Prng, load: CacheLoad, cpu: number, cpus: number): number {
	const policy = load.freeCpu;
	if (typeof policy === 'number') return policy;
	if (policy === 'same' || cpus === 1) return cpu;
	if (policy === 'any') return nextInt(prng, cpus);
	return (cpu + 1 + nextInt(prng, cpus - 1)) % cpus;
}

/** Allocate this tick's objects for one load. */
function runLoad(e: Engine, pools: Pools, run: WorkloadRun, c: CompiledLoad, tick: number): void {
	const {load, cache} = c;
	const prng = run.prng;
	let count = load.rate > 0 ? nextPoisson(prng, load.rate * run.rateScale) : 0;
	const burst = load.burst;
	if (burst !== null && run.phaseTick >= burst.offset && (run.phaseTick - burst.offset) % burst.every === 0) {
		count += Math.round(burst.count * run.rateScale);
	}
	if (count === 0) return;
	setCaller(e, c.caller);
	const pool = poolOf(pools, cache);
	const cpus = e.cpus;
	for (let i = 0; i < count; i++) {
		const cpu = load.allocCpu === 'any' ? nextInt(prng, cpus) : load.allocCpu;
		const obj = allocObject(e, cache, cpu);
		if (obj === NIL) {
			run.failures++;
			run.phaseFailures++;
			return;
		}
		run.allocated++;
		const life = drawLifetime(prng, load.lifetime);
		const expire = life === NEVER ? NEVER : Math.min(NEVER - 1, tick + life);
		poolPush(pools, pool, obj, expire, drawFreeCpu(prng, load, cpu, cpus));
	}
}

/**
 * Free a fraction of the objects held for a cache: random ones (each drawn uniformly from those
 * still held, listed in allocation order, the last one taking the place of each drawn), the
 * oldest or the newest; freed in the order picked, or allocation order for oldest and newest.
 */
function freeFraction(
	e: Engine,
	pools: Pools,
	prng: Prng,
	cache: number,
	fraction: number,
	pick: 'random' | 'oldest' | 'newest',
	isBulk: boolean,
): number {
	const pool = poolOf(pools, cache);
	const held = poolEntries(pools, pool);
	const k = Math.round(held.length * fraction);
	ensureScratch(pools, k);
	let chosen: Float64Array;
	if (pick === 'random') {
		chosen = new Float64Array(k);
		let left = held.length;
		for (let i = 0; i < k; i++) {
			const index = nextInt(prng, left);
			chosen[i] = held[index];
			held[index] = held[--left];
		}
	} else {
		chosen = pick === 'oldest' ? held.subarray(0, k) : held.subarray(held.length - k);
	}
	for (let n = 0; n < k; n++) {
		const place = chosen[n];
		stage(pools, n, entryObject(pools, place), entryFreeCpu(pools, place));
		poolRemove(pools, pool, place);
	}
	return freeStaged(e, pools, cache, k, isBulk);
}

function runAction(e: Engine, pools: Pools, run: WorkloadRun, {action, cache}: CompiledAction): void {
	const label = `workload ${run.workload.name}`;
	switch (action.kind) {
		case 'shrink': {
			const r = cache < 0 ? shrinkAll(e) : shrinkCache(e, cache);
			const where = cache < 0 ? '' : action.cache;
			run.log.push({
				kind: 'info',
				cache: where,
				text: `${label}: shrink ${action.cache}: ${r.slabsFreed} slabs (${r.pagesFreed} pages) freed`,
			});
			return;
		}
		case 'drop_caches':
			run.log.push({kind: 'info', cache: '', text: `${label}: ${dropCachesMessage(dropCaches(e, pools))}`});
			return;
		case 'free': {
			const freed = freeFraction(e, pools, run.prng, cache, action.fraction, action.pick, action.bulk);
			run.log.push({
				kind: 'info',
				cache: action.cache,
				text: `${label}: freed ${freed} ${action.pick} objects of ${action.cache}${action.bulk ? ' (kmem_cache_free_bulk)' : ''}`,
			});
			return;
		}
	}
}

/** One tick of the workload at engine tick `tick` (the caller has already set it). */
export function stepWorkload(e: Engine, pools: Pools, run: WorkloadRun, tick: number): void {
	if (run.isFinished) return;
	const phase: Phase = run.workload.phases[run.phaseIndex];
	for (const compiled of run.actions[run.phaseIndex])
		if (compiled.action.at === run.phaseTick) runAction(e, pools, run, compiled);
	for (const load of run.loads[run.phaseIndex]) runLoad(e, pools, run, load, tick);
	run.phaseTick++;
	const isFailed = phase.untilFailures > 0 && run.phaseFailures >= phase.untilFailures;
	if (run.phaseTick < phase.ticks && !isFailed) return;
	if (isFailed) {
		run.log.push({
			kind: 'info',
			cache: '',
			text: `workload ${run.workload.name}: phase "${phase.name}" ends after ${run.phaseFailures} allocation failures`,
		});
	}
	run.phaseTick = 0;
	run.phaseFailures = 0;
	run.phaseIndex++;
	if (run.phaseIndex === run.workload.phases.length) {
		if (!run.workload.repeat) {
			run.phaseIndex--;
			run.phaseTick = phase.ticks;
			run.isFinished = true;
			run.log.push({
				kind: 'phase',
				cache: '',
				text: `workload ${run.workload.name}: finished (${run.allocated} objects allocated, ${run.failures} failures)`,
			});
			return;
		}
		run.phaseIndex = 0;
		run.loops++;
	}
	logPhase(run);
}

/** Where the run is: for the status line. */
export function workloadProgress(run: WorkloadRun): {
	phase: string;
	watch: string;
	phaseIndex: number;
	phaseCount: number;
	phaseProgress: number;
	progress: number;
} {
	const phases = run.workload.phases;
	const p = phases[run.phaseIndex];
	let before = 0;
	for (let i = 0; i < run.phaseIndex; i++) before += phases[i].ticks;
	return {
		phase: p.name,
		watch: p.watch,
		phaseIndex: run.phaseIndex,
		phaseCount: phases.length,
		phaseProgress: Math.min(1, run.phaseTick / p.ticks),
		progress: Math.min(1, (before + run.phaseTick) / run.totalTicks),
	};
}
