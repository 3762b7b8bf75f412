// BOOT_CACHES against the sysfs snapshot it was taken from (test/fixtures/sysfs/): every entry must
// lay out as the cache it ended up in, carry the attributes sysfs shows, merge (or not) as that
// machine's caches did (mm/slab_common.c find_mergeable) and come in the machine's creation order.

import {describe, expect, it} from 'vitest';
import {BOOT_CACHES, type BootCache} from '../../source/engine/boot-caches.js';
import {computeLayout, type Layout} from '../../source/engine/layout.js';
import {
	SLAB_ACCOUNT,
	SLAB_CACHE_DMA,
	SLAB_CACHE_DMA32,
	SLAB_CONSISTENCY_CHECKS,
	SLAB_DEBUG_FLAGS,
	SLAB_HWCACHE_ALIGN,
	SLAB_NEVER_MERGE,
	SLAB_RECLAIM_ACCOUNT,
	SLAB_TYPESAFE_BY_RCU,
} from '../../source/engine/flags.js';
import {
	isMergedDir,
	layoutGeometry,
	loadSysfsFixture,
	rowForCreator,
	sysfsFlags,
	sysfsGeometry,
	type SysfsCacheRow,
} from '../fixtures/sysfs/sysfs-fixture.js';

const fixture = loadSysfsFixture();
const DEMO = 'demo_objects'; // the kmem_cache_demo module's cache: not on the snapshot machine
const fromKernel = BOOT_CACHES.filter((c) => c.name !== DEMO);

function rowOf(cache: BootCache): SysfsCacheRow {
	const row = rowForCreator(fixture, cache.name);
	if (!row) throw new Error(`${cache.name} is not in the sysfs snapshot`);
	return row;
}

function layoutOf(cache: BootCache, cpus = fixture.cpus): Layout {
	const result = computeLayout({
		objectSize: cache.objectSize,
		align: cache.align,
		flags: cache.flags,
		hasCtor: cache.hasCtor,
		freeptrOffset: cache.freeptrOffset,
		cpus,
	});
	if (!result.ok) throw new Error(`${cache.name}: ${result.message}`);
	return result.layout;
}

/** The creator whose name the snapshot row carries (the first to create the cache). */
const isFirstCreator = (cache: BootCache): boolean => rowOf(cache).name === cache.name;

/** §7 creation-side refusal: such a cache gets its own sysfs directory named after it. */
const isUnmergeable = (cache: BootCache): boolean =>
	cache.isBootCache ||
	cache.hasCtor ||
	cache.usersize !== 0 ||
	cache.sheafCapacity !== 0 ||
	(cache.flags & SLAB_NEVER_MERGE) !== 0;

/** Flag bits sysfs shows for every cache; ACCOUNT, DMA32 and F only show as tags of merged caches. */
const VISIBLE_FLAGS = SLAB_HWCACHE_ALIGN | SLAB_TYPESAFE_BY_RCU | SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA | SLAB_DEBUG_FLAGS;
const TAG_FLAGS = SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | SLAB_RECLAIM_ACCOUNT | SLAB_CONSISTENCY_CHECKS | SLAB_ACCOUNT;

