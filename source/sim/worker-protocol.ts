// The messages between the screen and the simulator in its worker thread (worker-host.ts).
// Commands go in; samples (with the status, new events and the watched cache's detail) and
// command answers come out. Plain data that structured clone copies; no Node imports.

import type {Sample} from '../sources/source.js';
import type {BarCommand, CommandAnswer} from '../commands/bar-command.js';
import type {SlabObjects} from '../engine/index.js';
import type {SimDetail, SimEvent, SimStatus, TraceState} from './types.js';

export type ToWorker =
	/** Real time that passed (the worker's own heartbeat): the clock advances by it times the speed. */
	| {kind: 'elapse'; realMs: number}
	/** A snapshot, now (the screen is about to draw a frame). */
	| {kind: 'sample'}
	/** Exactly this many ticks (a step while paused, when `force`). */
	| {kind: 'advance'; ticks: number; force: boolean}
	/** A parsed command (`line`: as typed, for the event log); `pause` and `resume` included. */
	| {kind: 'run'; id: number; command: BarCommand; line: string}
	/** A command line to parse and run. */
	| {kind: 'execute'; id: number; line: string}
	| {kind: 'set-speed'; speed: number}
	/** The cache whose detail each snapshot carries (the detail view's), or null. */
	| {kind: 'watch'; cache: string | null}
	/** The slab whose objects each snapshot carries (the slab view's), or null. */
	| {kind: 'watch-slab'; cache: string; slab: number}
	/** Open the operation trace for one cache (null: every cache), or close it. */
	| {kind: 'open-trace'; cache: string | null}
	| {kind: 'close-trace'}
	| {kind: 'stop'};

export type Snapshot = {
	sample: Sample;
	status: SimStatus;
	/** Events since the previous snapshot, oldest first. */
	events: SimEvent[];
	/** The watched cache's detail, or null (no cache watched, or it is gone). */
	detail: {cache: string; detail: SimDetail | null} | null;
	/** The watched slab's objects, or null. */
	slab: {cache: string; slab: number; objects: SlabObjects | null} | null;
	/** The operation trace with its records, while it is open (null: closed). */
	trace: TraceState | null;
};

export type FromWorker =
	| {kind: 'snapshot'; snapshot: Snapshot}
	| {kind: 'answer'; id: number; answer: CommandAnswer}
	/** The simulator could not start (the same one line the in-process start gives). */
	| {kind: 'failed'; message: string};
