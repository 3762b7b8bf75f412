// Per-cache rates from successive samples of any source: `ratesBetween(sample, base)` gives,
// for every cache present in both, the change per second of its active objects, its slabs and
// its memory (cache size in KiB) between the base and the sample. `RateTracker` keeps the three
// bases the screen offers: the previous sample (the rate over the last refresh), the first
// sample (the average rate since start) and a mark the user sets (`m`: the average since then).
//
// A cache has no rate (null, shown blank) on the first sample, when it is new since the base,
// or when no time passed (a paused simulator) — never a made-up zero.

import type {CacheRow, Sample} from '../sources/source.js';
import {cacheSizeBytes} from './row-figures.js';

export type RateBasis = 'interval' | 'start' | 'mark';

export const RATE_BASES: readonly RateBasis[] = ['interval', 'start', 'mark'];

/** What each basis means, for the status line and help. */
export const RATE_BASIS_TEXT: Record<RateBasis, string> = {
	interval: 'since the last refresh',
	start: 'since start',
	mark: 'since the mark',
};

/** Change per second over `seconds`. */
export type CacheRates = {
	activeObjsPerSec: number;
	numSlabsPerSec: number;
	kibPerSec: number;
	/** The seconds the rate is taken over. */
	seconds: number;
};

type Point = {activeObjs: number; numSlabs: number; bytes: number};

/** The figures of one sample that rates are taken from, by cache name. */
export type RateBase = {timeMs: number; points: ReadonlyMap<string, Point>};

export function rateBaseOf(sample: Sample): RateBase {
	const points = new Map<string, Point>();
	for (const row of sample.rows) {
		points.set(row.name, {activeObjs: row.activeObjs, numSlabs: row.numSlabs, bytes: cacheSizeBytes(row)});
	}

	return {timeMs: sample.timeMs, points};
}

/** The rate of one row against a base, or null when there is none. */
export function rowRates(row: CacheRow, timeMs: number, base: RateBase | null): CacheRates | null {
	if (base === null) return null;
	const seconds = (timeMs - base.timeMs) / 1000;
	const before = base.points.get(row.name);
	if (before === undefined || !(seconds > 0)) return null;
	return {
		activeObjsPerSec: (row.activeObjs - before.activeObjs) / seconds,
		numSlabsPerSec: (row.numSlabs - before.numSlabs) / seconds,
		kibPerSec: (cacheSizeBytes(row) - before.bytes) / 1024 / seconds,
		seconds,
	};
}

/** Rates of every cache of `sample` against `base` (caches without one are left out). */
export function ratesBetween(sample: Sample, base: RateBase | null): Map<string, CacheRates> {
	const rates = new Map<string, CacheRates>();
	for (const row of sample.rows) {
		const rate = rowRates(row, sample.timeMs, base);
		if (rate !== null) rates.set(row.name, rate);
	}

	return rates;
}

/** The bases kept across samples: previous, first and mark. Immutable; each step returns a new one. */
export type RateTracker = {
	start: RateBase | null;
	previous: RateBase | null;
	latest: RateBase | null;
	mark: RateBase | null;
};

export const EMPTY_RATE_TRACKER: RateTracker = {start: null, previous: null, latest: null, mark: null};

/** The tracker after a new sample: the latest becomes the previous. */
export function trackSample(tracker: RateTracker, sample: Sample): RateTracker {
	const base = rateBaseOf(sample);
	return {start: tracker.start ?? base, previous: tracker.latest, latest: base, mark: tracker.mark};
}

/** `m`: the mark is the latest sample (rates since the mark start blank, then count from it). */
export function setMark(tracker: RateTracker): RateTracker {
	return {...tracker, mark: tracker.latest};
}

/** The base the latest sample's rates are taken against, for a basis. */
export function baseFor(tracker: RateTracker, basis: RateBasis): RateBase | null {
	if (basis === 'interval') return tracker.previous;
	if (basis === 'start') return tracker.start;
	return tracker.mark;
}

/** A rate as the table shows it: signed, whole numbers from 10 up, one decimal below. */
export function formatRate(value: number | null | undefined): string {
	if (value === null || value === undefined) return '';
	if (value === 0) return '0';
	const magnitude = Math.abs(value);
	const text = magnitude >= 10 ? String(Math.round(magnitude)) : magnitude.toFixed(1);
	if (text === '0.0') return '0';
	return `${value > 0 ? '+' : '-'}${text}`;
}
