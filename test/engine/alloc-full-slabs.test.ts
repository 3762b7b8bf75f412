import {describe, expect, it} from 'vitest';
import {allocFullSlabs, slabAllocObject, validateEngine, type Engine} from '../../source/engine/index.js';
import {machineState, oneCacheMachine} from '../helpers/engine-state.js';

// allocFullSlabs() is the boot's quick way to allocate whole slabs: it must leave the machine
// exactly as allocating every object one by one does (memory contents of the allocated objects
// aside: they are the caller's).

const machine = (memoryBytes?: number): {e: Engine; id: number} => oneCacheMachine('full_test', 200, 0, memoryBytes);
const state = machineState;

describe('allocFullSlabs', () => {
	it('leaves the same slabs, lists and counters as allocating each object with slabAllocObject', () => {
		const a = machine();
		const b = machine();
		const n = a.e.cacheObjects[a.id];
		for (let i = 0; i < 37 * n; i++) slabAllocObject(a.e, a.id, 1);
		const out = new Int32Array(37);
		expect(allocFullSlabs(b.e, b.id, 1, 37, out)).toBe(37);
		expect(state(b.e)).toEqual(state(a.e));
		expect(new Set(out).size).toBe(37);
		expect(validateEngine(b.e)).toEqual([]);
	});

	it('stops where memory runs out, as the object-by-object allocation does', () => {
		const a = machine(4 * 2 ** 20);
		const b = machine(4 * 2 ** 20);
		const n = a.e.cacheObjects[a.id];
		let slabsA = 0;
		for (let i = 0; i < 5000 * n; i++) {
			if (slabAllocObject(a.e, a.id, 0) === -1) break;
			if ((i + 1) % n === 0) slabsA++;
		}
		const got = allocFullSlabs(b.e, b.id, 0, 5000, new Int32Array(5000));
		expect(got).toBe(slabsA);
		expect(got).toBeLessThan(5000);
		expect(state(b.e)).toEqual(state(a.e));
	});
});
