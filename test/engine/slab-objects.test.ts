import {describe, expect, it} from 'vitest';
import {
	allocObject,
	createCache,
	createEngine,
	freeChecked,
	FreeStatus,
	PAGE_SHIFT,
	slabObjects,
	SLAB_POISON,
	SLAB_RED_ZONE,
	SLAB_STORE_USER,
} from '../../source/engine/index.js';

// One CPU, 256-byte objects: 16 per order-0 slab, handed out in address order (mm/slub.c 6.18,
// no CONFIG_SLAB_FREELIST_RANDOM).
function setup() {
	const e = createEngine({memoryBytes: 16 << 20, cpus: 1});
	const r = createCache(e, {name: 'objects_test', size: 256});
	if (!r.ok) throw new Error(r.message);
	return {e, c: r.value};
}

describe('the objects of one slab', () => {
	it('numbers the slab freelist in freelist order: the last object freed comes first', () => {
		const {e, c} = setup();
		const objs: number[] = [];
		for (let i = 0; i < 17; i++) objs.push(allocObject(e, c, 0));
		const a = objs[0];
		// A is full and off the CPU; freeing into it pushes onto its own freelist (LIFO):
		// A5 (put_cpu_partial), then A2, then A9. The freelist is A9 → A2 → A5.
		for (const i of [5, 2, 9]) expect(freeChecked(e, c, a + i * 256, 0)).toBe(FreeStatus.Ok);
		const view = slabObjects(e, c, a >> PAGE_SHIFT)!;
		expect(view.list).toBe('cpu partial');
		expect(view.isFrozen).toBe(false);
		expect(view.cpu).toBe(0);
		expect(view.slabFreelist).toEqual([a + 9 * 256, a + 2 * 256, a + 5 * 256]);
		expect(
			view.cells.filter(cell => cell.state !== 'used').map(cell => [cell.index, cell.state, cell.freeOrder]),
		).toEqual([
			[2, 'slab-free', 2],
			[5, 'slab-free', 3],
			[9, 'slab-free', 1],
		]);
		expect([view.inuse, view.used, view.objects, view.order]).toEqual([13, 13, 16, 0]);
	});

	it("shows the cpu slab's lockless freelist: after a free on the owning CPU its object is first", () => {
		const {e, c} = setup();
		const objs: number[] = [];
		for (let i = 0; i < 17; i++) objs.push(allocObject(e, c, 0));
		const b = objs[16];
		// B is the cpu slab: c->freelist is B1 … B15; freeing B0 pushes it in front (fast path),
		// then two allocations pop B0 and B1 again: the CPU freelist is B2 … B15.
		freeChecked(e, c, b, 0);
		let view = slabObjects(e, c, b >> PAGE_SHIFT)!;
		expect(view.cpuFreelist).toEqual(Array.from({length: 16}, (_, i) => b + i * 256));
		expect(view.used).toBe(0);
		expect(view.inuse).toBe(16); // a frozen slab's inuse counts the CPU freelist
		allocObject(e, c, 0);
		allocObject(e, c, 0);
		view = slabObjects(e, c, b >> PAGE_SHIFT)!;
		expect(view.list).toBe('cpu slab');
		expect(view.isFrozen).toBe(true);
		expect(view.cells.map(cell => cell.freeOrder)).toEqual([null, null, ...Array.from({length: 14}, (_, i) => i + 1)]);
		expect(view.cells.slice(2).every(cell => cell.state === 'cpu-free')).toBe(true);
	});

	it('is null for an address that is not the first frame of a slab of the cache', () => {
		const {e, c} = setup();
		const obj = allocObject(e, c, 0);
		expect(slabObjects(e, c, (obj >> PAGE_SHIFT) + 1)).toBeNull();
		expect(slabObjects(e, c, -1)).toBeNull();
	});

	it('lays out a debug slot: red zones, the free pointer after the object, tracks and padding', () => {
		const e = createEngine({memoryBytes: 16 << 20, cpus: 1});
		const r = createCache(e, {name: 'debug_test', size: 100, flags: SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER});
		if (!r.ok) throw new Error(r.message);
		const obj = allocObject(e, r.value, 0);
		const slot = slabObjects(e, r.value, obj >> PAGE_SHIFT)!.slot;
		// calculate_sizes(): object 100, right red zone up to the next word (inuse 104), the free
		// pointer after it (poisoning keeps the object intact) at 104, two struct tracks of 32
		// bytes, one more word of red-zone padding, and the left red zone of one word (align 8):
		// 104 + 8 + 64 + 8 + 8 = 192, of which 8 bytes are padding after the tracks.
		expect(slot).toEqual({
			size: 192,
			object: 100,
			rightRedZone: 4,
			hasRedZone: true,
			isFreePointerAfter: true,
			freePointerOffset: 104,
			tracks: 64,
			leftRedZone: 8,
			padding: 8,
			isPoisoned: true,
		});
		expect(slot.leftRedZone + slot.object + slot.rightRedZone + 8 + slot.tracks + slot.padding).toBe(slot.size);
	});
});
