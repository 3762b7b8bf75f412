// Responsiveness bench (issue 8). `run()` reports, as JSON rows:
//   - ff_throughput: allocator operations (allocations + frees) per real second when each
//     preset is fast-forwarded in this thread (the simulator alone), and the heaviest preset
//     (most operations a tick) at speed max in its worker thread with the screen open;
//   - key_latency: milliseconds from a key to its frame being written to the terminal (120x40),
//     p50 and p99, with `:workload steady rate=100` running on a simulator whose memory is full,
//     and while the command bar runs a 100 KB paste (a thousand `alloc` lines).
// The screen is the real App over the simulator in its worker, as the CLI runs it.

import {createElement} from 'react';
import {parseConfig} from '../source/config/config.js';
import {simOptions} from '../source/config/source-options.js';
import {MAX_SPEED} from '../source/sim/clock.js';
import {createSimSource, listWorkloads, type SimOptions} from '../source/sim/simulator.js';
import {startSimWorker} from '../source/sim/worker-host.js';
import type {WorkerSimSource} from '../source/sim/worker-source.js';
import type {Sample} from '../source/sources/source.js';
import {App} from '../source/ui/app.js';
import {drawAsTheScreen, mountScreen, type FakeStdin, type FakeTty} from './fake-terminal.js';
import {pct, round2, SCREEN} from './stats.js';

const {columns: COLUMNS, rows: ROWS} = SCREEN;

const sleep = async (ms: number): Promise<void> =>
	new Promise(resolve => {
		setTimeout(resolve, ms);
	});

function optionsOf(flags: Record<string, string>): SimOptions {
	const parsed = parseConfig({memory: '512M', ...flags});
	if (!parsed.ok || parsed.value.kind !== 'run') throw new Error('bench: bad flags');
	return simOptions(parsed.value.config);
}

/** Allocations and frees the simulator has done, summed over its caches. */
function operations(sample: Sample): number {
	let ops = 0;
	for (const row of sample.rows) ops += (row.allocs ?? 0) + (row.frees ?? 0);
	return ops;
}

/** Fast-forwards one preset in this thread for about `seconds`: operations a real second and a tick. */
function fastForward(workload: string, seconds: number): {opsPerSecond: number; opsPerTick: number} {
	const created = createSimSource(optionsOf({workload}));
	if (!created.ok) throw new Error(created.error.message);
	const sim = created.value;
	const first = sim.sample();
	if (!first.ok) throw new Error('bench: no sample');
	const startOps = operations(first.value);
	const startTick = sim.status().tick;
	const start = performance.now();
	while (performance.now() - start < seconds * 1000) sim.advance(100, true);
	const elapsed = (performance.now() - start) / 1000;
	const last = sim.sample();
	if (!last.ok) throw new Error('bench: no sample');
	const ops = operations(last.value) - startOps;
	return {opsPerSecond: Math.round(ops / elapsed), opsPerTick: round2(ops / (sim.status().tick - startTick))};
}

type Screen = {
	source: WorkerSimSource;
	stdin: FakeStdin;
	stdout: FakeTty;
	/** Sends `key`; resolves with the milliseconds until the next frame is written (null after 2 s). */
	keyToFrame(key: string): Promise<number | null>;
	unmount(): void;
};

/** The App over the simulator in its worker, in a fake 120x40 terminal, drawn as the screen draws. */
function openScreen(flags: Record<string, string>, incrementalRendering: boolean): Screen {
	const options = optionsOf(flags);
	const worker = startSimWorker(options);
	const local = createSimSource(options);
	if (!local.ok) throw new Error(local.error.message);
	const sampled = local.value.sample();
	if (!sampled.ok) throw new Error('bench: no sample');
	const source = worker.attach({sample: sampled.value, status: local.value.status(), events: local.value.events()});
	const mounted = mountScreen(
		createElement(App, {source, sortKey: 'o', delayMs: 1000, size: {columns: COLUMNS, rows: ROWS}}),
		{columns: COLUMNS, rows: ROWS, incrementalRendering},
	);
	return {
		source,
		stdin: mounted.stdin,
		stdout: mounted.stdout,
		async keyToFrame(key) {
			return (await mounted.keyToFrame(key, 2000))?.wallMs ?? null;
		},
		unmount() {
			mounted.unmount();
			source.close();
		},
	};
}

