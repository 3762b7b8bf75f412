import {describe, expect, it} from 'vitest';
import {createSampleStore} from '../../source/ui/sample-store.js';
import {cacheRow, fakeSource} from '../helpers/fake-sources.js';

describe('the sample store with rates from the source (Prometheus rate())', () => {
	it('shows the source\'s rates from the first sample on, not differences of counters', () => {
		const rated = (allocPerSec: number) => cacheRow('dentry', {allocs: 1000, frees: 0, rates: {allocPerSec, freePerSec: null}});
		const store = createSampleStore(fakeSource([[rated(12.5), cacheRow('filp', {allocs: 10, frees: 0})], [rated(7), cacheRow('filp', {allocs: 30, frees: 5})]], 'prometheus'));
		store.refresh();
		expect(store.getSnapshot().rates.get('dentry')).toEqual({allocPerSec: 12.5, freePerSec: null});
		expect(store.getSnapshot().rates.get('filp')).toBeUndefined();
		store.refresh();
		expect(store.getSnapshot().rates.get('dentry')).toEqual({allocPerSec: 7, freePerSec: null});
		// A row without the source's rates still gets them from its counters (20 allocs in 1 s).
		expect(store.getSnapshot().rates.get('filp')).toEqual({allocPerSec: 20, freePerSec: 5});
	});
});
