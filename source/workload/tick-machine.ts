// One tick of the simulated machine: the clock moves on, the objects whose lifetime ended are
// freed (whoever allocated them), then the running workload (if any) takes its tick. The
// simulator source and the tests advance a machine only through this. Main entry: tickMachine().

import {setCaller, setTick} from '../engine/index.js';
import type {Machine} from './boot.js';
import {stepWorkload, type WorkloadRun} from './generator.js';
import {freeExpired} from './pools.js';

export {MS_PER_TICK} from '../engine/constants.js';

/** Advance `machine` by one tick, running `run` (null: no workload) on it. */
export function tickMachine(machine: Machine, run: WorkloadRun | null): void {
	const {engine: e, pools} = machine;
	const tick = e.tick + 1;
	setTick(e, tick);
	setCaller(e, 'workload_object_release+0x18/0x40');
	freeExpired(e, pools, tick);
	if (run !== null) stepWorkload(e, pools, run, tick);
}
