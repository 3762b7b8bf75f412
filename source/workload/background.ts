// The light churn a running machine always has, for the simulator when no workload is named:
// a repeating workload derived from the boot image. Each cache a quiet machine keeps busy
// (path lookups: dentry, filp; the kmalloc caches every subsystem uses; process memory:
// vm_area_struct, maple_node, anon_vma_chain; networking: skbuff_head_cache; page cache:
// buffer_head, radix_tree_node, xarray nodes) that the capture has gets a load whose rate grows
// with the objects the capture shows in it (objects / 4000 per tick, between 0.2 and 4), with
// short exponential lifetimes, allocated and freed on any CPU. `--workload none` runs nothing.
// Main entry: backgroundWorkload().

import type {Capture} from './capture.js';
import type {CacheLoad, Workload} from './types.js';

export const BACKGROUND_NAME = 'background';

/** The caches a quiet machine churns, and the mean lifetime (ticks) of their objects. */
const CHURN: ReadonlyArray<readonly [string, number]> = [
	['dentry', 400],
	['filp', 60],
	['kmalloc-64', 40],
	['kmalloc-128', 40],
	['kmalloc-192', 60],
	['kmalloc-256', 60],
	['kmalloc-512', 80],
	['kmalloc-1k', 80],
	['kmalloc-cg-64', 100],
	['vm_area_struct', 300],
	['maple_node', 300],
	['anon_vma_chain', 300],
	['skbuff_head_cache', 10],
	['buffer_head', 600],
	['radix_tree_node', 600],
];

/** The background workload for a machine booted from `capture`; its loads use only caches the capture has. */
export function backgroundWorkload(capture: Capture): Workload {
	const objects = new Map<string, number>();
	for (const c of capture.caches) {
		objects.set(c.name, c.objects);
		for (const member of c.members) objects.set(member, c.objects);
	}
	const loads: CacheLoad[] = [];
	for (const [cache, mean] of CHURN) {
		const n = objects.get(cache);
		if (n === undefined) continue;
		const rate = Math.round(Math.min(4, Math.max(0.2, n / 4000)) * 10) / 10;
		loads.push({cache, rate, lifetime: {kind: 'exponential', mean}, allocCpu: 'any', freeCpu: 'any', burst: null});
	}
	return {
		name: BACKGROUND_NAME,
		description: `light churn of a running machine, derived from the boot image (${loads.length} caches)`,
		repeat: true,
		caches: [],
		phases: [
			{
				name: 'running',
				ticks: 6000,
				watch: 'the light churn of an idle machine (dentry, filp, kmalloc, vm_area_struct …): watch ALLOC/s and FREE/s',
				caches: loads,
				actions: [],
				untilFailures: 0,
			},
		],
	};
}
