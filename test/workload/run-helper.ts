// Boot a machine and run a workload on it tick by tick, as the simulator source does.
import {bootMachine, type Machine} from '../../source/workload/boot.js';
import {defaultCapture} from '../../source/workload/default-capture.js';
import {startWorkload, type WorkloadRun} from '../../source/workload/generator.js';
import {tickMachine} from '../../source/workload/tick-machine.js';
import type {Workload} from '../../source/workload/types.js';

export function boot(seed = 1, memoryBytes = 512 * 2 ** 20, cpus: number | null = null): Machine {
	const booted = bootMachine({seed, cpus, memoryBytes, debug: null, capture: defaultCapture()});
	if (!booted.ok) throw new Error(booted.error.message);
	return booted.value;
}

export function start(m: Machine, workload: Workload, rate = 1): WorkloadRun {
	const started = startWorkload(m.engine, workload, m.prng, rate);
	if (!started.ok) throw new Error(started.error.message);
	return started.value;
}

export function tick(m: Machine, run: WorkloadRun | null): void {
	tickMachine(m, run);
}

/** Run until `until` says stop (checked before each tick) or the workload finishes. */
export function runUntil(m: Machine, run: WorkloadRun, until: () => boolean = () => false, limit = 100_000): void {
	for (let i = 0; i < limit && !run.isFinished && !until(); i++) tick(m, run);
}
