// The simulator's side of the worker thread, without the thread: `createSimLoop(sim, post)`
// takes the screen's messages and runs the simulator so that it never holds up the screen.
//
// - Time: `elapse` (the worker's own heartbeat, so the clock runs whatever the screen's refresh
//   delay) adds the ticks that real time makes at the clock's speed to a backlog; the loop runs
//   the backlog in slices of at most SLICE_MS of real time, handing control back between slices
//   so the next message (a key's command) is read at once. At speed max the backlog never
//   ends: the loop runs slice after slice while not paused.
// - Snapshots (sample, status, new events, the watched cache's detail) go out when the screen
//   asks (`sample`, before a frame) and after a command, a pause, a step or a speed change: once
//   for the messages read together, before the answers of the commands among them.
//   `status.behindMs` is the backlog in simulated ms: how far the simulator is behind the clock.
// - Commands run in the order they came, each answered as soon as it has run.
// No Node imports: worker-host.ts gives it the port, the clock and the scheduler.

import type {Sample} from '../sources/source.js';
import {MS_PER_TICK} from '../workload/tick-machine.js';
import {createSimClock} from './clock.js';
import type {LocalSimSource} from './simulator.js';
import type {FromWorker, Snapshot, ToWorker} from './worker-protocol.js';

/** Real time one slice of ticks may take before messages are read again. */
export const SLICE_MS = 20;
/** Ticks run between two looks at the time within a slice. */
const TICKS_PER_CHECK = 8;

export type LoopEnvironment = {
	post(message: FromWorker): void;
	/** Milliseconds of real time. */
	now(): number;
	/** Runs `run` once pending messages have been handled (setImmediate in the worker): the next slice. */
	defer(run: () => void): void;
	/** The same, for the snapshot and answers of the messages read together. */
	afterMessages(run: () => void): void;
};

export type SimLoop = {receive(message: ToWorker): void};

export function createSimLoop(sim: LocalSimSource, env: LoopEnvironment): SimLoop {
	const clock = createSimClock(sim.status().speed);
	let backlog = 0;
	let watched: string | null = null;
	let watchedSlab: {cache: string; slab: number} | null = null;
	let lastSeq = sim.events().at(-1)?.seq ?? 0;
	let isScheduled = false;
	let isStopped = false;
	/** Answers of commands run since the last snapshot, sent after it (so the screen's sample shows them). */
	const answers: FromWorker[] = [];
	let isFlushDue = false;

	const isRunningFree = (): boolean => !Number.isFinite(clock.speed) && !sim.status().isPaused;

	const snapshot = (): void => {
		const sampled = sim.sample();
		if (!sampled.ok) return;
		const sample: Sample = sampled.value;
		const status = {...sim.status(), speed: clock.speed, behindMs: backlog * MS_PER_TICK};
		const events = sim.events(lastSeq);
		if (events.length > 0) lastSeq = events[events.length - 1].seq;
		const detail: Snapshot['detail'] = watched === null ? null : {cache: watched, detail: sim.detail(watched)};
		const slab: Snapshot['slab'] =
			watchedSlab === null ? null : {...watchedSlab, objects: sim.slab(watchedSlab.cache, watchedSlab.slab)};
		const traced = sim.trace();
		env.post({
			kind: 'snapshot',
			snapshot: {sample, status, events, detail, slab, trace: traced.isOpen ? traced : null},
		});
	};

	/**
	 * One snapshot, then the answers waiting for it, once the messages that came together have
	 * been read: a paste of a thousand commands makes one snapshot, not a thousand.
	 */
	const flush = (): void => {
		isFlushDue = false;
		if (isStopped) return;
		snapshot();
		for (const answer of answers.splice(0)) env.post(answer);
	};

	const snapshotSoon = (): void => {
		if (isFlushDue) return;
		isFlushDue = true;
		env.afterMessages(flush);
	};

	/** One slice of the backlog (or of free running at speed max). */
	const slice = (): void => {
		isScheduled = false;
		if (isStopped) return;
		const start = env.now();
		// Only messages pause the simulator or change its speed, and none is read during a slice.
		const isFree = isRunningFree();
		while ((backlog > 0 || isFree) && env.now() - start < SLICE_MS) {
			const ticks = isFree ? TICKS_PER_CHECK : Math.min(backlog, TICKS_PER_CHECK);
			sim.advance(ticks);
			backlog = Math.max(0, backlog - ticks);
		}

		schedule();
	};

	const schedule = (): void => {
		if (isScheduled || isStopped || (backlog === 0 && !isRunningFree())) return;
		isScheduled = true;
		env.defer(slice);
	};

	return {
		receive(message) {
			switch (message.kind) {
				case 'elapse': {
					if (!sim.status().isPaused) backlog += clock.ticksFor(message.realMs);
					break;
				}

				case 'sample': {
					snapshotSoon();
					break;
				}

				case 'advance': {
					sim.advance(message.ticks, message.force);
					snapshotSoon();
					break;
				}

				case 'run':
				case 'execute': {
					const answer = message.kind === 'run' ? sim.run(message.command, message.line) : sim.execute(message.line);
					// A paused clock owes nothing: resuming starts from now, not from a backlog.
					if (sim.status().isPaused) backlog = 0;
					// The snapshot first: when the answer comes, the screen's sample already shows the change.
					answers.push({kind: 'answer', id: message.id, answer});
					snapshotSoon();
					break;
				}

				case 'set-speed': {
					clock.setSpeed(message.speed);
					sim.setSpeed(message.speed);
					backlog = 0;
					snapshotSoon();
					break;
				}

				case 'watch': {
					watched = message.cache;
					snapshotSoon();
					break;
				}

				case 'watch-slab': {
					watchedSlab = {cache: message.cache, slab: message.slab};
					snapshotSoon();
					break;
				}

				case 'open-trace': {
					sim.openTrace(message.cache);
					snapshotSoon();
					break;
				}

				case 'close-trace': {
					sim.closeTrace();
					snapshotSoon();
					break;
				}

				case 'stop': {
					isStopped = true;
					break;
				}
			}

			schedule();
		},
	};
}