describe('BOOT_CACHES matches the sysfs snapshot it was taken from', () => {
	it('names are unique and every kernel cache is in the snapshot, as a directory or an alias', () => {
		expect(new Set(BOOT_CACHES.map((c) => c.name)).size).toBe(BOOT_CACHES.length);
		const missing = fromKernel.filter((c) => rowForCreator(fixture, c.name) === undefined).map((c) => c.name);
		expect(missing).toEqual([]);
	});

	it.each(fromKernel.map((c) => [c.name, c] as const))('%s lays out as the cache it ended up in', (_name, cache) => {
		const row = rowOf(cache);
		const layout = layoutOf(cache);
		expect(layoutGeometry(layout)).toEqual(sysfsGeometry(row));
		// A merged member keeps the first creator's alignment; only the first creator must match it.
		if (isFirstCreator(cache)) expect(layout.align).toBe(row.align);
	});

	it('first creators carry the constructor, usercopy window, sheaves and flags sysfs shows', () => {
		for (const cache of fromKernel.filter(isFirstCreator)) {
			const row = rowOf(cache);
			const mask = isMergedDir(row) ? VISIBLE_FLAGS | TAG_FLAGS : VISIBLE_FLAGS;
			expect({
				name: cache.name,
				hasCtor: cache.hasCtor,
				usersize: cache.usersize,
				sheafCapacity: cache.sheafCapacity,
				flags: cache.flags & mask,
			}).toEqual({
				name: row.name,
				hasCtor: row.ctor !== '',
				usersize: row.usersize,
				sheafCapacity: row.sheaf_capacity,
				flags: sysfsFlags(row) & mask,
			});
		}
	});

	it('object sizes are the creator’s own: equal to sysfs for unshared caches, never above a merged one', () => {
		for (const cache of fromKernel) {
			const row = rowOf(cache);
			const isShared = isMergedDir(row) && row.aliases > 0;
			if (isShared) expect([cache.name, cache.objectSize <= row.object_size]).toEqual([cache.name, true]);
			else expect([cache.name, cache.objectSize]).toEqual([cache.name, row.object_size]);
		}
	});

	it('exactly the caches sysfs lists under their own name refuse merging (§7), merged ones agree on the tag flags', () => {
		for (const cache of fromKernel) {
			const row = rowOf(cache);
			expect([cache.name, isUnmergeable(cache)]).toEqual([cache.name, !isMergedDir(row)]);
			if (isMergedDir(row)) expect([cache.name, cache.flags & TAG_FLAGS]).toEqual([cache.name, sysfsFlags(row) & TAG_FLAGS]);
		}
	});

	it('come in the snapshot’s creation order (reverse /proc/slabinfo order), aliases after their cache’s first creator', () => {
		const rowIndex = (cache: BootCache): number => fixture.caches.indexOf(rowOf(cache));
		const firstCreators = fromKernel.filter(isFirstCreator);
		const indices = firstCreators.map(rowIndex);
		expect(indices).toEqual([...indices].sort((a, b) => b - a));
		for (const [position, cache] of fromKernel.entries()) {
			if (isFirstCreator(cache)) continue;
			const firstPosition = fromKernel.findIndex((c) => rowOf(c) === rowOf(cache));
			expect([cache.name, firstPosition < position, isFirstCreator(fromKernel[firstPosition])]).toEqual([cache.name, true, true]);
		}
	});

	it('holds every kmalloc cache of the snapshot and kmem_cache, kmem_cache_node, kmalloc_buckets first', () => {
		const kmalloc = /^(?:kmalloc-(?:rcl-|cg-)?|dma-kmalloc-)\d+k?$/;
		const fixtureKmalloc = fixture.caches.filter((row) => kmalloc.test(row.name)).map((row) => row.name).reverse();
		const bootKmalloc = BOOT_CACHES.filter((c) => kmalloc.test(c.name)).map((c) => c.name);
		expect(bootKmalloc).toEqual(fixtureKmalloc);
		const firstRows = fixture.caches.slice(-(fixtureKmalloc.length + 3)).map((row) => row.name).reverse();
		expect(BOOT_CACHES.slice(0, firstRows.length).map((c) => c.name)).toEqual(firstRows);
	});

	it('preloads whole objects only through first creators and within 64 MiB of slots', () => {
		let bytes = 0;
		for (const cache of fromKernel) {
			expect([cache.name, Number.isInteger(cache.preload) && cache.preload >= 0]).toEqual([cache.name, true]);
			if (!isFirstCreator(cache)) expect([cache.name, cache.preload]).toEqual([cache.name, 0]);
			bytes += cache.preload * layoutOf(cache).size;
		}
		expect(bytes).toBeGreaterThan(0);
		expect(bytes).toBeLessThan(64 * 2 ** 20);
	});

	it('ends with demo_objects as kmem_cache_demo creates it: 128 bytes, HWCACHE_ALIGN, a constructor', () => {
		const demo = BOOT_CACHES[BOOT_CACHES.length - 1];
		expect([demo.name, demo.objectSize, demo.align, demo.flags, demo.hasCtor]).toEqual([DEMO, 128, 0, SLAB_HWCACHE_ALIGN, true]);
		expect(isUnmergeable(demo)).toBe(true);
	});
});
