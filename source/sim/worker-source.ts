// The simulator in a worker thread, seen from the screen as a SimSource that never waits:
// `createWorkerSimSource(port, first)` answers sample(), status(), detail() and events() from the
// latest snapshot the worker sent (sim-loop.ts), and turns advance, pause, speed and command
// lines into messages; the worker keeps its own clock. A command's answer is a promise, settled when the worker has run
// it. A speed change shows at once (the next snapshot confirms it). No Node imports: the
// port is worker-host.ts's (or, in tests, a loop in the same thread).

import type {Sample, SampleResult} from '../sources/source.js';
import {err} from '../result.js';
import type {BarCommand, CommandAnswer} from '../commands/bar-command.js';
import type {SlabObjects} from '../engine/index.js';
import {
	EVENT_LOG_CAPACITY,
	type SimDetail,
	type SimEvent,
	type SimSource,
	type SimStatus,
	type TraceState,
} from './types.js';
import type {FromWorker, ToWorker} from './worker-protocol.js';

/** Events kept, as the in-process simulator keeps them. */

export type WorkerPort = {
	post(message: ToWorker): void;
	onMessage(listener: (message: FromWorker) => void): void;
	/** Ends the worker. */
	close(): void;
};

export type WorkerSimSource = Omit<SimSource, 'run' | 'execute'> & {
	run(command: BarCommand, line: string): Promise<CommandAnswer>;
	execute(line: string): Promise<CommandAnswer>;
	/** Asks for a snapshot now (onSnapshot tells when it has come). */
	requestSample(): void;
	/** Called after each snapshot the worker sends (the screen may refresh at once). */
	onSnapshot(listener: () => void): void;
	close(): void;
};

export type FirstState = {sample: Sample; status: SimStatus; events: readonly SimEvent[]};

export function createWorkerSimSource(port: WorkerPort, first: FirstState): WorkerSimSource {
	let version = first.sample.version;
	let sample: Sample = first.sample;
	let status: SimStatus = first.status;
	let failure: string | null = null;
	const log: SimEvent[] = [...first.events];
	let watched: string | null = null;
	let detail: {cache: string; detail: SimDetail | null} | null = null;
	let watchedSlab: {cache: string; slab: number} | null = null;
	let slab: {cache: string; slab: number; objects: SlabObjects | null} | null = null;
	let trace: TraceState | null = null;
	let nextId = 1;
	const answers = new Map<number, (answer: CommandAnswer) => void>();
	const snapshotListeners: Array<() => void> = [];

	/** Posts a command; its answer settles the promise (in the order commands were sent). */
	const send = async (message: Extract<ToWorker, {kind: 'run' | 'execute'}>): Promise<CommandAnswer> => {
		if (failure !== null) return err('refused', `the simulator stopped: ${failure}`);
		const answer = new Promise<CommandAnswer>(resolve => {
			answers.set(message.id, resolve);
		});
		port.post(message);
		return answer;
	};

	port.onMessage(message => {
		switch (message.kind) {
			case 'snapshot': {
				const {snapshot} = message;
				// Versions are this side's: the worker's simulator counts from its own start.
				sample = {...snapshot.sample, version: ++version};
				status = snapshot.status;
				log.push(...snapshot.events);
				if (log.length > EVENT_LOG_CAPACITY) log.splice(0, log.length - EVENT_LOG_CAPACITY);
				if (snapshot.detail !== null && snapshot.detail.cache === watched) detail = snapshot.detail;
				slab = snapshot.slab;
				trace = snapshot.trace;
				for (const listener of snapshotListeners) listener();
				break;
			}

			case 'answer': {
				answers.get(message.id)?.(message.answer);
				answers.delete(message.id);
				break;
			}

			case 'failed': {
				failure = message.message;
				for (const settle of answers.values()) settle(err('refused', `the simulator stopped: ${message.message}`));
				answers.clear();
				break;
			}
		}
	});

	return {
		kind: 'sim',
		label: first.sample.label,
		sample(): SampleResult {
			if (failure !== null)
				return {ok: false, error: {kind: 'unreadable', file: 'simulator', message: `simulator: ${failure}`}};
			return {ok: true, value: sample};
		},
		status: () => status,
		detail(cacheName) {
			if (watched !== cacheName) {
				watched = cacheName;
				port.post({kind: 'watch', cache: cacheName});
			}

			return detail !== null && detail.cache === cacheName ? detail.detail : null;
		},
		slab(cacheName, first) {
			if (watchedSlab?.cache !== cacheName || watchedSlab.slab !== first) {
				watchedSlab = {cache: cacheName, slab: first};
				port.post({kind: 'watch-slab', cache: cacheName, slab: first});
			}

			return slab !== null && slab.cache === cacheName && slab.slab === first ? slab.objects : null;
		},
		openTrace(cacheName) {
			port.post({kind: 'open-trace', cache: cacheName});
		},
		closeTrace() {
			trace = null;
			port.post({kind: 'close-trace'});
		},
		trace(afterSeq = 0): TraceState {
			if (trace === null) return {isOpen: false, isFile: false, every: 1, skipped: 0, cacheName: null, records: []};
			return {...trace, records: trace.records.filter(record => record.seq > afterSeq)};
		},
		events: (afterSeq = 0) => log.filter(event => event.seq > afterSeq),
		async run(command, line) {
			return send({kind: 'run', id: nextId++, command, line});
		},
		async execute(line) {
			return send({kind: 'execute', id: nextId++, line});
		},
		advance(ticks, force = false) {
			if (ticks > 0) port.post({kind: 'advance', ticks, force});
		},
		// The worker's clock runs by itself (worker-host.ts): the screen's refreshes do not drive it.
		elapse() {},
		requestSample() {
			port.post({kind: 'sample'});
		},
		setSpeed(speed) {
			status = {...status, speed, behindMs: 0};
			port.post({kind: 'set-speed', speed});
		},
		onSnapshot(listener) {
			snapshotListeners.push(listener);
		},
		close() {
			port.post({kind: 'stop'});
			port.close();
		},
	};
}
