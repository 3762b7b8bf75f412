import {describe, expect, it} from 'vitest';
import {
	allocObject,
	closeTrace,
	createCache,
	createEngine,
	describePath,
	freeChecked,
	FreeStatus,
	GFP_KERNEL,
	Gfp,
	kfreeAny,
	kmalloc,
	openTrace,
	setCaller,
	setTick,
	shrinkCache,
	traceRecords,
	traceTickEnd,
	tracePipeLine,
	type Engine,
} from '../../source/engine/index.js';

// One CPU, one cache of 256-byte objects. Worked out from mm/slub.c (6.18), not from the model:
// calculate_order(): min_objects = 4 * (fls(1) + 1) = 8; an order-0 slab holds 4096 / 256 = 16
// objects with no waste, so order 0, 16 objects per slab. min_partial = ilog2(256) / 2 = 4,
// raised to MIN_PARTIAL = 5. No freelist randomisation: objects are handed out in address order.
const OBJS = 16;
const SIZE = 256;

function setup(): {e: Engine; c: number} {
	const e = createEngine({memoryBytes: 16 << 20, cpus: 1});
	const r = createCache(e, {name: 'trace_test', size: SIZE});
	if (!r.ok) throw new Error(r.message);
	return {e, c: r.value};
}

/** %p as a no_hash_pointers kernel prints a direct-map address. */
const ptr = (address: number): string => `ffff888${address.toString(16).padStart(9, '0')}`;
const slabAt = (address: number): string => `0x${address.toString(16).padStart(8, '0')}`;

