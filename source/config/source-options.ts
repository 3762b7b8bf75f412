// A Config turned into the options of the source it names. Each source declares its own
// options type (sim/simulator.ts SimOptions, sources/kernel-source.ts KernelSourceOptions) and
// knows nothing of the command line; this is the one place that maps flags onto them, and the
// one place that decides which sysfs figures are worth building.

import type {SimOptions} from '../sim/simulator.js';
import type {KernelSourceOptions} from '../sources/kernel-source.js';
import type {Config} from './config.js';

/**
 * Whether every sample carries each cache's /sys/kernel/slab/<cache>/ figures: only `--json`,
 * `--format openmetrics`, `--record` and `--export-dir` write them out (the screen's detail view
 * asks the simulator directly).
 */
export function needsSysfsFigures(config: Config): boolean {
	return config.format !== 'text' || config.recordFile !== null || config.exportDir !== null;
}

/**
 * Whether the kernel source reads /sys/kernel/slab at all: for the figures above, and for the
 * screen's PARTIAL column and detail view. The --once text report shows only /proc/slabinfo's
 * columns, so it skips the some twenty files per cache.
 */
export function kernelReadsSysfs(config: Config, isOnce: boolean): boolean {
	return !isOnce || needsSysfsFigures(config);
}

export function kernelOptions(config: Config, isOnce: boolean): KernelSourceOptions {
	return {sysfs: kernelReadsSysfs(config, isOnce)};
}

export function simOptions(config: Config, readWorkloadFile?: SimOptions['readWorkloadFile']): SimOptions {
	return {
		seed: config.seed,
		cpus: config.cpus,
		memoryBytes: config.memoryBytes,
		debug: config.debug,
		workload: config.workload,
		exec: config.exec,
		ticks: config.ticks,
		sysfs: needsSysfsFigures(config),
		readWorkloadFile,
		keepGoing: config.isKeepGoing,
	};
}
