import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {buildJsonReport} from '../../source/report/json.js';
import {
	baseFor,
	EMPTY_RATE_TRACKER,
	formatRate,
	rateBaseOf,
	ratesBetween,
	setMark,
	trackSample,
	type RateTracker,
} from '../../source/report/rates.js';
import {createFileSource} from '../../source/sources/file-source.js';
import type {CacheRow, Sample} from '../../source/sources/source.js';
import {cacheRow} from '../helpers/fake-sources.js';

function sample(timeMs: number, rows: CacheRow[]): Sample {
	return {kind: 'file', label: 'f', version: 1, timeMs, rows};
}

const HEADER = 'slabinfo - version: 2.1\n';
const line = (name: string, active: number, num: number, slabs: number, pages = 1) =>
	`${name} ${active} ${num} 128 32 ${pages} : tunables 0 0 0 : slabdata ${slabs} ${slabs} 0\n`;

describe('rates from successive samples', () => {
	it('a file source rewritten between refreshes gives the change per second of objects, slabs and KiB', () => {
		const file = join(mkdtempSync(join(tmpdir(), 'rates-')), 'slabinfo');
		let clock = 10_000;
		const source = createFileSource(file, () => clock);
		writeFileSync(file, HEADER + line('dentry', 100, 128, 4) + line('gone', 1, 32, 1));
		const first = source.sample();
		writeFileSync(file, HEADER + line('dentry', 300, 384, 12) + line('fresh', 5, 32, 1));
		clock = 12_000;
		const second = source.sample();
		if (!first.ok || !second.ok) throw new Error('read failed');

		let tracker: RateTracker = trackSample(EMPTY_RATE_TRACKER, first.value);
		expect(ratesBetween(first.value, baseFor(tracker, 'interval')).size).toBe(0); // first frame: blank
		tracker = trackSample(tracker, second.value);
		const rates = ratesBetween(second.value, baseFor(tracker, 'interval'));
		// 200 more active objects, 8 more slabs (of one 4 KiB page) in 2 seconds.
		expect(rates.get('dentry')).toEqual({activeObjsPerSec: 100, numSlabsPerSec: 4, kibPerSec: 16, seconds: 2});
		expect(rates.has('fresh')).toBe(false); // new since the base: blank, not zero
		expect(rates.has('gone')).toBe(false);
	});

	it('since start, since the mark and since the last refresh differ', () => {
		const at = (t: number, active: number) =>
			sample(t, [cacheRow('c', {activeObjs: active, numObjs: 1000, numSlabs: 10})]);
		let tracker = trackSample(EMPTY_RATE_TRACKER, at(0, 0));
		tracker = trackSample(tracker, at(1000, 10));
		tracker = setMark(tracker);
		expect(ratesBetween(at(1000, 10), baseFor(tracker, 'mark')).size).toBe(0); // no time since the mark yet
		tracker = trackSample(tracker, at(3000, 70));
		const now = at(3000, 70);
		expect(ratesBetween(now, baseFor(tracker, 'interval')).get('c')?.activeObjsPerSec).toBe(30);
		expect(ratesBetween(now, baseFor(tracker, 'start')).get('c')?.activeObjsPerSec).toBeCloseTo(70 / 3);
		expect(ratesBetween(now, baseFor(tracker, 'mark')).get('c')?.activeObjsPerSec).toBe(30);
		expect(baseFor(EMPTY_RATE_TRACKER, 'mark')).toBeNull();
	});

	it('no time passed (a paused simulator) gives no rate rather than a division by zero', () => {
		const one = sample(5000, [cacheRow('c', {activeObjs: 1})]);
		const two = sample(5000, [cacheRow('c', {activeObjs: 9})]);
		expect(ratesBetween(two, rateBaseOf(one)).size).toBe(0);
	});

	it('shrinking caches give negative rates', () => {
		const rates = ratesBetween(
			sample(1000, [cacheRow('c', {numSlabs: 2, objsPerSlab: 32, pagesPerSlab: 2})]),
			rateBaseOf(sample(0, [cacheRow('c', {numSlabs: 6, objsPerSlab: 32, pagesPerSlab: 2})])),
		);
		expect(rates.get('c')).toMatchObject({activeObjsPerSec: -128, numSlabsPerSec: -4, kibPerSec: -32});
	});

	it('formats rates signed, blank when unknown', () => {
		expect([null, 0, 0.04, 2.5, -0.25, 12.6, -1234.4].map(value => formatRate(value))).toEqual([
			'',
			'0',
			'0',
			'+2.5',
			'-0.3',
			'+13',
			'-1234',
		]);
	});
});

describe('rates in the JSON report', () => {
	it('only when the sample has a predecessor, with the interval', () => {
		const before = sample(1000, [cacheRow('a', {activeObjs: 10, numObjs: 64, numSlabs: 2})]);
		const after = sample(3000, [cacheRow('a', {activeObjs: 50, numObjs: 64, numSlabs: 2}), cacheRow('b')]);
		const alone = buildJsonReport(after, 'n');
		expect(alone.interval_sec).toBeUndefined();
		expect(alone.caches.every(cache => cache.rates === undefined)).toBe(true);
		const report = buildJsonReport(after, 'n', before);
		expect(report.interval_sec).toBe(2);
		expect(report.caches[0].rates).toEqual({active_objs_per_sec: 20, num_slabs_per_sec: 0, kib_per_sec: 0});
		expect(report.caches[1].rates).toBeUndefined();
	});
});
