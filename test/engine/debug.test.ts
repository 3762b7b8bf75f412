import {describe, expect, it} from 'vitest';
import {
	SLAB_CONSISTENCY_CHECKS,
	SLAB_HWCACHE_ALIGN,
	SLAB_POISON,
	SLAB_RED_ZONE,
	SLAB_STORE_USER,
	FreeStatus,
	allocObject,
	createCache,
	createEngine,
	freeChecked,
	oneCacheStats,
	setCaller,
	setTick,
	validateCache,
	validateEngine,
	type Engine,
} from '../../source/engine/index.js';

const FZPU = SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER;

function demo(flags = FZPU): {e: Engine; c: number} {
	const e = createEngine({memoryBytes: 32 << 20, cpus: 2});
	const r = createCache(e, {name: 'demo_objects', size: 128, flags: SLAB_HWCACHE_ALIGN | flags});
	if (!r.ok) throw new Error(r.message);
	return {e, c: r.value};
}

const lastReport = (e: Engine): string => e.events.filter(ev => ev.kind === 'debug-report').at(-1)?.text ?? '';

describe('SLUB debugging', () => {
	it('lays out poison and red zones, and fills a new object as the kernel does', () => {
		const {e, c} = demo();
		const l = e.caches[c].layout;
		expect([l.redLeftPad, l.inuse, l.offset, l.cpuPartial]).toEqual([64, 136, 136, 0]); // right red zone word, pointer after it
		const obj = allocObject(e, c, 0);
		expect(e.mem8[obj - 1]).toBe(0xcc); // left red zone, active
		expect(e.mem8[obj]).toBe(0x6b); // payload still poisoned until written
		expect(e.mem8[obj + 127]).toBe(0xa5);
		freeChecked(e, c, obj, 0);
		expect(e.mem8[obj - 1]).toBe(0xbb); // inactive again
	});

	it('reports a double free in the kernel wording and refuses it, counts unchanged', () => {
		const {e, c} = demo();
		setCaller(e, 'demo_alloc+0x2a/0x80');
		setTick(e, 100);
		const a = allocObject(e, c, 1);
		allocObject(e, c, 0);
		setCaller(e, 'demo_free+0x18/0x40');
		setTick(e, 250);
		expect(freeChecked(e, c, a, 0)).toBe(FreeStatus.Ok);
		const before = oneCacheStats(e, c);
		expect(freeChecked(e, c, a, 0)).toBe(FreeStatus.DoubleFree);
		const text = lastReport(e);
		expect(text.split('\n').slice(0, 3)).toEqual([
			'=============================================================================',
			'BUG demo_objects (Not tainted): Object already free',
			'-----------------------------------------------------------------------------',
		]);
		expect(text).toContain('Allocated in demo_alloc+0x2a/0x80 age=150 cpu=1 pid=2');
		expect(text).toContain('Freed in demo_free+0x18/0x40 age=0 cpu=0 pid=1');
		expect(text).toMatch(/\nObject {3}ffff8880[0-9a-f]{8}: 6b 6b 6b/);
		expect(text).toMatch(/FIX demo_objects: Object at 0xffff8880[0-9a-f]{8} not freed$/);
		expect(oneCacheStats(e, c)).toEqual(before);
		expect(validateEngine(e)).toEqual([]);
	});

	it('reports a pointer that is not an object start', () => {
		const {e, c} = demo();
		const a = allocObject(e, c, 0);
		expect(freeChecked(e, c, a + 16, 0)).toBe(FreeStatus.BadPointer);
		expect(lastReport(e)).toMatch(/BUG demo_objects \(Not tainted\): Invalid object pointer 0xffff8880[0-9a-f]{8}/);
		expect(oneCacheStats(e, c).inUse).toBe(1);
	});

	it('warns about a free to the wrong cache and frees to the real owner', () => {
		const {e, c} = demo();
		const other = createCache(e, {name: 'other_cache', size: 128, flags: FZPU});
		if (!other.ok) throw new Error(other.message);
		const a = allocObject(e, c, 0);
		expect(freeChecked(e, other.value, a, 0)).toBe(FreeStatus.WrongCache);
		expect(
			e.events.some(ev => ev.text === 'cache_from_obj: Wrong slab cache. other_cache but object is from demo_objects'),
		).toBe(true);
		expect(oneCacheStats(e, c).inUse).toBe(0);
		expect(validateEngine(e)).toEqual([]);
	});

	it('detects a write after free (poison overwritten) at validate and restores the poison', () => {
		const {e, c} = demo();
		const a = allocObject(e, c, 0);
		allocObject(e, c, 0);
		freeChecked(e, c, a, 0);
		e.mem8[a + 10] = 0x00; // use after free
		e.mem8[a + 11] = 0x00;
		const before = oneCacheStats(e, c);
		const problems = validateCache(e, c);
		expect(problems).toHaveLength(1);
		const lines = lastReport(e).split('\n');
		expect(lines[0]).toMatch(
			/^\[Poison overwritten\] 0xffff8880[0-9a-f]{8}-0xffff8880[0-9a-f]{8} @offset=74\. First byte 0x0 instead of 0x6b$/,
		); // from the slab's start: 64 of left red zone, then 10
		expect(lines[2]).toBe('BUG demo_objects (Not tainted): Object corrupt');
		expect(lines.at(-1)).toMatch(/^FIX demo_objects: Restoring Poison 0x[0-9a-f]{16}-0x[0-9a-f]{16}=0x6b$/);
		expect(e.mem8[a + 10]).toBe(0x6b);
		expect(validateCache(e, c)).toEqual([]); // repaired
		expect(oneCacheStats(e, c)).toEqual(before);
	});

	it('detects a write after free when the object is allocated again, and leaks the slab as the kernel does', () => {
		const {e, c} = demo();
		const a = allocObject(e, c, 0);
		freeChecked(e, c, a, 0);
		e.mem8[a + 100] = 0x41;
		const b = allocObject(e, c, 0);
		expect(b).not.toBe(a); // the checked slab is given up: its objects are all marked used
		expect(b >> 12).not.toBe(a >> 12);
		const reports = e.events.filter(ev => ev.kind === 'debug-report').map(ev => ev.text);
		expect(reports[0]).toContain('[Poison overwritten]');
		expect(reports[0]).toContain('@offset=164. First byte 0x41 instead of 0x6b');
		expect(reports.at(-1)).toBe('FIX demo_objects: Marking all objects used');
		expect(e.caches[c].isolated).toBe(e.cacheObjects[c]);
		expect(validateEngine(e)).toEqual([]);
	});

	it('detects a write past the object (right red zone) on free and refuses the free', () => {
		const {e, c} = demo();
		const a = allocObject(e, c, 0);
		e.mem8[a + 128] = 0x58; // one byte past the 128-byte object
		const before = oneCacheStats(e, c);
		expect(freeChecked(e, c, a, 0)).toBe(FreeStatus.Corrupt);
		const all = e.events
			.filter(ev => ev.kind === 'debug-report')
			.map(ev => ev.text)
			.join('\n');
		expect(all).toMatch(
			/\[Right Redzone overwritten\] 0x[0-9a-f]{16}-0x[0-9a-f]{16} @offset=192\. First byte 0x58 instead of 0xcc/,
		);
		expect(all).toMatch(/FIX demo_objects: Object at 0x[0-9a-f]{16} not freed/);
		expect(oneCacheStats(e, c)).toEqual(before);
		expect(freeChecked(e, c, a, 0)).toBe(FreeStatus.Ok); // red zone restored: the next free works
		expect(validateEngine(e)).toEqual([]);
	});

	it('detects a write before the object (left red zone) at validate', () => {
		const {e, c} = demo();
		const a = allocObject(e, c, 0);
		e.mem8[a - 3] = 0x00;
		expect(validateCache(e, c)).toHaveLength(1);
		expect(lastReport(e)).toContain('[Left Redzone overwritten]');
	});

	it('without F, a red-zone or poison write is found by validate only', () => {
		const {e, c} = demo(SLAB_RED_ZONE | SLAB_POISON);
		const a = allocObject(e, c, 0);
		e.mem8[a + 128] = 0x58;
		expect(freeChecked(e, c, a, 0)).toBe(FreeStatus.Ok);
		expect(lastReport(e)).toBe('');
		e.mem8[a + 128] = 0x58;
		expect(validateCache(e, c).length).toBeGreaterThan(0);
	});

	it('slab_debug= at boot turns the flags on for the chosen caches only', () => {
		const e = createEngine({memoryBytes: 32 << 20, debugFlags: FZPU, debugCaches: ['picked']});
		const picked = createCache(e, {name: 'picked', size: 64});
		const plain = createCache(e, {name: 'plain', size: 64});
		if (!picked.ok || !plain.ok) throw new Error('create');
		expect(e.caches[picked.value].isDebug).toBe(true);
		expect(e.caches[plain.value].isDebug).toBe(false);
		// 64 + 8 right red zone + 8 free pointer + 2 tracks (64) + 8 pad word + 8 left red zone
		expect([e.caches[plain.value].layout.size, e.caches[picked.value].layout.size]).toEqual([64, 160]);
	});
});
