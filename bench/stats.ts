// Summary figures shared by the benchmarks: median, percentile, and the median of paired
// ratios (runs of two programs taken in turn, so drift in the machine's speed hits both alike).

export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The value at fraction p (0..1) of the sorted values (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Median of a[i] / b[i] over runs taken in pairs. */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
	const n = Math.min(a.length, b.length);
	return median(Array.from({length: n}, (_, i) => a[i] / b[i]));
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The value at fraction p (0..1), to two decimals. */
export const pct = (values: readonly number[], p: number): number => round2(percentile(values, p));

/** The terminal the screen benches draw in. */
export const SCREEN = {columns: 120, rows: 40} as const;
