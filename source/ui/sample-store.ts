// The sample store: `createSampleStore(source)` takes samples when told (`refresh()`) and keeps
// one frozen Snapshot for React's useSyncExternalStore: the latest good sample, per-cache rates
// from consecutive samples, the last minute of active objects per cache (for sparklines), the
// simulator's status and event log. `getSnapshot()` returns the same object until the next
// refresh. A failed read keeps the last good sample and records the error as text.
//
// The history is kept in place: each cache's points are one array that gets the new point
// pushed and the points older than the window dropped from its front, so a refresh does not
// copy a minute of points per cache. The map therefore belongs to the latest snapshot only.

import {EVENT_LOG_CAPACITY, isSimSource, type SimEvent, type SimStatus} from '../sim/types.js';
import type {Sample, SampleResult, SlabSource} from '../sources/source.js';
import type {TimedValue} from './format.js';
import {EMPTY_RATE_TRACKER, setMark, trackSample, type RateTracker} from '../report/rates.js';

/** How far back the sparkline looks, in source milliseconds. */
export const HISTORY_WINDOW_MS = 60_000;

export type Rates = {allocPerSec: number | null; freePerSec: number | null};

export type Snapshot = {
	sample: Sample | null;
	/** The last refresh's failure, as one line; null when it succeeded. */
	error: string | null;
	rates: ReadonlyMap<string, Rates>;
	/** Oldest first, within HISTORY_WINDOW_MS of the sample's time; updated in place by the next good refresh. */
	history: ReadonlyMap<string, readonly TimedValue[]>;
	status: SimStatus | null;
	/** Newest first. */
	events: readonly SimEvent[];
	/** The bases of the rate columns: previous sample, first sample, mark (report/rates.ts). */
	tracker: RateTracker;
};

export type SampleStore = {
	// Properties, not methods: React calls them unbound (useSyncExternalStore).
	subscribe: (listener: () => void) => () => void;
	getSnapshot: () => Snapshot;
	/** Take a sample from the source, or use `taken` (one the caller already took). */
	refresh(taken?: Sample | null): void;
	/** Show a failure that is not the sample's (the simulator's advance failed), keeping the last sample. */
	fail(message: string): void;
	/** `m`: the rates' mark is the latest sample. */
	mark(): void;
};

const NO_RATES: Rates = {allocPerSec: null, freePerSec: null};

function perSecond(now: number | null, before: number | null, seconds: number): number | null {
	if (now === null || before === null || seconds <= 0) return null;
	return (now - before) / seconds;
}

function computeRates(sample: Sample, previous: Sample | null, last: ReadonlyMap<string, Rates>): Map<string, Rates> {
	const rates = new Map<string, Rates>();
	if (previous === null) {
		for (const row of sample.rows) if (row.rates !== undefined) rates.set(row.name, row.rates);
		return rates;
	}

	const seconds = (sample.timeMs - previous.timeMs) / 1000;
	const before = new Map(previous.rows.map(row => [row.name, row]));
	for (const row of sample.rows) {
		if (row.rates !== undefined) {
			rates.set(row.name, row.rates);
			continue;
		}

		const old = before.get(row.name);
		if (old === undefined) continue;
		// No source time passed (a paused simulator): keep showing the last rates.
		if (seconds <= 0) {
			rates.set(row.name, last.get(row.name) ?? NO_RATES);
			continue;
		}

		rates.set(row.name, {
			allocPerSec: perSecond(row.allocs, old.allocs, seconds),
			freePerSec: perSecond(row.frees, old.frees, seconds),
		});
	}

	return rates;
}

/**
 * Adds the sample's active objects to each cache's points, in place: points not older than the
 * sample (a paused simulator samples the same time again) are replaced, points that left the
 * window are dropped, and caches that are gone are forgotten.
 */
export function extendHistory(sample: Sample, history: Map<string, TimedValue[]>): void {
	const oldest = sample.timeMs - HISTORY_WINDOW_MS;
	for (const row of sample.rows) {
		if (row.trend !== undefined) {
			// The source's own record of the minute (Prometheus): it replaces what was collected.
			history.set(
				row.name,
				row.trend.filter(point => point.timeMs >= oldest && point.timeMs <= sample.timeMs),
			);
			continue;
		}

		let points = history.get(row.name);
		if (points === undefined) {
			points = [];
			history.set(row.name, points);
		}

		while (points.length > 0 && points[points.length - 1].timeMs >= sample.timeMs) points.pop();
		let stale = 0;
		while (stale < points.length && points[stale].timeMs < oldest) stale++;
		if (stale > 0) points.splice(0, stale);
		points.push({timeMs: sample.timeMs, value: row.activeObjs});
	}

	if (history.size > sample.rows.length) {
		const shown = new Set(sample.rows.map(row => row.name));
		for (const name of history.keys()) if (!shown.has(name)) history.delete(name);
	}
}

export function createSampleStore(source: SlabSource): SampleStore {
	const listeners = new Set<() => void>();
	let lastEventSeq = 0;
	const history = new Map<string, TimedValue[]>();
	let snapshot: Snapshot = Object.freeze({
		sample: null,
		error: null,
		rates: new Map(),
		history,
		status: null,
		events: [],
		tracker: EMPTY_RATE_TRACKER,
	});

	function refresh(taken: Sample | null = null): void {
		try {
			take(taken);
		} catch (error) {
			// A bug in a source must not take the screen down: show it and keep the last sample.
			const message = error instanceof Error ? error.message : String(error);
			snapshot = Object.freeze({...snapshot, error: `${source.label}: ${message}`});
		}

		for (const listener of listeners) listener();
	}

	function take(taken: Sample | null): void {
		const result: SampleResult = taken === null ? source.sample() : {ok: true, value: taken};
		const previous = snapshot;
		let status: SimStatus | null = null;
		let events = previous.events;
		if (isSimSource(source)) {
			status = source.status();
			const fresh = source.events(lastEventSeq);
			if (fresh.length > 0) {
				lastEventSeq = fresh[fresh.length - 1].seq;
				events = [...fresh].reverse().concat(events).slice(0, EVENT_LOG_CAPACITY);
			}
		}

		if (!result.ok) {
			snapshot = Object.freeze({...previous, error: result.error.message, status, events});
			return;
		}

		extendHistory(result.value, history);
		snapshot = Object.freeze({
			sample: result.value,
			error: null,
			rates: computeRates(result.value, previous.sample, previous.rates),
			history,
			status,
			events,
			tracker: trackSample(previous.tracker, result.value),
		});
	}

	return {
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		getSnapshot: () => snapshot,
		refresh,
		mark() {
			snapshot = Object.freeze({...snapshot, tracker: setMark(snapshot.tracker)});
			for (const listener of listeners) listener();
		},
		fail(message) {
			snapshot = Object.freeze({...snapshot, error: message});
			for (const listener of listeners) listener();
		},
	};
}
