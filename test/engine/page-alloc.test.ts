import {describe, expect, it} from 'vitest';
import {
	NIL,
	allocPages,
	buddyInfo,
	buddyInfoLine,
	createEngine,
	freePages,
	validateEngine,
} from '../../source/engine/index.js';

describe('the buddy page allocator', () => {
	it('starts with every frame free in order-10 blocks, as /proc/buddyinfo shows', () => {
		const e = createEngine({memoryBytes: 16 << 20});
		expect(buddyInfo(e)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]);
		expect(buddyInfoLine(e)).toBe(
			'Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      0      4',
		);
		expect(e.nrFreePages).toBe(4096);
	});

	it('hands out the lowest block first and splits it, the upper halves going to the lower orders', () => {
		const e = createEngine({memoryBytes: 4 << 20});
		expect(allocPages(e, 0)).toBe(0);
		expect(buddyInfo(e)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
		expect(allocPages(e, 0)).toBe(1);
		expect(allocPages(e, 2)).toBe(4);
		expect(allocPages(e, 1)).toBe(2);
		for (const [f, order] of [
			[0, 0],
			[1, 0],
			[4, 2],
			[2, 1],
		])
			freePages(e, f, order);
		expect(buddyInfo(e)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
		expect(validateEngine(e)).toEqual([]); // every frame back, every block where it belongs
	});

	it('merges a freed block with its free buddy, up to order 10', () => {
		const e = createEngine({memoryBytes: 4 << 20});
		const a = allocPages(e, 0);
		const b = allocPages(e, 0);
		freePages(e, a, 0);
		expect(buddyInfo(e)[0]).toBe(1); // b still allocated: no merge
		freePages(e, b, 0);
		expect(buddyInfo(e)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
		expect(validateEngine(e)).toEqual([]);
	});

	it('keeps blocks aligned to their order and fails when no block is large enough', () => {
		const e = createEngine({memoryBytes: 4 << 20});
		const got: number[] = [];
		for (let f = allocPages(e, 3); f !== NIL; f = allocPages(e, 3)) got.push(f);
		expect(got).toHaveLength(128);
		expect(got.every(f => f % 8 === 0)).toBe(true);
		expect(allocPages(e, 0)).toBe(NIL);
		freePages(e, got[5], 3);
		expect(allocPages(e, 4)).toBe(NIL); // 8 free pages, but not 16 contiguous
		expect(allocPages(e, 0)).toBe(got[5]);
	});

	it('uses never-touched order-10 blocks in address order after freed ones, as the boot list would', () => {
		const e = createEngine({memoryBytes: 16 << 20});
		const first = allocPages(e, 10);
		const second = allocPages(e, 10);
		expect([first, second]).toEqual([0, 1024]);
		freePages(e, first, 10); // back at the head of the order-10 list
		expect(allocPages(e, 10)).toBe(0);
		expect(allocPages(e, 10)).toBe(2048);
		for (const f of [0, 1024, 2048]) freePages(e, f, 10);
		expect(buddyInfo(e)[10]).toBe(4);
		expect(validateEngine(e)).toEqual([]);
	});

	it('takes memory that is not a multiple of 4 MiB in smaller blocks at the end', () => {
		const e = createEngine({memoryBytes: (4 << 20) + (12 << 12)}); // 4 MiB + 12 pages
		expect(buddyInfo(e)).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1]);
		expect(validateEngine(e)).toEqual([]);
	});

	it('with the merge-likely option, a freed block whose merged buddy is free goes to the list tail', () => {
		const nextOrder0 = (isBuddyMergeTail: boolean): number => {
			const e = createEngine({memoryBytes: 4 << 20, isBuddyMergeTail});
			for (let i = 0; i < 6; i++) allocPages(e, 0); // frames 0, 1, 2, 3, 4, 5; 6-7 stay free at order 1
			freePages(e, 2, 0); // buddy 3 in use, and 0-1 (the buddy of 2-3) in use: to the head
			freePages(e, 4, 0); // buddy 5 in use, but 6-7 (the buddy of 4-5) is free: merge likely
			return allocPages(e, 0);
		};
		expect(nextOrder0(false)).toBe(4); // head insertion: the block freed last is used first
		expect(nextOrder0(true)).toBe(2); // frame 4 went to the tail
	});

	it('rejects a memory size it cannot simulate, with a message', () => {
		expect(() => createEngine({memoryBytes: 1 << 20})).toThrow(/memory must be between 4 MiB and 2 GiB/);
		expect(() => createEngine({cpus: 0})).toThrow(/CPU count must be 1\.\.64/);
	});
});