/** Key-to-frame times of `count` sort keys (each changes the screen), `gapMs` apart. */
async function keyLatencies(screen: Screen, count: number, gapMs: number): Promise<{times: number[]; missed: number}> {
	const times: number[] = [];
	let missed = 0;
	for (let index = 0; index < count; index++) {
		const ms = await screen.keyToFrame(index % 2 === 0 ? 'a' : 'o');
		if (ms === null) missed++;
		else times.push(ms);
		await sleep(gapMs);
	}

	return {times, missed};
}

/** Waits until the simulator's memory is full (free pages under 1 %) or `timeoutMs` passes. */
async function untilMemoryFull(source: WorkerSimSource, timeoutMs: number): Promise<boolean> {
	const start = performance.now();
	while (performance.now() - start < timeoutMs) {
		source.requestSample();
		await sleep(250);
		const {memory} = source.status();
		if (memory.freePages < memory.totalPages * 0.01) return true;
	}

	return false;
}

export async function run(): Promise<Array<Record<string, unknown>>> {
	const rows: Array<Record<string, unknown>> = [];
	const presets = listWorkloads().map(preset => preset.name);
	const alone = presets.map(name => ({name, ...fastForward(name, 2)}));
	const heaviest = alone.reduce((best, next) => (next.opsPerTick > best.opsPerTick ? next : best));
	const {incrementalRendering} = await drawAsTheScreen();

	// The heaviest preset at speed max in its worker, with the screen open and refreshing.
	const screen = openScreen({workload: heaviest.name}, incrementalRendering);
	await sleep(500);
	screen.source.setSpeed(MAX_SPEED);
	screen.source.requestSample();
	await sleep(200);
	const before = {ops: operations(requireSample(screen.source)), at: performance.now()};
	await sleep(5000);
	screen.source.requestSample();
	await sleep(200);
	const withScreen = (operations(requireSample(screen.source)) - before.ops) / ((performance.now() - before.at) / 1000);
	screen.unmount();
	rows.push({
		bench: 'ff_throughput',
		alone_ops_per_s: Object.fromEntries(alone.map(preset => [preset.name, preset.opsPerSecond])),
		ops_per_tick: Object.fromEntries(alone.map(preset => [preset.name, preset.opsPerTick])),
		heaviest: heaviest.name,
		heaviest_alone_ops_per_s: heaviest.opsPerSecond,
		heaviest_with_screen_ops_per_s: Math.round(withScreen),
		target_ops_per_s: 5_000_000,
	});

	// Keys under :workload steady rate=100 on a full memory (64 MiB fills in seconds).
	const loaded = openScreen({workload: 'steady', memory: '64M'}, incrementalRendering);
	await sleep(500);
	loaded.stdin.send(':');
	loaded.stdin.send('workload steady rate=100\r');
	const isFull = await untilMemoryFull(loaded.source, 30_000);
	const underLoad = await keyLatencies(loaded, 60, 50);
	const behindMs = loaded.source.status().behindMs;
	// And while a 100 KB paste runs in the command bar.
	loaded.stdin.send(':');
	loaded.stdin.send(`\u001B[200~${`alloc ${'x'.repeat(93)}\n`.repeat(1000)}\u001B[201~`);
	const duringPaste = await keyLatencies(loaded, 40, 25);
	loaded.unmount();
	rows.push({
		bench: 'key_latency',
		terminal: `${COLUMNS}x${ROWS}`,
		workload: 'steady rate=100, 64M',
		memory_full: isFull,
		behind_ms_when_measured: behindMs,
		rate100_ms_p50: pct(underLoad.times, 0.5),
		rate100_ms_p99: pct(underLoad.times, 0.99),
		rate100_missed: underLoad.missed,
		paste_100kb_ms_p50: pct(duringPaste.times, 0.5),
		paste_100kb_ms_p99: pct(duringPaste.times, 0.99),
		paste_missed: duringPaste.missed,
		budget_ms: {rate100_p99: 100, paste_p99: 200},
	});
	return rows;
}

function requireSample(source: WorkerSimSource): Sample {
	const sampled = source.sample();
	if (!sampled.ok) throw new Error(sampled.error.message);
	return sampled.value;
}
