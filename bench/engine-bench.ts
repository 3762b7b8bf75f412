// Engine benchmark workloads W1–W4 of shared/bench/README.md, run on the TypeScript engine as
// it runs under the UI (all counters on, checked kfree). One JSON line per workload; with
// `verbose`, the slabinfo figures and SLUB_STATS counters too, in the reference's format, so
// the two models can be compared counter for counter.

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

function setup(cpus: number): {e: Engine; cache: number} {
	rngX = 0x9e3779b9;
	const e = createEngine({memoryBytes: MEM, cpus, isMergeEnabled: false});
	const r = createCache(e, {name: 'bench-64', size: 64, align: 8});
	if (!r.ok) throw new Error(r.message);
	const l = e.caches[r.value].layout;
	if (l.size !== 64 || l.order !== 0 || l.objects !== 64 || l.minPartial !== 5 || l.cpuPartial !== 120 || l.cpuPartialSlabs !== 4) {
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

function done(
	name: string,
	e: Engine,
	cache: number,
	ns: bigint,
	ops: number,
	peak: number,
	rss: number,
	verbose: boolean,
): WorkloadResult {
	const problems = validateEngine(e);
	if (problems.length > 0) throw new Error(`${name}: model check failed: ${problems.slice(0, 3).join('; ')}`);
	if (verbose) process.stderr.write(`${JSON.stringify(counters(name, e, cache))}\n`);
	return {workload: name, ns_per_op: Math.round((Number(ns) / ops) * 100) / 100, ops, live_peak: peak, rss_mib: rss};
}

export function w1(verbose = false): WorkloadResult {
	const {e, cache} = setup(1);
	const n = 20_000_000;
	const t0 = now();
	for (let k = 0; k < n; k++) {
		const p = allocObject(e, cache, 0);
		kfreeOwned(e, p, 0);
	}
	const t = now() - t0;
	return done('W1', e, cache, t, n, 1, rssMib(), verbose);
}

function churn(name: string, cpus: number, freeCpu: number, n: number, steps: number, isRssAfterFill: boolean, verbose: boolean): WorkloadResult {
	const {e, cache} = setup(cpus);
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
	return done(name, e, cache, t, steps, peak, isRssAfterFill ? rssFill : rssMib(), verbose);
}

export const w2 = (verbose = false): WorkloadResult => churn('W2', 1, 0, 1_000_000, 10_000_000, true, verbose);
export const w4 = (verbose = false): WorkloadResult => churn('W4', 2, 1, 1_000_000, 10_000_000, false, verbose);

export function w3(verbose = false): WorkloadResult {
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
	return done('W3', e, cache, t, n, peak, rssMib(), verbose);
}

export const WORKLOADS: Record<string, (verbose?: boolean) => WorkloadResult> = {W1: w1, W2: w2, W3: w3, W4: w4};
