import {describe, expect, it} from 'vitest';
import {
	SLAB_ACCOUNT,
	SLAB_CONSISTENCY_CHECKS,
	SLAB_HWCACHE_ALIGN,
	SLAB_KMALLOC,
	SLAB_NO_MERGE,
	SLAB_POISON,
	SLAB_RECLAIM_ACCOUNT,
	SLAB_TYPESAFE_BY_RCU,
	allocObject,
	cacheStats,
	createCache,
	createEngine,
	destroyCache,
	findCache,
	freeChecked,
	FreeStatus,
	validateEngine,
	oneCacheStats,
	type Engine,
} from '../../source/engine/index.js';

function create(
	e: Engine,
	name: string,
	size: number,
	more: Parameters<typeof createCache>[1] extends infer R ? Partial<R> : never = {},
): number {
	const r = createCache(e, {name, size, ...more});
	if (!r.ok) throw new Error(r.message);
	return r.value;
}

describe('cache merging', () => {
	it('a compatible cache becomes an alias: same slabs, refcount up, name recorded, one slabinfo row', () => {
		const e = createEngine({memoryBytes: 32 << 20});
		const a = create(e, 'first_cache', 64);
		const b = create(e, 'second_cache', 60);
		expect(b).toBe(a);
		const c = e.caches[a];
		expect([c.name, c.sysfsName, c.refcount, c.aliases]).toEqual([
			'first_cache',
			':0000064',
			2,
			['first_cache', 'second_cache'],
		]);
		const obj = allocObject(e, findCache(e, 'second_cache'), 0);
		expect(oneCacheStats(e, a).inUse).toBe(1);
		freeChecked(e, a, obj, 0);
		expect(cacheStats(e).map(s => s.name)).toEqual(['first_cache']);
	});

	it('merging raises object_size to the largest member but keeps the slot size', () => {
		const e = createEngine({memoryBytes: 32 << 20});
		const a = create(e, 'small', 60);
		create(e, 'larger', 64);
		expect([e.caches[a].layout.objectSize, e.caches[a].layout.size]).toEqual([64, 64]);
	});

	it('names merged caches with the kernel unique-id scheme', () => {
		const e = createEngine({memoryBytes: 32 << 20});
		// cred (184) and pid (160), HWCACHE_ALIGN|ACCOUNT: both :A-0000192 on the real machine
		const cred = create(e, 'cred', 184, {flags: SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT});
		const pid = create(e, 'pid', 160, {flags: SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT});
		expect(pid).toBe(cred);
		expect(e.caches[cred].sysfsName).toBe(':A-0000192');
		const bh = create(e, 'buffer_head', 104, {flags: SLAB_RECLAIM_ACCOUNT});
		expect(e.caches[bh].sysfsName).toBe(':a-0000104');
		const checked = create(e, 'checked', 96, {flags: SLAB_CONSISTENCY_CHECKS});
		expect(e.caches[checked].sysfsName).toBe(':F-0000096'); // F does not prevent merging in 6.18
		const dma = create(e, 'dma_thing', 64, {flags: 0x20 /* SLAB_CACHE_DMA */});
		expect(e.caches[dma].sysfsName).toBe(':d-0000064');
	});

	it('refuses to merge across constructors, never-merge flags, usercopy windows and accounting', () => {
		const e = createEngine({memoryBytes: 32 << 20});
		const base = create(e, 'base', 64);
		const ctor = create(e, 'with_ctor', 64, {ctor: {name: 'init', run: () => {}}});
		const poisoned = create(e, 'poisoned', 64, {flags: SLAB_POISON});
		const rcu = create(e, 'rcu', 64, {flags: SLAB_TYPESAFE_BY_RCU});
		const nomerge = create(e, 'nomerge', 64, {flags: SLAB_NO_MERGE});
		const user = create(e, 'usercopy', 64, {useroffset: 0, usersize: 64});
		const acct = create(e, 'accounted', 64, {flags: SLAB_ACCOUNT});
		const ids = [base, ctor, poisoned, rcu, nomerge, user, acct];
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of [ctor, poisoned, rcu, nomerge, user]) expect(e.caches[id].sysfsName).toBe(e.caches[id].name);
		expect(e.caches[acct].sysfsName).toBe(':A-0000064');
	});

	it('never merges into boot caches or kmalloc caches with a usercopy window', () => {
		const e = createEngine({memoryBytes: 32 << 20});
		const boot = create(e, 'kmem_cache', 232, {flags: SLAB_HWCACHE_ALIGN, isBoot: true});
		const km = create(e, 'kmalloc-64', 64, {flags: SLAB_KMALLOC, align: 64, useroffset: 0, usersize: 64});
		expect(create(e, 'like_boot', 232, {flags: SLAB_HWCACHE_ALIGN})).not.toBe(boot);
		expect(create(e, 'like_kmalloc', 64)).not.toBe(km);
	});

	it('slab_nomerge (merging off) gives every cache its own slabs and name', () => {
		const e = createEngine({memoryBytes: 32 << 20, isMergeEnabled: false});
		const a = create(e, 'a', 64);
		const b = create(e, 'b', 64);
		expect(a).not.toBe(b);
		expect(e.caches[a].sysfsName).toBe('a');
	});

	it('rejects bad names, duplicate names and bad sizes with a message', () => {
		const e = createEngine({memoryBytes: 32 << 20});
		create(e, 'taken', 64);
		expect(createCache(e, {name: 'taken', size: 64})).toMatchObject({ok: false, code: 'cache-exists'});
		expect(createCache(e, {name: 'has space', size: 64})).toMatchObject({ok: false, code: 'bad-argument'});
		expect(createCache(e, {name: 'zero', size: 0})).toMatchObject({ok: false, code: 'bad-argument'});
		expect(createCache(e, {name: 'odd', size: 64, align: 48})).toMatchObject({
			ok: false,
			message: expect.stringContaining('power of two') as unknown,
		});
	});
});

