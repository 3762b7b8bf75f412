// Engine benchmark workloads W1–W4 of shared/bench/README.md, run on the TypeScript engine as
// it runs under the UI (every counter on; frees through kfreeOwned, as the workload generator
// frees the objects it owns). Each returns its JSON figures; `inspect` sees the engine at the
// end, e.g. to print counters() in the reference's -v format (test/engine/reference.test.ts
// compares them with the C model's, figure for figure).

import {round2} from './stats.js';
import {
	STAT_NAMES,
	allocObject,
	createCache,
	createEngine,
	kfreeOwned,
	shrinkCache,
	validateEngine,
	type Engine,
	Stat,
	STAT_COUNT,
	oneCacheStats,
	liveObjects,
} from '../source/engine/index.js';

export type WorkloadResult = {
	workload: string;
	ns_per_op: number;
	ops: number;
	live_peak: number;
	rss_mib: number;
};

const MEM = 2 ** 30;
let rngX = 0x9e3779b9;
function rnd(): number {
	let x = rngX;
	x ^= x << 13;
	x >>>= 0;
	x ^= x >>> 17;
	x ^= x << 5;
	x >>>= 0;
	rngX = x;
	return x;
}

const rssMib = (): number => Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10;
const now = (): bigint => process.hrtime.bigint();

/** The bench's machine and its one 64-byte cache (with `sheafCapacity`: W5's, which the reference has not). */
function setup(cpus: number, sheafCapacity = 0): {e: Engine; cache: number} {
	rngX = 0x9e3779b9;
	const e = createEngine({memoryBytes: MEM, cpus, isMergeEnabled: false});
	const r =
		sheafCapacity === 0
			? createCache(e, {name: 'bench-64', size: 64, align: 8})
			: createCache(e, {name: 'bench-sheaf-64', size: 64, align: 8, sheafCapacity});
	if (!r.ok) throw new Error(r.message);
	const l = e.caches[r.value].layout;
	if (
		(sheafCapacity === 0 && l.size !== 64) ||
		l.order !== 0 ||
		l.objects !== 64 ||
		l.minPartial !== 5 ||
		l.cpuPartial !== 120 ||
		l.cpuPartialSlabs !== 4
	) {
		throw new Error('bench cache layout differs from the reference');
	}
	return {e, cache: r.value};
}

/** The counters the reference prints with -v. */
export function counters(name: string, e: Engine, cache: number): Record<string, number | string> {
	const st = oneCacheStats(e, cache);
	const out: Record<string, number | string> = {
		workload: name,
		active_objs: st.inUse,
		num_objs: st.numObjs,
		num_slabs: st.numSlabs,
		nr_partial: st.partial,
		slabs_cpu_partial: st.cpuPartialSlabs,
		buddy_free_pages: e.nrFreePages,
	};
	for (let s = Stat.AllocFastpath; s <= Stat.CpuPartialDrain; s++) {
		if (s === Stat.FreePcs || s === Stat.FreeRcuSheaf || s === Stat.FreeRcuSheafFail) continue;
		let sum = 0;
		for (let cpu = 0; cpu < e.cpus; cpu++) sum += e.stats[(cache * e.cpus + cpu) * STAT_COUNT + s];
		out[STAT_NAMES[s]] = sum;
	}
	return out;
}

export type Inspect = (e: Engine, cache: number) => void;

function done(
	name: string,
	e: Engine,
	cache: number,
	ns: bigint,
	ops: number,
	peak: number,
	rss: number,
	inspect: Inspect | undefined,
): WorkloadResult {
	const problems = validateEngine(e);
	if (problems.length > 0) throw new Error(`${name}: model check failed: ${problems.slice(0, 3).join('; ')}`);
	inspect?.(e, cache);
	return {workload: name, ns_per_op: round2(Number(ns) / ops), ops, live_peak: peak, rss_mib: rss};
}

export function w1(inspect?: Inspect): WorkloadResult {
	const {e, cache} = setup(1);
	const n = 20_000_000;
	const t0 = now();
	for (let k = 0; k < n; k++) {
		const p = allocObject(e, cache, 0);
		kfreeOwned(e, p, 0);
	}
	const t = now() - t0;
	return done('W1', e, cache, t, n, 1, rssMib(), inspect);
}

function churn(
	name: string,
	cpus: number,
	freeCpu: number,
	n: number,
	steps: number,
	isRssAfterFill: boolean,
	inspect?: Inspect,
	sheafCapacity = 0,
): WorkloadResult {
	const {e, cache} = setup(cpus, sheafCapacity);
	const live = new Int32Array(n);
	for (let i = 0; i < n; i++) live[i] = allocObject(e, cache, 0);
	const peak = liveObjects(e, cache);
	const rssFill = rssMib();
	const t0 = now();
	for (let k = 0; k < steps; k++) {
		const i = rnd() % n;
		kfreeOwned(e, live[i], freeCpu);
		live[i] = allocObject(e, cache, 0);
	}
	const t = now() - t0;
	return done(name, e, cache, t, steps, peak, isRssAfterFill ? rssFill : rssMib(), inspect);
}

export const w2 = (inspect?: Inspect): WorkloadResult => churn('W2', 1, 0, 1_000_000, 10_000_000, true, inspect);
export const w4 = (inspect?: Inspect): WorkloadResult => churn('W4', 2, 1, 1_000_000, 10_000_000, false, inspect);

export function w3(inspect?: Inspect): WorkloadResult {
	const n = 2_000_000;
	const {e, cache} = setup(1);
	const live = new Int32Array(n);
	let t0 = now();
	for (let i = 0; i < n; i++) live[i] = allocObject(e, cache, 0);
	let t = now() - t0;
	const peak = liveObjects(e, cache);
	for (let i = n - 1; i >= 1; i--) {
		const j = rnd() % (i + 1);
		const tmp = live[i];
		live[i] = live[j];
		live[j] = tmp;
	}
	t0 = now();
	for (let i = 0; i < n; i++) kfreeOwned(e, live[i], 0);
	shrinkCache(e, cache);
	t += now() - t0;
	if (e.nrFreePages !== e.nrFrames || e.freeCount[10] !== e.nrFrames >> 10 || e.cacheNrSlabs[cache] !== 0) {
		throw new Error('W3: frames missing after shrink');
	}
	return done('W3', e, cache, t, n, peak, rssMib(), inspect);
}

/**
 * W5 (ours; the C reference has no sheaves): W4 on a cache with 6.18 sheaves (sheaf capacity
 * 32, as vm_area_struct and maple_node): 2 CPUs, fill N = 1,000,000 on cpu0, then 10,000,000
 * steps of a free on cpu1 and an allocation on cpu0. cpu1's frees fill sheaves that reach cpu0
 * through the barn; when the barn holds MAX_FULL_SHEAVES, sheaves are flushed to their slabs.
 */
export const w5 = (inspect?: Inspect): WorkloadResult => churn('W5', 2, 1, 1_000_000, 10_000_000, false, inspect, 32);

export const WORKLOADS: Record<string, (inspect?: Inspect) => WorkloadResult> = {
	W1: w1,
	W2: w2,
	W3: w3,
	W4: w4,
	W5: w5,
};
