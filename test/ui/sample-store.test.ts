import {describe, expect, it} from 'vitest';
import type {CacheRow, SampleResult, SlabSource} from '../../source/sources/source.js';
import {createSampleStore, HISTORY_WINDOW_MS} from '../../source/ui/sample-store.js';
import {cacheRow, fakeSource} from '../helpers/fake-sources.js';

type Step = {timeMs: number; rows: readonly CacheRow[]} | {error: string} | {throws: string};

/** A kernel-like source that plays `steps` in turn, then repeats the last. */
function scripted(steps: readonly Step[]): SlabSource {
	let index = 0;
	return {
		kind: 'kernel',
		label: '/proc/slabinfo',
		sample(): SampleResult {
			const step = steps[Math.min(index, steps.length - 1)];
			index++;
			if ('throws' in step) throw new Error(step.throws);
			if ('error' in step) return {ok: false, error: {kind: 'unreadable', file: '/proc/slabinfo', message: step.error}};
			return {
				ok: true,
				value: {kind: 'kernel', label: '/proc/slabinfo', version: index, timeMs: step.timeMs, rows: step.rows},
			};
		},
	};
}

const busy = (allocs: number, frees: number, activeObjs = 10): CacheRow =>
	cacheRow('busy', {allocs, frees, activeObjs});

describe('the sample store', () => {
	it('shows a sample the caller already took without reading the source again', () => {
		const source = fakeSource([[cacheRow('dentry')], [cacheRow('dentry'), cacheRow('filp')]]);
		const first = source.sample();
		if (!first.ok) throw new Error('fake source failed');
		const store = createSampleStore(source);
		store.refresh(first.value);
		expect(source.calls).toBe(1);
		expect(store.getSnapshot().sample).toBe(first.value);
		store.refresh();
		expect(source.calls).toBe(2);
		expect(store.getSnapshot().sample?.rows.map(row => row.name)).toEqual(['dentry', 'filp']);
	});

	it('keeps one frozen snapshot until the next refresh, and tells its listeners', () => {
		const store = createSampleStore(fakeSource([[cacheRow('dentry')]]));
		let told = 0;
		const unsubscribe = store.subscribe(() => told++);
		const empty = store.getSnapshot();
		expect(empty.sample).toBeNull();
		store.refresh();
		const first = store.getSnapshot();
		expect(first).not.toBe(empty);
		expect(store.getSnapshot()).toBe(first);
		expect(Object.isFrozen(first)).toBe(true);
		expect(told).toBe(1);
		unsubscribe();
		store.refresh();
		expect(told).toBe(1);
	});

	it('computes rates per second from consecutive samples; none for the first or for a new cache', () => {
		const store = createSampleStore(
			scripted([
				{timeMs: 1000, rows: [busy(100, 50)]},
				{timeMs: 3000, rows: [busy(500, 150), cacheRow('new', {allocs: 9, frees: 0})]},
				// No time passed (a paused simulator): the last rates stay.
				{timeMs: 3000, rows: [busy(500, 150)]},
			]),
		);
		store.refresh();
		expect(store.getSnapshot().rates.size).toBe(0);
		store.refresh();
		expect(store.getSnapshot().rates.get('busy')).toEqual({allocPerSec: 200, freePerSec: 50});
		expect(store.getSnapshot().rates.has('new')).toBe(false);
		store.refresh();
		expect(store.getSnapshot().rates.get('busy')).toEqual({allocPerSec: 200, freePerSec: 50});
	});

	it('keeps the last good sample when a read fails or the source throws, and reports the error', () => {
		const rows = [busy(1, 0)];
		const store = createSampleStore(
			scripted([
				{timeMs: 1000, rows},
				{error: '/proc/slabinfo: permission denied'},
				{throws: 'bug in the source'},
				{timeMs: 2000, rows},
			]),
		);
		store.refresh();
		const good = store.getSnapshot();
		store.refresh();
		expect(store.getSnapshot().error).toBe('/proc/slabinfo: permission denied');
		expect(store.getSnapshot().sample).toBe(good.sample);
		expect(store.getSnapshot().rates).toBe(good.rates);
		store.refresh();
		expect(store.getSnapshot().error).toBe('/proc/slabinfo: bug in the source');
		expect(store.getSnapshot().sample).toBe(good.sample);
		store.refresh();
		expect(store.getSnapshot().error).toBeNull();
		expect(store.getSnapshot().sample?.timeMs).toBe(2000);
	});

	it('keeps a minute of active objects per cache, replacing a point of the same time and forgetting gone caches', () => {
		const steps: Step[] = [];
		for (let second = 0; second <= 90; second += 10)
			steps.push({timeMs: second * 1000, rows: [busy(0, 0, second), cacheRow('gone')]});
		steps.push({timeMs: 90_000, rows: [busy(0, 0, 999)]});
		const store = createSampleStore(scripted(steps));
		for (let index = 0; index < steps.length - 1; index++) store.refresh();
		const points = store.getSnapshot().history.get('busy') ?? [];
		expect(points.map(point => point.timeMs / 1000)).toEqual([30, 40, 50, 60, 70, 80, 90]);
		expect(points.every(point => point.timeMs >= 90_000 - HISTORY_WINDOW_MS)).toBe(true);
		expect(store.getSnapshot().history.has('gone')).toBe(true);
		store.refresh();
		const after = store.getSnapshot().history;
		expect(after.get('busy')?.map(point => point.value)).toEqual([30, 40, 50, 60, 70, 80, 999]);
		expect(after.has('gone')).toBe(false);
	});
});
