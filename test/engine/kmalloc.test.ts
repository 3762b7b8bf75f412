import {describe, expect, it} from 'vitest';
import {
	GFP_KERNEL,
	Gfp,
	NIL,
	FreeStatus,
	PAGE_SIZE,
	SLAB_ACCOUNT,
	SLAB_CACHE_DMA,
	SLAB_KMALLOC,
	SLAB_NO_MERGE,
	SLAB_RECLAIM_ACCOUNT,
	SLAB_RED_ZONE,
	SLAB_STORE_USER,
	createCache,
	createEngine,
	getOrigSize,
	kfreeAny,
	kmalloc,
	kmallocCacheName,
	gfpText,
	kmallocFromCache,
	krealloc,
	ksize,
	liveObjects,
	memoryStats,
	parseGfp,
	validateCache,
	validateEngine,
	type Engine,
} from '../../source/engine/index.js';

/** The kmalloc sizes in create_kmalloc_caches() order, and the four types' name prefixes and flags. */
const KMALLOC_SIZES = [96, 192, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192];
const KMALLOC_TYPES: ReadonlyArray<readonly [string, number]> = [
	['kmalloc-', SLAB_NO_MERGE],
	['kmalloc-rcl-', SLAB_RECLAIM_ACCOUNT],
	['dma-kmalloc-', SLAB_CACHE_DMA],
	['kmalloc-cg-', SLAB_ACCOUNT],
];

/** A machine with the 52 kmalloc caches of create_kmalloc_caches(). */
function machine(): Engine {
	const e = createEngine({memoryBytes: 64 << 20, cpus: 2});
	for (const [prefix, flags] of KMALLOC_TYPES) {
		for (const size of KMALLOC_SIZES) {
			const name = `${prefix}${size >= 1024 ? `${size / 1024}k` : size}`;
			const r = createCache(e, {name, size, align: size & -size, flags: SLAB_KMALLOC | flags});
			if (!r.ok) throw new Error(r.message);
		}
	}
	return e;
}

/** The kmalloc classes in ascending order, written out as kmalloc_info[] lists them. */
const CLASSES: ReadonlyArray<readonly [number, string]> = [
	[8, '8'],
	[16, '16'],
	[32, '32'],
	[64, '64'],
	[96, '96'],
	[128, '128'],
	[192, '192'],
	[256, '256'],
	[512, '512'],
	[1024, '1k'],
	[2048, '2k'],
	[4096, '4k'],
	[8192, '8k'],
];

