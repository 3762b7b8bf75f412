// SLUB_STATS counters (enum stat_item in mm/slub.c, 6.18 order, verified in BTF). The engine
// always counts them, per cache and per CPU, in one Float64Array at
// ((cache * cpus) + cpu) * STAT_COUNT + Stat.X (counts pass 2^32 in long runs).

export enum Stat {
	AllocPcs, // object taken from a CPU sheaf (sysfs alloc_cpu_sheaf)
	AllocFastpath, // object popped from the CPU freelist
	AllocSlowpath, // every entry to ___slab_alloc
	FreePcs, // object put into a CPU sheaf (sysfs free_cpu_sheaf)
	FreeRcuSheaf, // kfree_rcu object put into the rcu sheaf
	FreeRcuSheafFail, // rcu sheaf full
	FreeFastpath, // object pushed onto the CPU freelist of its own cpu slab
	FreeSlowpath, // free into a slab that is not this CPU's cpu slab
	FreeFrozen, // slow free into a frozen (some CPU's active) slab
	FreeAddPartial, // slab put on the node partial list by a free or a drain
	FreeRemovePartial, // empty slab taken off the node partial list at free
	AllocFromPartial, // cpu slab taken from the node partial list
	AllocSlab, // new slab from the page allocator
	AllocRefill, // cpu slab refilled from its own freelist (remote frees)
	AllocNodeMismatch, // cpu slab on the wrong node (one node here: 0)
	FreeSlab, // slab returned to the page allocator
	CpuslabFlush, // cpu slab removed by a flush
	DeactivateFull, // deactivated slab was full: on no list
	DeactivateEmpty, // deactivated slab was empty: discarded
	DeactivateToHead, // deactivated slab to the node partial head
	DeactivateToTail, // deactivated slab to the node partial tail (had remote frees)
	DeactivateRemoteFrees, // deactivated slab had remote frees
	DeactivateBypass, // full cpu slab dropped in the slow path
	OrderFallback, // slab allocated with min.order after oo.order failed
	CmpxchgDoubleCpuFail, // races: always 0 in a sequential model
	CmpxchgDoubleFail, // races: always 0 in a sequential model
	CpuPartialAlloc, // cpu slab taken from the CPU partial list
	CpuPartialFree, // full slab put on the CPU partial list by a free
	CpuPartialNode, // slab moved from node partial to CPU partial on refill
	CpuPartialDrain, // CPU partial list drained to the node
	SheafFlush,
	SheafRefill,
	SheafAlloc,
	SheafFree,
	BarnGet,
	BarnGetFail,
	BarnPut,
	BarnPutFail,
	SheafPrefillFast,
	SheafPrefillSlow,
	SheafPrefillOversize,
	SheafReturnFast,
	SheafReturnSlow,
}

/** Counters per cache and CPU: the members of Stat. */
export const STAT_COUNT = Object.values(Stat).filter(value => typeof value === 'number').length;

/** sysfs file names, in Stat order (lower-case name; ALLOC_PCS/FREE_PCS renamed). */
export const STAT_NAMES: readonly string[] = [
	'alloc_cpu_sheaf',
	'alloc_fastpath',
	'alloc_slowpath',
	'free_cpu_sheaf',
	'free_rcu_sheaf',
	'free_rcu_sheaf_fail',
	'free_fastpath',
	'free_slowpath',
	'free_frozen',
	'free_add_partial',
	'free_remove_partial',
	'alloc_from_partial',
	'alloc_slab',
	'alloc_refill',
	'alloc_node_mismatch',
	'free_slab',
	'cpuslab_flush',
	'deactivate_full',
	'deactivate_empty',
	'deactivate_to_head',
	'deactivate_to_tail',
	'deactivate_remote_frees',
	'deactivate_bypass',
	'order_fallback',
	'cmpxchg_double_cpu_fail',
	'cmpxchg_double_fail',
	'cpu_partial_alloc',
	'cpu_partial_free',
	'cpu_partial_node',
	'cpu_partial_drain',
	'sheaf_flush',
	'sheaf_refill',
	'sheaf_alloc',
	'sheaf_free',
	'barn_get',
	'barn_get_fail',
	'barn_put',
	'barn_put_fail',
	'sheaf_prefill_fast',
	'sheaf_prefill_slow',
	'sheaf_prefill_oversize',
	'sheaf_return_fast',
	'sheaf_return_slow',
];
