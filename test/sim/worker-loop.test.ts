// The worker's loop and the screen's source over it, joined in one thread: a fake clock for
// real time and a queue for what the worker defers, so every step is exact.

import {describe, expect, it} from 'vitest';
import {createSimClock, MAX_SPEED, parseSpeed, speedText, stepSpeed} from '../../source/sim/clock.js';
import {createSimLoop, SLICE_MS} from '../../source/sim/sim-loop.js';
import type {FromWorker, ToWorker} from '../../source/sim/worker-protocol.js';
import {createWorkerSimSource, type WorkerSimSource} from '../../source/sim/worker-source.js';
import {simOf} from '../helpers/config.js';

type Harness = {
	source: WorkerSimSource;
	/** The worker's heartbeat: `realMs` of real time passed. */
	elapse: (realMs: number) => void;
	/** Runs what the worker deferred (its next slices), `count` times at the most. */
	runDeferred: (count?: number) => void;
	/** Real time in the worker. */
	time: {ms: number};
	/** How much real time each tick costs in the worker (the simulator's "speed"). */
	msPerTick: {value: number};
	reference: ReturnType<typeof simOf>;
};

function harness(flags: Record<string, string> = {workload: 'steady'}): Harness {
	const sim = simOf({memory: '256M', ...flags});
	const reference = simOf({memory: '256M', ...flags});
	const time = {ms: 0};
	const msPerTick = {value: 0};
	const deferred: Array<() => void> = [];
	// Run when the message that queued them has been handled: each post below is its own burst.
	const afterMessages: Array<() => void> = [];
	const listeners: Array<(message: FromWorker) => void> = [];
	// Each tick takes msPerTick of the worker's real time.
	const advance = sim.advance.bind(sim);
	sim.advance = (ticks: number, force?: boolean) => {
		advance(ticks, force);
		time.ms += ticks * msPerTick.value;
	};

	const loop = createSimLoop(sim, {
		post(message) {
			for (const listener of listeners) listener(message);
		},
		now: () => time.ms,
		defer(run) {
			deferred.push(run);
		},
		afterMessages(run) {
			afterMessages.push(run);
		},
	});
	const sampled = sim.sample();
	if (!sampled.ok) throw new Error('no sample');
	const source = createWorkerSimSource(
		{
			post(message: ToWorker) {
				loop.receive(structuredClone(message));
				for (const run of afterMessages.splice(0)) run();
			},
			onMessage(listener) {
				listeners.push(listener);
			},
			close() {},
		},
		{sample: sampled.value, status: sim.status(), events: sim.events()},
	);
	return {
		source,
		elapse: realMs => {
			loop.receive({kind: 'elapse', realMs});
			loop.receive({kind: 'sample'});
			for (const run of afterMessages.splice(0)) run();
		},
		runDeferred: (count = Number.POSITIVE_INFINITY) => {
			for (let index = 0; index < count && deferred.length > 0; index++) deferred.shift()?.();
		},
		time,
		msPerTick,
		reference,
	};
}

describe('the simulator clock', () => {
	it('turns real time into 10 ms ticks at its speed, keeping the fraction', () => {
		const clock = createSimClock(0.25);
		expect([30, 10, 40, 80].map(ms => clock.ticksFor(ms))).toEqual([0, 1, 1, 2]);
		clock.setSpeed(20);
		expect(clock.ticksFor(1000)).toBe(2000);
		clock.setSpeed(MAX_SPEED);
		expect(clock.ticksFor(1000)).toBe(0);
	});

	it('accounts for at most 5 s of real time at once (after a suspension it goes on, not races)', () => {
		expect(createSimClock(1).ticksFor(600_000)).toBe(500);
	});

	it('steps speeds from 0.01x to max and stops at the ends', () => {
		expect(stepSpeed(1, 1)).toBe(2);
		expect(stepSpeed(1, -1)).toBe(0.5);
		expect(stepSpeed(0.01, -1)).toBe(0.01);
		expect(stepSpeed(1000, 1)).toBe(MAX_SPEED);
		expect(stepSpeed(MAX_SPEED, 1)).toBe(MAX_SPEED);
		expect(stepSpeed(MAX_SPEED, -1)).toBe(1000);
		expect(stepSpeed(3, 1)).toBe(5);
		expect([1, 0.25, MAX_SPEED].map(speed => speedText(speed))).toEqual(['1x', '0.25x', 'max']);
	});

	it('reads --speed as a number from 0.01 to 1000, with an optional x, or max', () => {
		expect(['1', '0.5x', '.25', '1000', 'max', 'MAX'].map(text => parseSpeed(text))).toEqual([
			1,
			0.5,
			0.25,
			1000,
			MAX_SPEED,
			MAX_SPEED,
		]);
		expect(['0', '0.001', '1001', 'fast', '-1', ''].map(text => parseSpeed(text))).toEqual([
			null,
			null,
			null,
			null,
			null,
			null,
		]);
	});
});

