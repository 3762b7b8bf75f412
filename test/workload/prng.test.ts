import {describe, expect, it} from 'vitest';
import {
	createPrng,
	forkPrng,
	nextExponential,
	nextFloat,
	nextInt,
	nextPoisson,
	nextU32,
} from '../../source/workload/prng.js';

const draws = (seed: number, n: number): number[] => {
	const p = createPrng(seed);
	return Array.from({length: n}, () => nextU32(p));
};

describe('prng', () => {
	it('gives the same sequence for the same seed and a different one for another seed', () => {
		expect(draws(42, 100)).toEqual(draws(42, 100));
		expect(draws(42, 100)).not.toEqual(draws(43, 100));
	});

	it('produces 32-bit unsigned integers spread over the whole range', () => {
		const values = draws(7, 10_000);
		expect(values.every(v => Number.isInteger(v) && v >= 0 && v < 2 ** 32)).toBe(true);
		const high = values.filter(v => v >= 2 ** 31).length;
		expect(high).toBeGreaterThan(4800);
		expect(high).toBeLessThan(5200);
	});

	it('draws integers below n, each about equally often', () => {
		const p = createPrng(1);
		const counts = [0, 0, 0, 0];
		for (let i = 0; i < 40_000; i++) counts[nextInt(p, 4)]++;
		for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
	});

	it('draws Poisson counts and exponential times with the requested mean', () => {
		const p = createPrng(3);
		for (const mean of [0.5, 5, 40]) {
			let sum = 0;
			for (let i = 0; i < 20_000; i++) sum += nextPoisson(p, mean);
			expect(sum / 20_000).toBeCloseTo(mean, mean < 1 ? 1 : 0);
		}
		let total = 0;
		for (let i = 0; i < 20_000; i++) total += nextExponential(p, 100);
		expect(Math.abs(total / 20_000 - 100)).toBeLessThan(3);
	});

	it('forks streams that do not repeat the parent', () => {
		const parent = createPrng(9);
		const child = forkPrng(parent, 1);
		const a = Array.from({length: 10}, () => nextFloat(child));
		const b = Array.from({length: 10}, () => nextFloat(parent));
		expect(a).not.toEqual(b);
	});
});
