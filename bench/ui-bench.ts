// UI bench (issues 5 and 8): the cost of a refresh. `run()` renders the App into a fake 120x40 TTY
// with a 300-cache source and reports, as JSON rows:
//   - ui_frame_300: milliseconds (wall, and this process's CPU, which other load on the machine
//     does not inflate) from a refresh key (space) to the frame being written to the terminal, with a
//     new sample every time (so the sort, the rows and the text all change), median and p95;
//     also with a re-sort on every frame;
//   - ui_heap_growth: heap growth (after a full GC) per thousand refreshes whose texts are all new;
//   - ui_unchanged_frame: bytes written to the terminal by a refresh whose sample equals the
//     last one (after a minute of samples, so the sparklines are full), and by a key that
//     changes nothing. Both must be 0.
// Ink skips terminal writes when the CI environment variable is set; the rows say so.

import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {createElement} from 'react';
import type {SlabSource} from '../source/sources/source.js';
import {App} from '../source/ui/app.js';
import {fakeSource, manyRows} from '../test/helpers/fake-sources.js';
import {drawAsTheScreen, mountScreen, type MountedScreen} from './fake-terminal.js';
import {pct, round2, SCREEN} from './stats.js';

const {columns: COLUMNS, rows: ROWS} = SCREEN;
const CACHES = 300;

/** As the screen renders (source/ui/run.tsx): incremental where Ink has the cursor fix. */
let incrementalRendering = false;

function mount(source: SlabSource): MountedScreen {
	return mountScreen(
		createElement(App, {source, sortKey: 'o', delayMs: 3_600_000, size: {columns: COLUMNS, rows: ROWS}}),
		{columns: COLUMNS, rows: ROWS, incrementalRendering, maxFps: 1000},
	);
}

type Times = {wall: number[]; cpu: number[]; bytes: number[]};

export async function frameTimes(keys: (index: number) => string, frames: number): Promise<Times> {
	const samples = Array.from({length: frames + 1}, (_, index) => manyRows(CACHES, index));
	const harness = mount(fakeSource(samples, 'kernel', 1000));
	const times: Times = {wall: [], cpu: [], bytes: []};
	try {
		for (let index = 0; index < frames; index++) {
			const before = harness.stdout.bytes;
			const frame = await harness.keyToFrame(keys(index));
			if (frame === null || index < 5) continue;
			times.wall.push(frame.wallMs);
			times.cpu.push(frame.cpuMs);
			times.bytes.push(harness.stdout.bytes - before);
		}
	} finally {
		harness.unmount();
	}

	return times;
}

async function unchangedBytes(): Promise<{afterRefresh: number; afterIdleKey: number; firstFrame: number}> {
	const rows = manyRows(CACHES, 1);
	const harness = mount(fakeSource([rows], 'kernel', 1000));
	try {
		const firstFrame = harness.stdout.bytes;
		// A minute and more of identical samples: the sparklines are full and flat.
		for (let index = 0; index < 65; index++) await harness.keyToFrame(' ');
		let before = harness.stdout.bytes;
		await harness.keyToFrame(' ');
		const afterRefresh = harness.stdout.bytes - before;
		before = harness.stdout.bytes;
		await harness.keyToFrame('x', 100);
		const afterIdleKey = harness.stdout.bytes - before;
		return {afterRefresh, afterIdleKey, firstFrame};
	} finally {
		harness.unmount();
	}
}

/** Forces a full garbage collection (V8's gc, exposed at run time). */
function collectGarbage(): void {
	setFlagsFromString('--expose-gc');
	(runInNewContext('gc') as () => void)();
}

/**
 * Heap growth over many refreshes whose numbers all change (every row's text is new each time,
 * as on a busy machine): MB per thousand refreshes, between refresh 500 and 2500, after a full GC.
 */
async function heapGrowth(): Promise<number> {
	let calls = 0;
	const source: SlabSource = {
		kind: 'kernel',
		label: '/proc/slabinfo',
		sample() {
			calls++;
			const rows = manyRows(60, 0).map((row, index) => ({
				...row,
				activeObjs: row.activeObjs + ((calls * 17 + index) % 100_000),
				allocs: calls * 1000 + index,
				frees: calls * 990 + index,
			}));
			return {ok: true, value: {kind: 'kernel', label: '/proc/slabinfo', version: calls, timeMs: calls * 1000, rows}};
		},
	};
	const harness = mount(source);
	const heapAt = (): number => {
		collectGarbage();
		return process.memoryUsage().heapUsed / 2 ** 20;
	};

	try {
		for (let index = 0; index < 500; index++) await harness.keyToFrame(' ');
		const before = heapAt();
		for (let index = 0; index < 2000; index++) await harness.keyToFrame(' ');
		return round2((heapAt() - before) / 2);
	} finally {
		harness.unmount();
	}
}

export async function run(): Promise<Array<Record<string, unknown>>> {
	const isCi = 'CI' in process.env && process.env.CI !== '0' && process.env.CI !== 'false';
	// With the screen's frame assembly (source/ui/fast-output.ts), then with Ink's own Output.get().
	const drawing = await drawAsTheScreen();
	const {fast} = drawing;
	incrementalRendering = drawing.incrementalRendering;
	// A screen runs for hours: measure it warm (the JIT has compiled the render path), as the
	// steady state, after one discarded run.
	await frameTimes(() => ' ', 100);
	const refresh = await frameTimes(() => ' ', 200);
	const sortKeys = 'aocslnub';
	const resort = await frameTimes(index => sortKeys[index % sortKeys.length], 60);
	const unchanged = await unchangedBytes();
	const growth = await heapGrowth();
	fast?.uninstall();
	const inkRefresh = await frameTimes(() => ' ', 60);
	return [
		{
			bench: 'ui_frame_300',
			caches: CACHES,
			terminal: `${COLUMNS}x${ROWS}`,
			refresh_ms_median: pct(refresh.wall, 0.5),
			refresh_ms_p95: pct(refresh.wall, 0.95),
			refresh_cpu_ms_median: pct(refresh.cpu, 0.5),
			refresh_cpu_ms_p95: pct(refresh.cpu, 0.95),
			// A steady-state refresh: a new sample of the same caches (rows, rates and sparklines change).
			refresh_bytes_median: pct(refresh.bytes, 0.5),
			cpu_budget_ms: 5,
			fast_output: fast !== null,
			incremental_rendering: incrementalRendering,
			ink_output_refresh_ms_median: pct(inkRefresh.wall, 0.5),
			ink_output_refresh_cpu_ms_median: pct(inkRefresh.cpu, 0.5),
			resort_ms_median: pct(resort.wall, 0.5),
			resort_ms_p95: pct(resort.wall, 0.95),
			resort_cpu_ms_median: pct(resort.cpu, 0.5),
			frames: refresh.wall.length + resort.wall.length,
			budget_ms: 20,
		},
		{
			bench: 'ui_heap_growth',
			refreshes: 2000,
			mib_per_1000_refreshes: growth,
			// Without the loader hooks (source/ui/ink-caches-hook.ts) Ink 6.8 keeps every text it measured: about 8 MiB here.
			budget_mib_per_1000_refreshes: 1,
		},
		{
			bench: 'ui_unchanged_frame',
			bytes_after_unchanged_refresh: unchanged.afterRefresh,
			bytes_after_key_changing_nothing: unchanged.afterIdleKey,
			budget_bytes: 0,
			...(isCi ? {note: 'CI is set: Ink writes no frames until exit, so the bytes say nothing here'} : {}),
		},
	];
}