describe('kmalloc size classes (kmalloc_index, 6.18)', () => {
	it('puts every size from 1 to 8192 in the smallest class that holds it, 96 and 192 included', () => {
		const e = machine();
		for (let size = 1; size <= 8192; size++) {
			const expected = `kmalloc-${CLASSES.find(([bytes]) => bytes >= size)![1]}`;
			const r = kmalloc(e, size, GFP_KERNEL, size % 2);
			expect(r.error).toBeNull();
			const owner = e.caches[e.pgCache[r.obj >> 12]].name;
			if (owner !== expected) expect([size, owner]).toEqual([size, expected]);
			expect(kfreeAny(e, r.obj, 0).status).toBe(FreeStatus.Ok);
		}
		expect(validateEngine(e)).toEqual([]);
	});

	it('picks the cache type from the gfp mask as kmalloc_type(): DMA over RECLAIMABLE over ACCOUNT', () => {
		const gfp = (text: string): number => {
			const r = parseGfp(text);
			if (!r.ok) throw new Error(r.bad);
			return r.gfp;
		};
		expect(kmallocCacheName(100, gfp('GFP_KERNEL'))).toBe('kmalloc-128');
		expect(kmallocCacheName(100, gfp('GFP_KERNEL_ACCOUNT'))).toBe('kmalloc-cg-128');
		expect(kmallocCacheName(100, gfp('GFP_KERNEL|__GFP_ACCOUNT|__GFP_RECLAIMABLE'))).toBe('kmalloc-rcl-128');
		expect(kmallocCacheName(100, gfp('GFP_DMA|__GFP_RECLAIMABLE'))).toBe('dma-kmalloc-128');
		expect(kmallocCacheName(100, gfp('GFP_ATOMIC|__GFP_ZERO'))).toBe('kmalloc-128');
		expect(parseGfp('GFP_KERNEL|GFP_ACCOUNT')).toEqual({ok: false, bad: 'GFP_ACCOUNT'});
	});

	it("prints gfp masks as show_gfp_flags does: the kernel's composite names first, most bits first", () => {
		// include/linux/gfp_types.h (6.18): GFP_KERNEL 0xcc0, __GFP_ACCOUNT 0x400000, GFP_NOIO 0xc00, GFP_NOFS 0xc40.
		expect(gfpText(0x40_0c_c0)).toBe('0x400cc0(GFP_KERNEL_ACCOUNT)');
		expect(gfpText(0xc00)).toBe('0xc00(GFP_NOIO)');
		expect(gfpText(0xd40)).toBe('0xd40(GFP_NOFS|__GFP_ZERO)');
		expect(gfpText(0x28_20)).toBe('0x2820(GFP_ATOMIC|__GFP_NOWARN)');
	});

	it('serves 8193 bytes and more as compound pages from the buddy allocator and gives them back on kfree', () => {
		const e = machine();
		const free = e.nrFreePages;
		const cases: Array<[number, number]> = [
			[8193, 4],
			[16_384, 4],
			[16_385, 8],
			[100_000, 32],
			[4 << 20, 1024],
		];
		for (const [size, pages] of cases) {
			const r = kmalloc(e, size, GFP_KERNEL, 0);
			expect(r.isLarge).toBe(true);
			expect(r.obj % PAGE_SIZE).toBe(0);
			expect(e.pgCache[r.obj >> 12]).toBe(0); // not a slab
			expect(free - e.nrFreePages).toBe(pages);
			expect(memoryStats(e)).toMatchObject({largeKmallocPages: pages, largeKmallocs: 1});
			expect(ksize(e, r.obj)).toBe(pages * PAGE_SIZE);
			expect(validateEngine(e)).toEqual([]);
			expect(kfreeAny(e, r.obj + 8, 0).status).toBe(FreeStatus.BadPointer); // not its start
			expect(kfreeAny(e, r.obj, 0)).toEqual({status: FreeStatus.Ok, pages});
			expect(e.nrFreePages).toBe(free);
			expect(memoryStats(e)).toMatchObject({largeKmallocPages: 0, largeKmallocs: 0});
		}
	});

	it("fails a large kmalloc the buddy allocator cannot serve, with the kernel's warning", () => {
		const e = createEngine({memoryBytes: 4 << 20, cpus: 1});
		const first = kmalloc(e, 4 << 20, GFP_KERNEL, 0);
		expect(first.obj).not.toBe(NIL);
		const second = kmalloc(e, 8193, GFP_KERNEL, 0);
		expect(second.obj).toBe(NIL);
		expect(e.events.at(-1)?.text).toBe('kmalloc: page allocation failure: order:2, mode:0xcc0(GFP_KERNEL)');
	});

	it('kzalloc zeroes the object; kmalloc with STORE_USER keeps orig_size and red-zones the rest', () => {
		const e = machine();
		const k = kmalloc(e, 40, GFP_KERNEL, 0);
		e.mem8.fill(0x77, k.obj, k.obj + 64);
		kfreeAny(e, k.obj, 0);
		const z = kmalloc(e, 40, GFP_KERNEL | Gfp.ZERO, 0);
		expect(z.obj).toBe(k.obj); // the same object back from the CPU freelist
		expect([...e.mem8.subarray(z.obj, z.obj + 40)].every(b => b === 0)).toBe(true);
		const debug = createCache(e, {name: 'rz_kmalloc', size: 32, flags: SLAB_KMALLOC | SLAB_STORE_USER | SLAB_RED_ZONE});
		if (!debug.ok) throw new Error(debug.message);
		const p = kmallocFromCache(e, debug.value, 18, GFP_KERNEL, 0);
		expect(getOrigSize(e, debug.value, p)).toBe(18);
		expect([...e.mem8.subarray(p + 18, p + 40)].every(b => b === 0xcc)).toBe(true);
		expect(validateCache(e, debug.value)).toEqual([]);
	});

	it('krealloc keeps the object when the new size fits, moves and copies when it does not', () => {
		const e = machine();
		const p = kmalloc(e, 48, GFP_KERNEL, 0).obj;
		e.mem8.fill(0xff, p, p + 48);
		e.mem8.fill(0xee, p + 48, p + 64);
		// Without orig_size the kernel knows only object_size (64): growing to 64 zeroes nothing,
		// shrinking to 40 zeroes from 40 to the end of the object.
		expect(krealloc(e, p, 64, GFP_KERNEL | Gfp.ZERO, 0)).toEqual({obj: p, isMoved: false, error: null});
		expect([e.mem8[p + 47], e.mem8[p + 48]]).toEqual([0xff, 0xee]);
		expect(krealloc(e, p, 40, GFP_KERNEL | Gfp.ZERO, 0).obj).toBe(p);
		expect([e.mem8[p + 39], e.mem8[p + 40], e.mem8[p + 63]]).toEqual([0xff, 0, 0]);
		e.mem8.fill(0xff, p, p + 48);
		const moved = krealloc(e, p, 100, GFP_KERNEL, 0);
		expect(moved.isMoved).toBe(true);
		expect(e.caches[e.pgCache[moved.obj >> 12]].name).toBe('kmalloc-128');
		expect([...e.mem8.subarray(moved.obj, moved.obj + 48)].every(b => b === 0xff)).toBe(true);
		expect(liveObjects(e, e.byName.get('kmalloc-64')!)).toBe(0); // the old object was freed
		const large = krealloc(e, moved.obj, 20_000, GFP_KERNEL, 0);
		expect(large.isMoved).toBe(true);
		expect(e.largeKmallocPages).toBe(8);
		expect(validateEngine(e)).toEqual([]);
	});
});