it('refuses a cache once 32767 ids have been used, instead of wrapping the per-frame id', () => {
	const e = createEngine({memoryBytes: 4 << 20});
	for (let i = 1; i <= 32767; i++) {
		const r = createCache(e, {name: `c${i}`, size: 64, flags: SLAB_NO_MERGE});
		if (!r.ok) throw new Error(r.message);
		destroyCache(e, `c${i}`);
	}
	expect(createCache(e, {name: 'one_more', size: 64, flags: SLAB_NO_MERGE})).toMatchObject({
		ok: false,
		message: expect.stringContaining('no room for another cache') as unknown,
	});
});

describe('kmem_cache_destroy', () => {
	it('with objects left warns as 6.18 does and leaks the cache, which stays listed under a free name', () => {
		const e = createEngine({memoryBytes: 32 << 20});
		const id = create(e, 'busy', 128, {flags: SLAB_NO_MERGE});
		const obj = allocObject(e, id, 0);
		allocObject(e, id, 0);
		const r = destroyCache(e, 'busy');
		expect(r).toEqual({ok: true, value: {isReleased: false, leakedObjects: 2}});
		const lines = e.events.at(-1)!.text.split('\n');
		expect(lines[1]).toBe('BUG busy (Not tainted): Objects remaining on __kmem_cache_shutdown()');
		expect(lines.filter(line => /^Object 0xffff8880[0-9a-f]{8} @offset=\d+$/.test(line))).toHaveLength(2);
		expect(lines).toContain(
			'kmem_cache_destroy busy: Slab cache still has objects when called from cmd_destroy+0x1c/0x40',
		);
		expect(e.caches[id].errors).toBe(3); // the BUG and one per object, as slub_kunit counts them
		expect(e.caches[id].isAlive).toBe(true); // still in slabinfo
		expect(cacheStats(e).some(st => st.id === id && st.inUse === 2)).toBe(true);
		expect(findCache(e, 'busy')).toBe(-1); // the name can be used again
		expect(create(e, 'busy', 128, {flags: SLAB_NO_MERGE})).not.toBe(id);
		expect(freeChecked(e, id, obj, 0)).toBe(FreeStatus.Ok); // its objects can still be freed
		expect(validateEngine(e)).toEqual([]);
	});

	it('of one of several creators only drops a reference', () => {
		const e = createEngine({memoryBytes: 32 << 20});
		const a = create(e, 'one', 64);
		create(e, 'two', 64);
		expect(destroyCache(e, 'two')).toMatchObject({ok: true, value: {isReleased: false}});
		expect(e.caches[a].refcount).toBe(1);
		expect(e.caches[a].isAlive).toBe(true);
	});

	it('refuses boot caches and unknown names', () => {
		const e = createEngine({memoryBytes: 32 << 20});
		create(e, 'kmem_cache', 232, {flags: SLAB_HWCACHE_ALIGN, isBoot: true});
		expect(destroyCache(e, 'kmem_cache')).toMatchObject({ok: false, code: 'bad-argument'});
		expect(destroyCache(e, 'nope')).toMatchObject({ok: false, code: 'no-such-cache'});
	});
});
