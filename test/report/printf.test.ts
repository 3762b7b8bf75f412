import {describe, expect, it} from 'vitest';
import {formatFixed} from '../../source/report/printf.js';

describe('formatFixed (%.Nf)', () => {
	it('rounds exact halves to even, unlike Number#toFixed', () => {
		expect(formatFixed(0.125, 2)).toBe('0.12');
		expect(formatFixed(0.375, 2)).toBe('0.38');
		expect(formatFixed(12.25, 1)).toBe('12.2');
		expect(formatFixed(2.5, 0)).toBe('2');
		expect(formatFixed(3.5, 0)).toBe('4');
	});

	it('rounds the binary value, not its shortest decimal', () => {
		expect(formatFixed(1.005, 2)).toBe('1.00'); // 1.00499999999999989…
		expect(formatFixed(0.0078125, 2)).toBe('0.01');
		expect(formatFixed(99.95, 1)).toBe('100.0'); // 99.9500000000000028…
	});

	it('prints special values as glibc', () => {
		expect(formatFixed(Number.NaN, 1)).toBe('nan');
		expect(formatFixed(Number.POSITIVE_INFINITY, 1)).toBe('inf');
		expect(formatFixed(-0.5, 0)).toBe('-0');
		expect(formatFixed(2097151.9990234375, 2)).toBe('2097152.00');
	});
});
