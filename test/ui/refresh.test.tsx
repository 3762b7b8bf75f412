// The refresh timer under pressed keys (the held-key bug): the interval is armed once per delay,
// so keys arriving faster than the refresh neither stop nor delay it. The interval and
// performance.now() (the App's default clock) are fake; Ink's own input handling runs for real.

import {render} from 'ink-testing-library';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {App} from '../../source/ui/app.js';
import {createSampleStore} from '../../source/ui/sample-store.js';
import {advanceAndSample} from '../../source/ui/use-refresh.js';
import {cacheRow, fakeSimSource} from '../helpers/fake-sources.js';
import {KEYS, tableNames} from '../helpers/render-app.js';

/** Lets Ink read the key and React render (a few turns of the event loop, no timers). */
async function settle(): Promise<void> {
	for (let turn = 0; turn < 5; turn++) await new Promise<void>(resolve => setImmediate(resolve));
}

describe('the refresh timer', () => {
	beforeEach(() => {
		vi.useFakeTimers({toFake: ['setInterval', 'clearInterval', 'performance']});
	});

	afterEach(() => {
		vi.useRealTimers();
	});

	it('keeps refreshing, and advancing the simulator by the real time, while ↓ is pressed every 100 ms', async () => {
		const names = Array.from({length: 30}, (_, index) => `cache-${index}`);
		const rows = names.map((name, index) => cacheRow(name, {numObjs: 1000 - index}));
		const sim = fakeSimSource({rows});
		const app = render(<App source={sim} sortKey="o" delayMs={1000} size={{columns: 100, rows: 24}} />);
		await settle();
		expect(tableNames(app.lastFrame() ?? '', names)[0]).toBe('cache-0');
		for (let press = 0; press < 25; press++) {
			app.stdin.write(KEYS.down);
			await settle();
			vi.advanceTimersByTime(100);
		}

		// Every key was taken: 14 rows to a page (the simulator's narration line takes one), the
		// 26th row selected, the page scrolled by 12.
		expect(tableNames(app.lastFrame() ?? '', names)[0]).toBe('cache-12');
		expect(app.lastFrame()).toContain('t=14.34s');
		app.unmount();
		// 2.5 s of held keys: two refreshes, each advancing the clock by the 100 ticks of 1 s.
		expect(sim.advanced).toEqual([100, 100]);
	});

	it('refreshes every delay when no key is pressed, carrying the part of a tick left over', async () => {
		const sim = fakeSimSource();
		let realMs = 0;
		const app = render(
			<App source={sim} sortKey="o" delayMs={250} size={{columns: 100, rows: 40}} now={() => realMs} />,
		);
		await settle();
		for (const step of [255, 255, 255, 255]) {
			realMs += step;
			vi.advanceTimersByTime(250);
		}

		app.unmount();
		// 255 ms of real time is 25 ticks and 5 ms over, the next 260 ms are 26 ticks, and so on.
		expect(sim.advanced).toEqual([25, 26, 25, 26]);
	});
});

describe('advanceAndSample', () => {
	it('shows a simulator that fails to advance on the status line, keeping the last sample', () => {
		const sim = fakeSimSource();
		sim.advance = () => {
			throw new Error('list corrupted');
		};

		const store = createSampleStore(sim);
		store.refresh();
		const last = {current: 0};
		advanceAndSample(sim, store, last, () => 1000);
		expect(store.getSnapshot().error).toBe('the simulator stopped advancing: list corrupted');
		expect(store.getSnapshot().sample?.rows.map(row => row.name)).toEqual(['kmalloc-64', 'demo_objects']);
		expect(last.current).toBe(1000);
	});
});
