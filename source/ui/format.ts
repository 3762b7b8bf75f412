// Pure text formatting for the screen: sizes, rates, durations, progress bars, sparklines,
// slab-map shades, and fitting text to a column width (by display width, so wide characters do
// not shift columns). The five slabtop header lines come from report/once.ts. No React here.

import stringWidth from 'string-width';
import {formatFixed} from '../report/printf.js';

export type Align = 'left' | 'right';

/**
 * Characters one column wide and one UTF-16 unit long: printable ASCII and the block elements
 * (U+2580-U+259F: the sparklines and shades), so their width is their length.
 */
const ONE_COLUMN_EACH = /^[\u0020-\u007E\u2580-\u259F]*$/;

/** Text cut or padded to exactly `width` display columns (one-column characters take the cheap path). */
export function fit(text: string, width: number, align: Align = 'left'): string {
	if (width <= 0) return '';
	if (ONE_COLUMN_EACH.test(text)) {
		const cut = text.length > width ? text.slice(0, width) : text;
		return align === 'left' ? cut.padEnd(width) : cut.padStart(width);
	}

	let out = text;
	if (stringWidth(out) > width) {
		let cut = '';
		for (const char of out) {
			if (stringWidth(cut + char) > width) break;
			cut += char;
		}

		out = cut;
	}

	const pad = ' '.repeat(Math.max(0, width - stringWidth(out)));
	return align === 'left' ? out + pad : pad + out;
}

const UNITS = ['B', 'K', 'M', 'G', 'T'];

/** Bytes in binary units with one decimal where it helps: 512B, 4.0K, 1.5M, 512M. */
export function sizeText(bytes: number): string {
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < UNITS.length - 1) {
		value /= 1024;
		unit++;
	}

	if (unit === 0) return `${Math.round(value)}B`;
	return `${value >= 100 ? Math.round(value) : formatFixed(value, 1)}${UNITS[unit]}`;
}

/** Simulated time as 12.34s, 3m05.2s or 2h03m (rounded first, so 119.96s is 2m00.0s, never 1m60.0s). */
export function durationText(ms: number): string {
	const hundredths = Math.round(ms / 10);
	if (hundredths < 6000) return `${formatFixed(hundredths / 100, 2)}s`;
	const tenths = Math.round(ms / 100);
	const minutes = Math.floor(tenths / 600);
	if (minutes < 60) return `${minutes}m${formatFixed((tenths - minutes * 600) / 10, 1).padStart(4, '0')}s`;
	const hours = Math.floor(minutes / 60);
	return `${hours}h${String(minutes - hours * 60).padStart(2, '0')}m`;
}

/** The C0 and C1 control characters and DEL. */
const CONTROL_CHARACTERS = /\p{Cc}/u;
const CONTROL_CHARACTERS_ALL = /\p{Cc}/gu;

/**
 * Text from a file, a recording or the kernel made harmless on a terminal: each control
 * character shown as ncurses (and so procps slabtop) shows it, ESC as `^[`, DEL as `^?`, a C1
 * control as `~@`…`~_`, so a cache name cannot move the cursor, retitle or recolour the terminal.
 */
export function printable(text: string): string {
	if (!CONTROL_CHARACTERS.test(text)) return text;
	return text.replace(CONTROL_CHARACTERS_ALL, char => {
		const code = char.charCodeAt(0);
		if (code === 0x7f) return '^?';
		if (code < 0x20) return `^${String.fromCodePoint(code + 0x40)}`;
		return `~${String.fromCodePoint(code - 0x40)}`;
	});
}

/** A bar of `width` cells, `fraction` (0..1) of them filled. */
export function progressBar(fraction: number, width: number): string {
	const clamped = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
	const filled = Math.round(clamped * width);
	return '█'.repeat(filled) + '░'.repeat(Math.max(0, width - filled));
}

const SPARKS = '▁▂▃▄▅▆▇█';

/**
 * One character per value, scaled between the series' minimum and maximum (a flat series is a
 * flat low line); null values (no sample yet) are blanks. Always `values.length` characters.
 */
export function sparkline(values: ReadonlyArray<number | null>): string {
	let min = Number.POSITIVE_INFINITY;
	let max = Number.NEGATIVE_INFINITY;
	for (const value of values) {
		if (value === null) continue;
		min = Math.min(min, value);
		max = Math.max(max, value);
	}

	let out = '';
	for (const value of values) {
		if (value === null) {
			out += ' ';
			continue;
		}

		const level = max === min ? 0 : Math.round(((value - min) / (max - min)) * (SPARKS.length - 1));
		out += SPARKS[level];
	}

	return out;
}

export type TimedValue = {timeMs: number; value: number};

/**
 * A history resampled to `cells` buckets covering `windowMs` before `nowMs`: each bucket holds
 * the last value seen up to its end (carried forward), or null before the first sample.
 */
export function resample(
	history: readonly TimedValue[],
	nowMs: number,
	windowMs: number,
	cells: number,
): Array<number | null> {
	const out: Array<number | null> = [];
	let index = 0;
	let last: number | null = null;
	for (let cell = 0; cell < cells; cell++) {
		const end = nowMs - windowMs + ((cell + 1) * windowMs) / cells;
		while (index < history.length && history[index].timeMs <= end) {
			last = history[index].value;
			index++;
		}

		out.push(last);
	}

	return out;
}

/** Shades of a slab-map cell, from empty to full. */
export const SHADES = ['·', '░', '▒', '▓', '█'] as const;

/** The shade of a slab `used` of `objects` full: empty, ≤⅓, ≤⅔, less than full, full. */
export function shade(used: number, objects: number): string {
	if (objects <= 0 || used <= 0) return SHADES[0];
	if (used >= objects) return SHADES[4];
	const fraction = used / objects;
	if (fraction <= 1 / 3) return SHADES[1];
	if (fraction <= 2 / 3) return SHADES[2];
	return SHADES[3];
}

/** `n` with its noun, pluralised: `1 slab`, `3 slabs`. */
export function plural(n: number, noun: string): string {
	return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Address in kernel-style hex. */
export function hexText(address: number): string {
	return `0x${address.toString(16).padStart(8, '0')}`;
}
