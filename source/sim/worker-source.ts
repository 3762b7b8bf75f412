// The simulator in a worker thread, seen from the screen as a SimSource that never waits:
// `createWorkerSimSource(port, first)` answers sample(), status(), detail() and events() from the
// latest snapshot the worker sent (sim-loop.ts), and turns advance, pause, speed and command
// lines into messages; the worker keeps its own clock. A command's answer is a promise, settled when the worker has run
// it. Pause and speed show at once (the next snapshot confirms them). No Node imports: the
// port is worker-host.ts's (or, in tests, a loop in the same thread).

import type {Sample, SampleResult} from '../sources/source.js';
import type {CommandOutcome, SimDetail, SimEvent, SimSource, SimStatus} from './types.js';
import type {FromWorker, ToWorker} from './worker-protocol.js';

/** Events kept, as the in-process simulator keeps them. */
const EVENT_CAPACITY = 2000;

export type WorkerPort = {
	post(message: ToWorker): void;
	onMessage(listener: (message: FromWorker) => void): void;
	/** Ends the worker. */
	close(): void;
};

export type WorkerSimSource = Omit<SimSource, 'execute'> & {
	execute(line: string): Promise<CommandOutcome>;
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
	let nextId = 1;
	const answers = new Map<number, (outcome: CommandOutcome) => void>();
	const snapshotListeners: Array<() => void> = [];

	port.onMessage(message => {
		switch (message.kind) {
			case 'snapshot': {
				const {snapshot} = message;
				// Versions are this side's: the worker's simulator counts from its own start.
				sample = {...snapshot.sample, version: ++version};
				status = snapshot.status;
				log.push(...snapshot.events);
				if (log.length > EVENT_CAPACITY) log.splice(0, log.length - EVENT_CAPACITY);
				if (snapshot.detail !== null && snapshot.detail.cache === watched) detail = snapshot.detail;
				for (const listener of snapshotListeners) listener();
				break;
			}

			case 'answer': {
				answers.get(message.id)?.(message.outcome);
				answers.delete(message.id);
				break;
			}

			case 'failed': {
				failure = message.message;
				for (const settle of answers.values()) settle({ok: false, text: message.message});
				answers.clear();
				break;
			}
		}
	});

	return {
		kind: 'sim',
		label: first.sample.label,
		sample(): SampleResult {
			if (failure !== null) return {ok: false, error: {kind: 'unreadable', file: 'simulator', message: `simulator: ${failure}`}};
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
		events: (afterSeq = 0) => log.filter(event => event.seq > afterSeq),
		async execute(line) {
			if (failure !== null) return {ok: false, text: failure};
			const id = nextId++;
			const answer = new Promise<CommandOutcome>(resolve => {
				answers.set(id, resolve);
			});
			port.post({kind: 'execute', id, line});
			return answer;
		},
		advance(ticks, force = false) {
			if (ticks > 0) port.post({kind: 'advance', ticks, force});
		},
		// The worker's clock runs by itself (worker-host.ts): the screen's refreshes do not drive it.
		elapse() {},
		requestSample() {
			port.post({kind: 'sample'});
		},
		setPaused(isPaused) {
			status = {...status, isPaused, behindMs: isPaused ? 0 : status.behindMs};
			port.post({kind: 'set-paused', isPaused});
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
