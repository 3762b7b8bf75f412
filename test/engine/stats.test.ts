import {describe, expect, it} from 'vitest';
import {Stat, STAT_COUNT, STAT_NAMES} from '../../source/engine/index.js';

describe('SLUB_STATS counters', () => {
	it('are the 43 items of 6.18 enum stat_item, each with one sysfs name', () => {
		expect(STAT_COUNT).toBe(43);
		expect(STAT_NAMES).toHaveLength(STAT_COUNT);
		expect(new Set(STAT_NAMES).size).toBe(STAT_COUNT);
		expect(STAT_NAMES[Stat.AllocFastpath]).toBe('alloc_fastpath');
		expect(STAT_NAMES[Stat.SheafReturnSlow]).toBe('sheaf_return_slow');
	});
});
