import {describe, expect, it} from 'vitest';
import {createSampleStore} from '../../source/ui/sample-store.js';
import {cacheRow, fakeSource} from '../helpers/fake-sources.js';

describe('the sample store with rates from the source (Prometheus rate())', () => {
	it("shows the source's rates from the first sample on, not differences of counters", () => {
		const rated = (allocPerSec: number) =>
			cacheRow('dentry', {allocs: 1000, frees: 0, rates: {allocPerSec, freePerSec: null}});
		const store = createSampleStore(
			fakeSource(
				[
					[rated(12.5), cacheRow('filp', {allocs: 10, frees: 0})],
					[rated(7), cacheRow('filp', {allocs: 30, frees: 5})],
				],
				'prometheus',
			),
		);
		store.refresh();
		expect(store.getSnapshot().rates.get('dentry')).toEqual({allocPerSec: 12.5, freePerSec: null});
		expect(store.getSnapshot().rates.get('filp')).toBeUndefined();
		store.refresh();
		expect(store.getSnapshot().rates.get('dentry')).toEqual({allocPerSec: 7, freePerSec: null});
		// A row without the source's rates still gets them from its counters (20 allocs in 1 s).
		expect(store.getSnapshot().rates.get('filp')).toEqual({allocPerSec: 20, freePerSec: 5});
	});
});

describe("the sample store with the source's own trend (Prometheus query_range)", () => {
	it("takes a row's last minute of active objects from the source, within the window", () => {
		const trend = [
			{timeMs: -30_000, value: 1},
			{timeMs: 500, value: 5},
			{timeMs: 1000, value: 8},
		];
		const store = createSampleStore(fakeSource([[cacheRow('dentry', {activeObjs: 8, trend})]], 'prometheus'));
		store.refresh(); // the fake's first sample is at 1000 ms: the window reaches back to -59000
		expect(store.getSnapshot().history.get('dentry')).toEqual(trend);
	});
});