describe('the simulator in its worker, seen from the screen', () => {
	it('runs the ticks real time makes, and the screen sees the same machine as in-process', () => {
		const {source, elapse, runDeferred, reference} = harness();
		elapse(1000);
		runDeferred();
		source.requestSample();
		reference.advance(100);
		expect(source.status().tick).toBe(100);
		const [worker, local] = [source.sample(), reference.sample()];
		expect(worker.ok && local.ok && worker.value.rows).toEqual(local.ok && local.value.rows);
	});

	it('runs a long backlog in slices, says how far behind it is, and reads messages between slices', async () => {
		const {source, elapse, runDeferred, msPerTick} = harness();
		msPerTick.value = 1; // 1 ms of real time a tick: 10x slower than real time
		elapse(2000); // 200 ticks owed
		runDeferred(1);
		source.requestSample();
		// One slice: SLICE_MS of real time, 8 ticks a look at the clock.
		expect(SLICE_MS).toBe(20);
		expect(source.status().tick).toBe(24);
		expect(source.status().behindMs).toBe((200 - 24) * 10);
		// A command between slices is answered before the backlog is done.
		const answer = await source.execute('alloc hello');
		expect(answer.ok && answer.value).toContain('allocated');
		expect(source.status().tick).toBe(24);
		runDeferred();
		source.requestSample();
		expect(source.status()).toMatchObject({tick: 200, behindMs: 0});
	});

	it('answers commands in the order they were sent, and their events reach the log', async () => {
		const {source} = harness();
		const answers = await Promise.all(['alloc one', 'free 0', 'frobnicate'].map(async line => source.execute(line)));
		expect(answers.map(answer => answer.ok)).toEqual([true, true, false]);
		expect(
			source
				.events()
				.filter(event => event.kind === 'command')
				.map(event => event.text.split(':')[0]),
		).toEqual(['alloc one', 'free 0', 'frobnicate']);
	});

	it('while paused runs no time, steps one tick or to the next phase, and owes nothing on resume', async () => {
		const {source, elapse, runDeferred} = harness({workload: 'fragment'});
		await source.run({kind: 'pause'}, 'pause');
		expect(source.status().isPaused).toBe(true);
		elapse(5000);
		runDeferred();
		expect(source.status().tick).toBe(0);
		source.advance(1, true);
		expect(source.status().tick).toBe(1);
		const {workload} = source.status();
		expect(workload?.phaseIndex).toBe(0);
		source.advance(workload?.ticksToNextPhase ?? 0, true);
		expect(source.status().workload).toMatchObject({phaseIndex: 1, ticksToNextPhase: expect.any(Number) as number});
		await source.run({kind: 'resume'}, 'resume');
		elapse(100);
		runDeferred();
		source.requestSample();
		expect(source.status().behindMs).toBe(0);
	});

	it('at speed max runs until paused, one slice a turn', async () => {
		const {source, runDeferred, msPerTick} = harness();
		msPerTick.value = 0.5;
		source.setSpeed(MAX_SPEED);
		expect(source.status().speed).toBe(MAX_SPEED);
		runDeferred(3);
		source.requestSample();
		expect(source.status().tick).toBe(3 * 40);
		await source.run({kind: 'pause'}, 'pause');
		runDeferred();
		source.requestSample();
		expect(source.status().tick).toBe(3 * 40);
	});

	it('sends the detail of the cache the screen watches', () => {
		const {source} = harness();
		expect(source.detail('dentry')?.cache.name).toBe('dentry');
		expect(source.detail('no-such-cache')).toBeNull();
	});
});
