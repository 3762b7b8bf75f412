// The store's snapshot as React state: useSyncExternalStore over the sample store (whose
// getSnapshot returns the same frozen object until the next refresh).

import {useSyncExternalStore} from 'react';
import type {SampleStore, Snapshot} from './sample-store.js';

export function useSample(store: SampleStore): Snapshot {
	return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
