import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
	flushAll,
	slabAllocObject,
	slabFreeObject,
	slabFreeRun,
	validateEngine,
	type Engine,
} from '../../source/engine/index.js';
import {machineState, oneCacheMachine} from '../helpers/engine-state.js';

// slabFreeRun() frees a run of one slab's objects with the lists, freelist order, counters and
// memory that freeing them one by one with slabFreeObject() gives: two machines take the same
// steps, one with each, and must end alike.

type Step = {cpu: number; slab: number; from: number; count: number; flush: boolean};

const machine = (debug: boolean): {e: Engine; id: number} =>
	oneCacheMachine('run_test', 192, debug ? 0x800 : 0, 16 * 2 ** 20);
const state = machineState;

/** Allocates `slabs` whole slabs, then frees runs of their objects as `steps` say, with `free`. */
function run(
	debug: boolean,
	slabs: number,
	steps: readonly Step[],
	free: (e: Engine, id: number, cpu: number, objs: number[]) => void,
): Engine {
	const {e, id} = machine(debug);
	const per = e.cacheObjects[id];
	const objs: number[] = [];
	for (let i = 0; i < slabs * per; i++) objs.push(slabAllocObject(e, id, i % 2));
	flushAll(e, id);
	const live = new Set(objs);
	for (const step of steps) {
		const base = (step.slab % slabs) * per;
		const run = objs.slice(base + (step.from % per), base + (step.from % per) + step.count).filter(o => live.has(o));
		// A run is one slab's objects in address order, as the boot frees them.
		const slab = (o: number): number => e.pgHead[o >> 12];
		const sameSlab = run.filter(o => slab(o) === slab(run[0] ?? -1));
		free(e, id, step.cpu, sameSlab);
		for (const o of sameSlab) live.delete(o);
		if (step.flush) flushAll(e, id);
	}

	expect(validateEngine(e)).toEqual([]);
	return e;
}

const stepArb = fc.record({
	cpu: fc.integer({min: 0, max: 1}),
	slab: fc.nat(40),
	from: fc.nat(40),
	count: fc.integer({min: 1, max: 25}),
	flush: fc.boolean(),
});

describe('slabFreeRun', () => {
	for (const debug of [false, true]) {
		it(`leaves the machine as single frees do${debug ? ' (a debug cache: every free checked)' : ''}`, () => {
			fc.assert(
				fc.property(fc.integer({min: 1, max: 24}), fc.array(stepArb, {minLength: 1, maxLength: 30}), (slabs, steps) => {
					const byRun = run(debug, slabs, steps, (e, id, cpu, objs) => {
						// Runs of consecutive objects, as slabFreeRun takes them.
						let i = 0;
						while (i < objs.length) {
							let j = i + 1;
							while (j < objs.length && objs[j] === objs[j - 1] + e.cacheSize[id]) j++;
							slabFreeRun(e, id, cpu, objs[i], e.cacheSize[id], j - i);
							i = j;
						}
					});
					const byOne = run(debug, slabs, steps, (e, id, cpu, objs) => {
						for (const obj of objs) slabFreeObject(e, id, cpu, obj);
					});
					expect(state(byRun)).toEqual(state(byOne));
					expect(Buffer.from(byRun.mem32.buffer).equals(Buffer.from(byOne.mem32.buffer))).toBe(true);
				}),
				{numRuns: debug ? 40 : 150},
			);
		});
	}
});
