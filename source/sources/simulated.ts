// TEMPORARY — written by the slabinfo/CLI engineer only so that cli.tsx type-checks before the
// simulator exists. The engine's author replaces this whole file with the real SLUB-backed
// source; keep these two exports (cli.tsx imports them lazily).

import type {Config} from '../config.js';
import type {SlabSource} from './source.js';

export type SimSourceResult = {ok: true; source: SlabSource} | {ok: false; message: string};

export function createSimSource(config: Config): SimSourceResult {
	return {ok: false, message: `simulator not built yet (seed ${config.seed}); use --source kernel or --source FILE`};
}

/** The workload presets for `--list-workloads`. */
export function listWorkloads(): Array<{name: string; description: string}> {
	return [];
}
