// Simulated time you control: `createSimClock()` turns real time into engine ticks at a speed
// (0.01x … 1000x, or as fast as the machine can go), keeping the fraction of a tick left over so
// that e.g. 0.25x runs one 10 ms tick every 40 ms of real time. Pure: the caller says how much
// real time passed. The speed steps are what `[` and `]` move through.

// The engine's constants only: config reads the speed flag, and --once must not load the engine.
import {MS_PER_TICK} from '../engine/constants.js';

/** As fast as the machine can go. */
export const MAX_SPEED = Number.POSITIVE_INFINITY;
export const MIN_SPEED = 0.01;
/** The speeds `[` and `]` step through. */
export const SPEED_STEPS: readonly number[] = [
	0.01,
	0.02,
	0.05,
	0.1,
	0.2,
	0.5,
	1,
	2,
	5,
	10,
	20,
	50,
	100,
	200,
	500,
	1000,
	MAX_SPEED,
];
/**
 * Real time one refresh may account for at the most: after a suspension (Ctrl-Z) or a stalled
 * machine the simulation goes on from where it was instead of racing through minutes of backlog.
 */
export const MAX_ELAPSED_MS = 5000;

export type SimClock = {
	speed: number;
	/** Ticks that `realMs` of real time makes at the current speed (the fraction is kept). */
	ticksFor(realMs: number): number;
	setSpeed(speed: number): void;
};

export function createSimClock(speed = 1): SimClock {
	let carry = 0;
	const clock: SimClock = {
		speed,
		ticksFor(realMs) {
			if (!Number.isFinite(clock.speed) || realMs <= 0) return 0;
			carry += (Math.min(realMs, MAX_ELAPSED_MS) * clock.speed) / MS_PER_TICK;
			const ticks = Math.floor(carry);
			carry -= ticks;
			return ticks;
		},
		setSpeed(next) {
			clock.speed = next;
			carry = 0;
		},
	};
	return clock;
}

/** The next speed step up (`]`, direction 1) or down (`[`, -1) from `speed`, or `speed` at either end. */
export function stepSpeed(speed: number, direction: 1 | -1): number {
	if (direction > 0) return SPEED_STEPS.find(step => step > speed) ?? speed;
	const slower = SPEED_STEPS.filter(step => step < speed);
	return slower.length === 0 ? speed : slower[slower.length - 1];
}

/** A speed as the status line shows it: 1x, 0.25x, 20x, max. */
export function speedText(speed: number): string {
	return Number.isFinite(speed) ? `${speed}x` : 'max';
}

/** `--speed X`: a number from 0.01 to 1000 (an optional trailing x), or `max`; null if it is neither. */
export function parseSpeed(text: string): number | null {
	const trimmed = text.trim().toLowerCase();
	if (trimmed === 'max') return MAX_SPEED;
	const match = /^(\d+(?:\.\d+)?|\.\d+)x?$/.exec(trimmed);
	if (match === null) return null;
	const value = Number(match[1]);
	return value >= MIN_SPEED && value <= 1000 ? value : null;
}
