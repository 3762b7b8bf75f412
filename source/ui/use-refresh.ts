// The refresh timer: every `delayMs` it advances the simulator's clock by the real time that
// passed (whole ticks of MS_PER_TICK; the rest carries over) and takes a sample into the store.
// The interval is armed once per delay: renders (a held key, a typed character) do not re-arm
// it, so the screen keeps refreshing while keys are pressed. A simulator that fails to advance
// shows the failure on the status line instead of stopping the screen.

import {useCallback, useEffect, useEffectEvent, useRef} from 'react';
import {isSimSource} from '../sim/types.js';
import type {SlabSource} from '../sources/source.js';
import {MS_PER_TICK} from '../workload/tick-machine.js';
import type {SampleStore} from './sample-store.js';

/** Milliseconds of real time. */
export type Clock = () => number;

const realTime: Clock = () => performance.now();

/**
 * Advance a simulator by the real time since `last.current` (whole ticks only), then sample.
 * `last.current` is the real time the simulator's clock stands at.
 */
export function advanceAndSample(source: SlabSource, store: SampleStore, last: {current: number}, now: Clock): void {
	if (isSimSource(source)) {
		const ticks = Math.floor((now() - last.current) / MS_PER_TICK);
		last.current += ticks * MS_PER_TICK;
		try {
			if (ticks > 0) source.advance(ticks);
		} catch (error) {
			store.refresh();
			store.fail(`the simulator stopped advancing: ${error instanceof Error ? error.message : String(error)}`);
			return;
		}
	}

	store.refresh();
}

/** Runs the refresh timer; returns the refresh itself, for "refresh now" (space, after a command). */
export function useRefresh(source: SlabSource, store: SampleStore, delayMs: number, now: Clock = realTime): () => void {
	const last = useRef<number | null>(null);
	if (last.current === null) last.current = now();
	const refresh = useCallback(() => {
		const clock = {current: last.current ?? now()};
		advanceAndSample(source, store, clock, now);
		last.current = clock.current;
	}, [source, store, now]);
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
