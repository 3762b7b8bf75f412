// The engine's state as plain data, for tests that run the same steps two ways (a quick path
// and the one-by-one path it must equal) and compare the machines they leave.

import {createCache, createEngine, type Engine} from '../../source/engine/index.js';

/** A 2-CPU machine with one cache of `size`-byte objects. */
export function oneCacheMachine(
	name: string,
	size: number,
	flags = 0,
	memoryBytes = 64 * 2 ** 20,
): {e: Engine; id: number} {
	const e = createEngine({memoryBytes, cpus: 2});
	const made = createCache(e, {name, size, flags});
	if (!made.ok) throw new Error(made.message);
	return {e, id: made.value};
}

/** Lists, slabs, freelists, counters and events (simulated memory apart: compare it as bytes). */
export function machineState(e: Engine): Record<string, unknown> {
	return {
		stats: Array.from(e.stats),
		cpuState: Array.from(e.cpuState),
		cpuPartial: Array.from(e.cpuPartial),
		pgState: Array.from(e.pgState),
		pgInuse: Array.from(e.pgInuse),
		pgFreelist: Array.from(e.pgFreelist),
		pgObjects: Array.from(e.pgObjects),
		pgCache: Array.from(e.pgCache),
		pgCpu: Array.from(e.pgCpu),
		nrPartial: Array.from(e.cacheNrPartial),
		nrSlabs: Array.from(e.cacheNrSlabs),
		totalObjects: Array.from(e.cacheTotalObjects),
		freeCount: Array.from(e.freeCount),
		events: e.events.map(ev => ev.text),
	};
}
