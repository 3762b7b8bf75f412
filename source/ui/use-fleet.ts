// A Prometheus source's extras for the screen: its answers shown as they come, and the fleet
// view's and host picker's figures asked for while they are open (now, then at every delay).

import {useEffect, useMemo, useSyncExternalStore} from 'react';
import type {View} from '../commands/state.js';
import {isPrometheusSource} from '../sources/prometheus-source.js';
import type {SlabSource} from '../sources/source.js';
import {createFleetStore, type FleetSnapshot, type FleetStore} from './fleet-store.js';

const NO_FLEET: FleetSnapshot = Object.freeze({fleet: null, error: null, hosts: null, hostsError: null});
const noSubscription = (): (() => void) => () => undefined;
const noFleet = (): FleetSnapshot => NO_FLEET;

/**
 * A Prometheus source's extras: its answers shown as they come, and the fleet view's and host
 * picker's figures asked for while they are open (now, then at every delay).
 */
export function useFleet(
	source: SlabSource,
	refreshSample: () => void,
	view: View,
	cache: string | null,
	windowSeconds: number,
	delayMs: number,
) {
	const prometheus = isPrometheusSource(source) ? source : null;
	const fleetStore = useMemo<FleetStore | null>(
		() => (prometheus === null ? null : createFleetStore(prometheus.client)),
		[prometheus],
	);
	const snapshot = useSyncExternalStore(
		fleetStore?.subscribe ?? noSubscription,
		fleetStore?.getSnapshot ?? noFleet,
		fleetStore?.getSnapshot ?? noFleet,
	);
	useEffect(() => prometheus?.subscribe(refreshSample), [prometheus, refreshSample]);
	useEffect(() => {
		if (fleetStore === null || (view !== 'fleet' && view !== 'hosts')) return;
		const ask = (): void => {
			if (view === 'hosts') void fleetStore.requestHosts();
			else if (cache !== null) void fleetStore.requestFleet(cache, windowSeconds);
		};

		ask();
		const timer = setInterval(ask, delayMs);
		return () => {
			clearInterval(timer);
		};
	}, [fleetStore, view, cache, windowSeconds, delayMs]);
	return prometheus === null ? null : {snapshot, host: prometheus.host};
}
