// The few C printf conversions the --once report needs, with glibc's exact results:
// `formatFixed(x, digits)` is `%.Nf` (the exact binary value rounded half to even, so 0.125
// prints as 0.12, where Number#toFixed gives 0.13), `nan`/`inf` included.

/** `%.{digits}f` as glibc prints it. */
export function formatFixed(value: number, digits: number): string {
	if (Number.isNaN(value)) return 'nan';
	if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
	const isNegative = value < 0 || Object.is(value, -0);
	const magnitude = Math.abs(value);
	if (magnitude >= 1e21)
		return (isNegative ? '-' : '') + BigInt(magnitude).toString() + (digits > 0 ? '.' + '0'.repeat(digits) : '');

	// toFixed(100) is the exact decimal expansion of the double (every double below 1e21 has
	// at most 1074 binary fraction digits, but ours stay far under 100 decimal ones; the tail
	// beyond 100 digits only matters for values below 1e-30, which print as 0 anyway).
	const exact = magnitude.toFixed(100);
	const point = exact.indexOf('.');
	const whole = exact.slice(0, point);
	const fraction = exact.slice(point + 1);
	const kept = BigInt(whole + fraction.slice(0, digits));
	const rest = fraction.slice(digits);
	const firstDropped = rest.charCodeAt(0) - 48;
	const isBeyondHalf = firstDropped > 5 || (firstDropped === 5 && /[1-9]/.test(rest.slice(1)));
	const isHalf = firstDropped === 5 && !isBeyondHalf;
	const roundsUp = isBeyondHalf || (isHalf && kept % 2n === 1n);
	const digitsText = (roundsUp ? kept + 1n : kept).toString().padStart(digits + 1, '0');
	const text = digits === 0 ? digitsText : `${digitsText.slice(0, -digits)}.${digitsText.slice(-digits)}`;
	return (isNegative ? '-' : '') + text;
}

/** `%{width}s` / `%{width}u`: right-aligned, never truncated. */
export function padStart(text: string | number, width: number): string {
	return String(text).padStart(width, ' ');
}

/** `%-{width}s`: left-aligned, never truncated. */
export function padEnd(text: string, width: number): string {
	return text.padEnd(width, ' ');
}
