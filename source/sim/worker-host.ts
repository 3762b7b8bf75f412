// The simulator in a `node:worker_threads` worker, for the interactive screen: the only file
// that imports node:worker_threads. In the main thread `startSimWorker(options, first)` starts
// this same file as a worker and returns the screen's SimSource over it (worker-source.ts); in
// the worker it boots the simulator as the main thread did (the same options give the same
// machine, tick for tick) and runs it with the message loop of sim-loop.ts.
// `--once`, `--json` and the tests run the simulator in-process (simulator.ts).

import {performance} from 'node:perf_hooks';
import {isMainThread, parentPort, Worker, workerData} from 'node:worker_threads';
import {readTextFile} from '../sources/slabinfo-read.js';
import {openTraceFile} from '../sources/trace-write.js';
import {createSimLoop} from './sim-loop.js';
import {createSimSource, type SimOptions} from './simulator.js';
import type {FromWorker, ToWorker} from './worker-protocol.js';
import {createWorkerSimSource, type FirstState, type WorkerSimSource} from './worker-source.js';

/** The options a worker gets (a function cannot cross threads: the worker reads workload files itself). */
type WorkerData = {
	isSimWorker: true;
	options: SimOptions & {readWorkloadFile: undefined; onProgress: undefined; traceOut: undefined};
	/** `--trace FILE`: the worker writes it (a file handle cannot cross threads either). */
	traceFile: string | null;
};

/** Real time between two advances of the worker's clock. */
const HEARTBEAT_MS = 20;

/** This file, built as dist/sim-worker.js (scripts/build.mjs). */
const WORKER_FILE = new URL('sim-worker.js', import.meta.url);

/** A started worker: `attach(first)` gives the screen's source over it once the first frame is known. */
export type SimWorker = {attach(first: FirstState): WorkerSimSource; close(): void};

/**
 * Starts the worker at once, so it boots (and runs `--ticks`) while the main thread boots its
 * own simulator for the start-up checks and the first frame. Messages that come before
 * `attach` wait for it.
 */
export function startSimWorker(options: SimOptions, traceFile: string | null = null): SimWorker {
	// Functions cannot cross to the worker: it reads workload files and writes the trace itself, and reports no progress.
	const cloneable: WorkerData['options'] = {
		...options,
		readWorkloadFile: undefined,
		onProgress: undefined,
		traceOut: undefined,
	};
	const data: WorkerData = {isSimWorker: true, options: cloneable, traceFile};
	const worker = new Worker(WORKER_FILE, {workerData: data});
	const early: FromWorker[] = [];
	let deliver = (message: FromWorker): void => {
		early.push(message);
	};

	worker.on('message', (message: FromWorker) => {
		deliver(message);
	});
	worker.on('error', error => {
		deliver({kind: 'failed', message: error.message.split('\n')[0]});
	});
	return {
		attach(first) {
			const listeners: Array<(message: FromWorker) => void> = [];
			const source = createWorkerSimSource(
				{
					post(message) {
						worker.postMessage(message);
					},
					onMessage(listener) {
						listeners.push(listener);
					},
					close() {
						void worker.terminate();
					},
				},
				first,
			);
			deliver = message => {
				for (const listener of listeners) listener(message);
			};

			for (const message of early.splice(0)) deliver(message);
			return source;
		},
		close() {
			void worker.terminate();
		},
	};
}

function runWorker(port: NonNullable<typeof parentPort>, data: WorkerData): void {
	const trace = data.traceFile === null ? null : openTraceFile(data.traceFile);
	if (trace !== null && !trace.ok) {
		port.postMessage({kind: 'failed', message: trace.error.message} satisfies FromWorker);
		return;
	}

	const traceOut = trace?.value;
	const created = createSimSource({
		...data.options,
		readWorkloadFile: path => readTextFile(path),
		...(traceOut === undefined ? {} : {traceOut}),
	});
	if (!created.ok) {
		port.postMessage({kind: 'failed', message: created.error.message} satisfies FromWorker);
		return;
	}

	const loop = createSimLoop(created.value, {
		post(message) {
			port.postMessage(message);
		},
		now: () => performance.now(),
		defer(run) {
			setImmediate(run);
		},
		afterMessages(run) {
			setImmediate(run);
		},
	});
	// The clock's heartbeat: real time passes in the worker whatever the screen's refresh delay.
	let last = performance.now();
	const heartbeat = setInterval(() => {
		const now = performance.now();
		loop.receive({kind: 'elapse', realMs: now - last});
		last = now;
	}, HEARTBEAT_MS);
	port.on('message', (message: ToWorker) => {
		loop.receive(message);
		if (message.kind !== 'stop') return;
		clearInterval(heartbeat);
		traceOut?.close();
		port.close();
	});
}

const data = workerData as WorkerData | null;
if (!isMainThread && parentPort !== null && data?.isSimWorker === true) runWorker(parentPort, data);
