// The simulator in a `node:worker_threads` worker, for the interactive screen: the only file
// that imports node:worker_threads. In the main thread `startSimWorker(options, first)` starts
// this same file as a worker and returns the screen's SimSource over it (worker-source.ts); in
// the worker it boots the simulator as the main thread did (the same options give the same
// machine, tick for tick) and runs it with the message loop of sim-loop.ts.
// `--once`, `--json` and the tests run the simulator in-process (simulator.ts).

import {performance} from 'node:perf_hooks';
import {isMainThread, parentPort, Worker, workerData} from 'node:worker_threads';
import {readTextFile} from '../sources/slabinfo-read.js';
import {createSimLoop} from './sim-loop.js';
import {createSimSource, type SimOptions} from './simulator.js';
import type {FromWorker, ToWorker} from './worker-protocol.js';
import {createWorkerSimSource, type FirstState, type WorkerSimSource} from './worker-source.js';

/** The options a worker gets (a function cannot cross threads: the worker reads workload files itself). */
type WorkerData = {isSimWorker: true; options: Omit<SimOptions, 'readWorkloadFile'>};

/** This file, built as dist/sim-worker.js (scripts/build.mjs). */
const WORKER_FILE = new URL('sim-worker.js', import.meta.url);

export function startSimWorker(options: SimOptions, first: FirstState): WorkerSimSource {
	const {readWorkloadFile: _reader, ...cloneable} = options;
	const data: WorkerData = {isSimWorker: true, options: cloneable};
	const worker = new Worker(WORKER_FILE, {workerData: data});
	const listeners: Array<(message: FromWorker) => void> = [];
	worker.on('message', (message: FromWorker) => {
		for (const listener of listeners) listener(message);
	});
	worker.on('error', error => {
		for (const listener of listeners) listener({kind: 'failed', message: error.message.split('\n')[0]});
	});
	return createWorkerSimSource(
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
}

function runWorker(port: NonNullable<typeof parentPort>, data: WorkerData): void {
	const created = createSimSource({
		...data.options,
		readWorkloadFile: path => readTextFile(path),
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
	});
	port.on('message', (message: ToWorker) => {
		loop.receive(message);
		if (message.kind === 'stop') port.close();
	});
}

const data = workerData as WorkerData | null;
if (!isMainThread && parentPort !== null && data?.isSimWorker === true) runWorker(parentPort, data);
