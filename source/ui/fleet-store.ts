// The fleet view's and host picker's data: `createFleetStore(client)` asks Prometheus (through
// sources/prometheus-fleet.ts and prometheus-source.ts) when told, and keeps one frozen
// snapshot for useSyncExternalStore: the last fleet answer and the host list, each with the last
// failure as one line (the last good figures stay shown). A request while the same one runs is
// not repeated; an answer to a request that was superseded (another cache or window) is dropped.

import type {PrometheusClient} from '../sources/prometheus-fetch.js';
import {fetchFleet, type Fleet} from '../sources/prometheus-fleet.js';
import {listHosts} from '../sources/prometheus-source.js';
import {PAGE_SIZE} from '../report/row-figures.js';

export type FleetSnapshot = {
	fleet: Fleet | null;
	error: string | null;
	hosts: readonly string[] | null;
	hostsError: string | null;
};

export type FleetStore = {
	subscribe: (listener: () => void) => () => void;
	getSnapshot: () => FleetSnapshot;
	/** Ask for `cache`'s fleet figures with growth over `windowSeconds`. */
	requestFleet: (cache: string, windowSeconds: number) => Promise<void>;
	/** Ask for the hosts with slab series. */
	requestHosts: () => Promise<void>;
};

export function createFleetStore(client: PrometheusClient): FleetStore {
	const listeners = new Set<() => void>();
	let snapshot: FleetSnapshot = Object.freeze({fleet: null, error: null, hosts: null, hostsError: null});
	let wanted = '';
	let fleetInFlight: Promise<void> | null = null;
	let hostsInFlight: Promise<void> | null = null;
	const publish = (next: Partial<FleetSnapshot>): void => {
		snapshot = Object.freeze({...snapshot, ...next});
		for (const listener of listeners) listener();
	};

	return {
		subscribe: listener => {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		getSnapshot: () => snapshot,
		requestFleet: (cache, windowSeconds) => {
			const key = `${windowSeconds} ${cache}`;
			if (fleetInFlight !== null && key === wanted) return fleetInFlight;
			wanted = key;
			const running = fetchFleet(client, cache, windowSeconds, {pageSize: PAGE_SIZE}).then(result => {
				if (key !== wanted) return;
				fleetInFlight = null;
				publish(result.ok ? {fleet: result.value, error: null} : {error: result.error.message});
			});
			fleetInFlight = running;
			return running;
		},
		requestHosts: () => {
			if (hostsInFlight !== null) return hostsInFlight;
			hostsInFlight = listHosts(client).then(result => {
				hostsInFlight = null;
				publish(result.ok ? {hosts: result.value, hostsError: null} : {hostsError: result.error.message});
			});
			return hostsInFlight;
		},
	};
}
