// The trace hook's cost, measured in one process: this file is bundled twice (scripts/build.mjs),
// once as shipped (`on`: the engine tests `e.trace` on every operation, the trace closed) and
// once with the hook compiled out (`off`), and trace-ab-run.ts alternates the two on the same
// workloads, so both see the same machine load.

import {NIL, allocObject, createCache, createEngine, kfreeOwned, openTrace} from '../source/engine/index.js';

export type AbWorkload = 'fastpath' | 'churn';

/**
 * ns per operation: `fastpath` allocates and frees one object on one CPU (W1's loop);
 * `churn` keeps 200000 objects and replaces random ones, freeing on the other CPU (W4's loop).
 * `isOpen`: with the trace open on every operation.
 */
export function run(workload: AbWorkload, ops: number, isOpen = false): number {
	const e = createEngine({memoryBytes: 2 ** 30, cpus: 2, isMergeEnabled: false});
	const r = createCache(e, {name: 'ab-64', size: 64, align: 8});
	if (!r.ok) throw new Error(r.message);
	const cache = r.value;
	if (isOpen) openTrace(e, {every: 1});
	let x = 0x9e3779b9;
	if (workload === 'fastpath') {
		const t0 = process.hrtime.bigint();
		for (let k = 0; k < ops; k++) kfreeOwned(e, allocObject(e, cache, 0), 0);
		return Number(process.hrtime.bigint() - t0) / ops;
	}
	const live = new Int32Array(200_000);
	for (let i = 0; i < live.length; i++) live[i] = allocObject(e, cache, 0);
	const t0 = process.hrtime.bigint();
	for (let k = 0; k < ops; k++) {
		x ^= x << 13;
		x >>>= 0;
		x ^= x >>> 17;
		x ^= x << 5;
		x >>>= 0;
		const i = x % live.length;
		kfreeOwned(e, live[i], 1);
		live[i] = allocObject(e, cache, 0);
		if (live[i] === NIL) throw new Error('out of memory');
	}
	return Number(process.hrtime.bigint() - t0) / ops;
}
