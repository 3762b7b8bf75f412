// The workload format: what users write as JSON and what the presets are. A workload is a list
// of phases run one after another (optionally repeated); each phase lasts a number of ticks and
// says, per cache, how many objects are allocated per tick, how long they live, which CPU
// allocates and which frees them, and bursts; plus actions at given ticks of the phase.
// parse.ts turns JSON text into a Workload (or says which field is wrong); generator.ts runs it.

/** How long an object lives, in ticks, drawn when it is allocated. */
export type Lifetime =
	| {kind: 'fixed'; ticks: number}
	| {kind: 'uniform'; min: number; max: number}
	| {kind: 'exponential'; mean: number}
	/** Never freed by the workload (a leak, or long-lived state that only drop_caches reclaims). */
	| {kind: 'forever'};

/** Which CPU allocates: one drawn uniformly per object, or a fixed one. */
export type AllocCpu = 'any' | number;

/** Which CPU frees: the allocating one, another one, any, or a fixed one. */
export type FreeCpu = 'same' | 'other' | 'any' | number;

/** Extra objects allocated at once every `every` ticks of the phase (from tick `offset`). */
export type Burst = {every: number; count: number; offset: number};

export type CacheLoad = {
	cache: string;
	/** Mean objects allocated per tick (Poisson-distributed). */
	rate: number;
	lifetime: Lifetime;
	allocCpu: AllocCpu;
	freeCpu: FreeCpu;
	burst: Burst | null;
};

export type WorkloadAction =
	/** kmem_cache_shrink of one cache, or of every cache with `all`. */
	| {kind: 'shrink'; at: number; cache: string}
	/** echo 2 > /proc/sys/vm/drop_caches. */
	| {kind: 'drop_caches'; at: number}
	/**
	 * Free a fraction of the objects the workload holds in a cache: random ones, the oldest or the
	 * newest; one kmem_cache_free() per object, or with `bulk` one kmem_cache_free_bulk() per CPU.
	 */
	| {kind: 'free'; at: number; cache: string; fraction: number; pick: 'random' | 'oldest' | 'newest'; bulk: boolean};

export type Phase = {
	name: string;
	ticks: number;
	caches: CacheLoad[];
	actions: WorkloadAction[];
	/** End the phase early once this many allocations failed in it (0: never). */
	untilFailures: number;
	/** One line of what to watch on the screen during the phase ('' for none). */
	watch: string;
};

/** A cache the workload creates when it starts (unless a cache of that name exists). */
export type CacheDefinition = {name: string; size: number; align: number; /** SLAB_* bits. */ flags: number};

export type Workload = {
	name: string;
	description: string;
	/** Start again from the first phase after the last one. */
	repeat: boolean;
	caches: CacheDefinition[];
	phases: Phase[];
};
