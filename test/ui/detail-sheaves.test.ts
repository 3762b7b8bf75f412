import {describe, expect, it} from 'vitest';
import type {SimDetail} from '../../source/sim/types.js';
import {sheafLines} from '../../source/ui/views/detail.js';

describe('the detail view of a cache with sheaves', () => {
	it("shows each CPU's main and spare sheaf and the barn", () => {
		const detail = {
			sheaves: {
				capacity: 32,
				cpus: [
					{main: 12, spare: 32},
					{main: 0, spare: null},
				],
				barnFull: 3,
				barnEmpty: 1,
				maxFull: 10,
				objects: 140,
			},
		} as unknown as SimDetail;
		expect(sheafLines(detail)).toEqual([
			'Sheaves: capacity 32, 140 objects held (allocated as far as the slabs know)',
			'  cpu0  main 12/32  spare 32/32',
			'  cpu1  main 0/32  spare none',
			'  barn: 3 full (at most 10), 1 empty',
		]);
	});

	it('shows nothing for a cache without sheaves', () => {
		expect(sheafLines({sheaves: null} as unknown as SimDetail)).toEqual([]);
	});
});