describe('the operation trace of a scripted sequence (one cache, one CPU)', () => {
	it('gives the tracepoint lines and SLUB paths the kernel takes for objs_per_slab + 1 allocations, set frees and a shrink', () => {
		const {e, c} = setup();
		const sink = openTrace(e, {every: 1});
		setTick(e, 100); // 1.000000 s
		setCaller(e, 'test_run+0x10/0x40');
		const objs: number[] = [];
		for (let i = 0; i < OBJS + 1; i++) objs.push(allocObject(e, c, 0));
		const a = objs[0]; // first slab (A), its 16 objects
		const b = objs[OBJS]; // second slab (B)
		expect(objs.slice(0, OBJS)).toEqual(Array.from({length: OBJS}, (_, i) => a + i * SIZE));
		expect(b & 4095).toBe(0);
		expect(b >> 12).not.toBe(a >> 12);

		// Frees: A3 (A was full: put_cpu_partial), A0 (A on the CPU partial list: slab freelist
		// only), B0 (B is the CPU slab: fast path), then the rest of A in address order.
		const freeOrder = [a + 3 * SIZE, a, b, ...[1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map(i => a + i * SIZE)];
		for (const obj of freeOrder) expect(freeChecked(e, c, obj, 0)).toBe(FreeStatus.Ok);
		shrinkCache(e, c);

		const A = slabAt(a);
		const B = slabAt(b);
		const head = (n: number): string => `           <...>-1       [000] .....     1.${String(n).padStart(6, '0')}: `;
		const alloc = (p: number): string =>
			`kmem_cache_alloc: call_site=test_run+0x10/0x40 ptr=${ptr(p)} bytes_req=256 bytes_alloc=256 gfp_flags=GFP_KERNEL node=-1 accounted=false`;
		const free = (p: number): string => `kmem_cache_free: call_site=test_run+0x10/0x40 ptr=${ptr(p)} name=trace_test`;
		const expected: string[] = [
			// ___slab_alloc: no cpu slab, no cpu partial, no node partial: new_slab() (ALLOC_SLAB).
			`${head(0)}${alloc(a)}  # new slab order 0 from buddy → slab ${A} 1/16 frozen (cpu slab)`,
			// The next 15 pop c->freelist (ALLOC_FASTPATH).
			...Array.from(
				{length: 15},
				(_, i) =>
					`${head(i + 1)}${alloc(a + (i + 1) * SIZE)}  # alloc_fastpath (cpu freelist) → slab ${A} ${i + 2}/16 frozen (cpu slab)`,
			),
			// c->freelist empty; get_freelist(A) finds no remote frees: c->slab = NULL,
			// DEACTIVATE_BYPASS (A full, on no list), then new_slab() again.
			`${head(16)}${alloc(b)}  # cpu slab full, left on no list (deactivate_bypass); new slab order 0 from buddy → slab ${B} 1/16 frozen (cpu slab)`,
			// __slab_free of A3: A was full (prior == NULL), not frozen: put_cpu_partial, CPU_PARTIAL_FREE.
			`${head(17)}${free(a + 3 * SIZE)}  # slab full → partial (put_cpu_partial) → slab ${A} 15/16 on cpu partial`,
			// A0: prior != NULL, inuse != 0, not frozen: no list change.
			`${head(18)}${free(a)}  # to the slab freelist → slab ${A} 14/16 on cpu partial`,
			// B0: B is c->slab: do_slab_free pushes onto c->freelist (FREE_FASTPATH).
			`${head(19)}${free(b)}  # free to cpu freelist → slab ${B} 0/16 frozen (cpu slab)`,
			// The rest of A: slow frees into a slab on the CPU partial list; the last one empties
			// it, but a slab not on the node partial list is left where it is.
			...[1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map(
				(i, k) =>
					`${head(20 + k)}${free(a + i * SIZE)}  # to the slab freelist → slab ${A} ${13 - k}/16 on cpu partial`,
			),
			// kmem_cache_shrink: flush_all → flush_slab: deactivate_slab(B) puts the empty B at
			// the node partial head (nr_partial 0 < min_partial 5: DEACTIVATE_TO_HEAD), then
			// CPUSLAB_FLUSH; __put_partials moves A to the node partial tail (FREE_ADD_PARTIAL);
			// then the shrink walk releases both empty slabs (no counter).
			`${head(34)}kmem_cache_shrink: name=trace_test (simulator event: the kernel has no tracepoint here)  # deactivate → node partial head; cpu slab flushed; slab → node partial tail; 2 empty slabs released from node partial`,
		];
		const lines = traceRecords(sink).map(tracePipeLine);
		expect(lines).toEqual(expected);
		expect(e.cacheNrSlabs[c]).toBe(0);
	});

	it('with min_partial slabs on the node partial list an emptied one is discarded, and a refill moves half the cpu partial limit', () => {
		const {e, c} = setup();
		// Seven full slabs (112 objects) and an eighth as the CPU slab.
		const objs: number[] = [];
		for (let i = 0; i < 7 * OBJS + 1; i++) objs.push(allocObject(e, c, 0));
		// Free one object of slabs 0..6: each full slab goes to the CPU partial list.
		for (let s = 0; s < 7; s++) freeChecked(e, c, objs[s * OBJS], 0);
		// shrink: flush puts the CPU slab (1 in use) at the node partial head and the 7 partial
		// slabs at the tail: 8 slabs on the node partial list, none empty.
		shrinkCache(e, c);
		const sink = openTrace(e, {every: 1});
		// Empty slab 6 while it is on the node partial list (8 slabs there, min_partial 5):
		// __slab_free sees !new.inuse and nr_partial >= min_partial: remove_partial,
		// FREE_REMOVE_PARTIAL, FREE_SLAB, discard_slab.
		for (let i = 1; i < OBJS; i++) freeChecked(e, c, objs[6 * OBJS + i], 0);
		// The next allocation: no cpu slab, no cpu partial: get_partial_node takes the first of
		// the 7 node partial slabs (ALLOC_FROM_PARTIAL) and puts more on the CPU partial list
		// until more than cpu_partial_slabs / 2 have moved. set_cpu_partial: 256-byte objects
		// get cpu_partial 52, i.e. DIV_ROUND_UP(52 * 2, 16) = 7 slabs; 7 / 2 = 3, so 4 move.
		allocObject(e, c, 0);
		const paths = traceRecords(sink).map(describePath);
		expect(paths).toHaveLength(16);
		expect(paths[14]).toBe('empty slab discarded (nr_partial ≥ min_partial) → slab freed');
		expect(paths[15]).toMatch(
			/^node partial → cpu slab \(\+4 to cpu partial\) → slab 0x[0-9a-f]{8} \d+\/16 frozen \(cpu slab\)$/,
		);
		closeTrace(e);
		expect(e.trace).toBeNull();
	});
});

describe('trace sampling and filtering', () => {
	it('keeps one operation in `every` when a tick is busy, and says how many it left out', () => {
		const {e, c} = setup();
		const sink = openTrace(e);
		setTick(e, 1);
		for (let i = 0; i < 1000; i++) allocObject(e, c, 0);
		traceTickEnd(sink);
		expect(sink.every).toBe(5); // 1000 operations / 200 per tick
		setTick(e, 2);
		for (let i = 0; i < 1000; i++) allocObject(e, c, 0);
		expect(traceRecords(sink).length).toBe(1000 + 200);
		expect(sink.skipped).toBe(800);
		traceTickEnd(sink);
		setTick(e, 3);
		traceTickEnd(sink);
		expect(sink.every).toBe(1);
	});

	it('traces only the named cache', () => {
		const {e, c} = setup();
		const other = createCache(e, {name: 'other_cache', size: 64});
		if (!other.ok) throw new Error(other.message);
		const sink = openTrace(e, {cacheName: 'other_cache'});
		allocObject(e, c, 0);
		allocObject(e, other.value, 0);
		expect(traceRecords(sink).map(r => r.cacheName)).toEqual(['other_cache']);
	});

	it('a failed allocation is traced with a NULL pointer and says it failed', () => {
		const e = createEngine({memoryBytes: 4 << 20, cpus: 1});
		const r = createCache(e, {name: 'big_objects', size: 8192});
		if (!r.ok) throw new Error(r.message);
		const sink = openTrace(e, {every: 1});
		let obj = 0;
		while (obj !== -1) obj = allocObject(e, r.value, 0);
		const last = traceRecords(sink).at(-1)!;
		expect(tracePipeLine(last)).toContain('ptr=0000000000000000');
		expect(describePath(last)).toContain('failure: no pages');
	});
});

describe('the trace of the sheaf paths and of kmalloc (one CPU)', () => {
	it("one record per kmem_cache_alloc/free on a cache with sheaves: the refill's slab steps inside it", () => {
		// 6.18 alloc_from_pcs(): the first allocation finds an empty main sheaf and an empty barn
		// (barn_get_fail), allocates a new empty sheaf (sheaf_alloc) and refills it (sheaf_refill)
		// through the slab layer: the first object from a new slab, the other three from the CPU
		// freelist; then the object comes from the sheaf (alloc_cpu_sheaf).
		const e = createEngine({memoryBytes: 16 << 20, cpus: 1});
		const r = createCache(e, {name: 'sheaf_test', size: SIZE, sheafCapacity: 4});
		if (!r.ok) throw new Error(r.message);
		const sink = openTrace(e, {every: 1});
		const first = allocObject(e, r.value, 0);
		const second = allocObject(e, r.value, 0);
		expect(freeChecked(e, r.value, second, 0)).toBe(FreeStatus.Ok);
		const records = traceRecords(sink);
		expect(records.map(x => `${x.op} ${x.ptr === first ? 'first' : x.ptr === second ? 'second' : x.ptr}`)).toEqual([
			'alloc first',
			'alloc second',
			'free second',
		]);
		const slab = slabAt(first & ~4095);
		expect(records.map(describePath)).toEqual([
			`no full sheaf in the barn (barn_get_fail); new empty sheaf (sheaf_alloc); new slab order 0 from buddy; alloc_fastpath (cpu freelist) ×3; sheaf refilled from the slabs (sheaf_refill); from the cpu sheaf (alloc_cpu_sheaf) → slab ${slab} 4/16 frozen (cpu slab)`,
			`from the cpu sheaf (alloc_cpu_sheaf) → slab ${slab} 4/16 frozen (cpu slab)`,
			`into the cpu sheaf (free_cpu_sheaf) → slab ${slab} 4/16 frozen (cpu slab)`,
		]);
		expect(tracePipeLine(records[0])).toContain(`kmem_cache_alloc: call_site=`);
		shrinkCache(e, r.value);
		const shrink = traceRecords(sink).at(-1)!;
		expect(traceRecords(sink)).toHaveLength(4);
		expect(describePath(shrink)).toContain('sheaf flushed to the slabs (sheaf_flush)');
	});

	it('kmalloc and kfree print the kmalloc and kfree tracepoints with the size asked for and the gfp flags', () => {
		const e = createEngine({memoryBytes: 16 << 20, cpus: 1});
		const r = createCache(e, {name: 'kmalloc-128', size: 128});
		if (!r.ok) throw new Error(r.message);
		const sink = openTrace(e, {every: 1});
		const got = kmalloc(e, 100, GFP_KERNEL | Gfp.ZERO, 0);
		expect(got.cache).toBe(r.value);
		expect(kfreeAny(e, got.obj, 0).status).toBe(FreeStatus.Ok);
		const [alloc, free] = traceRecords(sink).map(tracePipeLine);
		expect(alloc).toContain(`kmalloc: call_site=`);
		expect(alloc).toContain(
			`ptr=${ptr(got.obj)} bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL|__GFP_ZERO node=-1 accounted=false`,
		);
		expect(free).toMatch(new RegExp(`kfree: call_site=\\S+ ptr=${ptr(got.obj)}  # `));
	});

	it('a large kmalloc and its kfree are traced as kmalloc and kfree: a compound page, no cache (__kmalloc_large_node)', () => {
		// 10000 bytes > KMALLOC_MAX_CACHE_SIZE (8 KiB): get_order(10000) = 2, 16 KiB from the buddy allocator.
		const e = createEngine({memoryBytes: 4 << 20, cpus: 1});
		const sink = openTrace(e, {every: 1});
		const got = kmalloc(e, 10_000, GFP_KERNEL | Gfp.ACCOUNT, 0);
		expect(got.isLarge).toBe(true);
		expect(kfreeAny(e, got.obj, 0).status).toBe(FreeStatus.Ok);
		// The first 4 MiB request takes the machine's one order-10 block; the second fails, traced with a NULL ptr.
		expect(kmalloc(e, 4 << 20, GFP_KERNEL, 0).error).toBeNull();
		const failed = kmalloc(e, 4 << 20, GFP_KERNEL | Gfp.NOWARN, 0);
		expect(failed.error).toMatch(/page allocation failure/);
		const lines = traceRecords(sink).map(tracePipeLine);
		expect(lines).toHaveLength(4);
		expect(lines[0]).toContain(
			`kmalloc: call_site=sim_alloc+0x0/0x0 ptr=${ptr(got.obj)} bytes_req=10000 bytes_alloc=16384 gfp_flags=GFP_KERNEL_ACCOUNT node=-1 accounted=true  # large kmalloc (__kmalloc_large_node): order-2 compound page from the buddy allocator, not a slab`,
		);
		expect(lines[1]).toContain(
			`kfree: call_site=sim_free+0x0/0x0 ptr=${ptr(got.obj)}  # free_large_kmalloc: order-2 compound page back to the buddy allocator`,
		);
		expect(lines[3]).toContain(
			'kmalloc: call_site=sim_alloc+0x0/0x0 ptr=0000000000000000 bytes_req=4194304 bytes_alloc=4194304 gfp_flags=GFP_KERNEL|__GFP_NOWARN node=-1 accounted=false  # failure: no free order-10 block',
		);
	});

	it("leaves large kmallocs out of one cache's trace", () => {
		const e = createEngine({memoryBytes: 4 << 20, cpus: 1});
		const r = createCache(e, {name: 'kmalloc-128', size: 128});
		if (!r.ok) throw new Error(r.message);
		const sink = openTrace(e, {every: 1, cacheName: 'kmalloc-128'});
		kmalloc(e, 10_000, GFP_KERNEL, 0);
		kmalloc(e, 100, GFP_KERNEL, 0);
		expect(traceRecords(sink).map(record => record.cacheName)).toEqual(['kmalloc-128']);
	});
});
