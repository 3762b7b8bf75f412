// The refresh timer: every `delayMs` it lets the simulator's clock run by the real time that
// passed (at its speed; sim/clock.ts keeps the fraction of a tick) and takes a sample into the
// store; the simulator in a worker keeps its own clock and is asked for a snapshot instead.
// The interval is armed once per delay: renders (a held key, a typed character) do not re-arm
// it, so the screen keeps refreshing while keys are pressed. A simulator that fails to advance
// shows the failure on the status line instead of stopping the screen.

import {useCallback, useEffect, useEffectEvent, useRef} from 'react';
import {isSimSource, type SimSource} from '../sim/types.js';
import type {SlabSource} from '../sources/source.js';
import type {SampleStore} from './sample-store.js';

/** Milliseconds of real time. */
export type Clock = () => number;

const realTime: Clock = () => performance.now();

/** How long a refresh waits for the worker's snapshot before it draws what there is. */
export const SNAPSHOT_WAIT_MS = 100;

/** The simulator in a worker (sim/worker-source.ts): it keeps its own clock and sends snapshots when asked. */
type WorkerSource = SimSource & {requestSample(): void; onSnapshot(listener: () => void): void};

function isWorkerSource(source: SlabSource): source is WorkerSource {
	return isSimSource(source) && 'requestSample' in source;
}

/**
 * Let an in-process simulator's clock run by the real time since `last.current` (at its
 * speed), then sample. `last.current` is the real time the simulator's clock stands at.
 */
export function advanceAndSample(source: SlabSource, store: SampleStore, last: {current: number}, now: Clock): void {
	if (isSimSource(source)) {
		const time = now();
		const elapsed = time - last.current;
		// The clock stands at now even when the simulator fails: the next refresh does not retry this time.
		last.current = time;
		try {
			source.elapse(elapsed);
		} catch (error) {
			store.refresh();
			store.fail(`the simulator stopped advancing: ${error instanceof Error ? error.message : String(error)}`);
			return;
		}
	}

	store.refresh();
}

/**
 * Runs the refresh timer; returns the refresh itself, for "refresh now" (space, after a
 * command). The simulator in a worker keeps its own clock: a refresh asks it for a snapshot and
 * takes the sample when it comes, or after SNAPSHOT_WAIT_MS with what there is (a frame never
 * waits for the simulator).
 */
export function useRefresh(source: SlabSource, store: SampleStore, delayMs: number, now: Clock = realTime): () => void {
	const last = useRef<number | null>(null);
	if (last.current === null) last.current = now();
	const isAwaitingSnapshot = useRef(false);
	const refresh = useCallback(() => {
		if (!isWorkerSource(source)) {
			const clock = {current: last.current ?? now()};
			advanceAndSample(source, store, clock, now);
			last.current = clock.current;
			return;
		}

		isAwaitingSnapshot.current = true;
		source.requestSample();
		setTimeout(() => {
			if (!isAwaitingSnapshot.current) return;
			isAwaitingSnapshot.current = false;
			store.refresh();
		}, SNAPSHOT_WAIT_MS);
	}, [source, store, now]);
	useEffect(() => {
		if (!isWorkerSource(source)) return;
		source.onSnapshot(() => {
			if (!isAwaitingSnapshot.current) return;
			isAwaitingSnapshot.current = false;
			store.refresh();
		});
	}, [source, store]);
	const onTimer = useEffectEvent(refresh);
	useEffect(() => {
		const timer = setInterval(() => {
			onTimer();
		}, delayMs);
		return () => {
			clearInterval(timer);
		};
	}, [delayMs]);
	return refresh;
}
