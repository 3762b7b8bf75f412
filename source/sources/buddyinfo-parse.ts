// Pure parser for /proc/buddyinfo: `parseBuddyinfo(text)` → one entry per node and zone with the
// free blocks of each order, as mm/vmstat.c frag_show_print() prints them:
//
//   Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3
//   Node 0, zone    DMA32      1      1      4      2      5      4      3      3      4      2    752
//
// (NR_PAGE_ORDERS columns: 11 on x86-64.) A line of another shape is an error naming the line.

import {failWith, ok, type Result} from '../result.js';

export type BuddyZone = {
	node: number;
	zone: string;
	/** Free blocks of each order: freeBlocks[k] blocks of 2^k pages. */
	freeBlocks: number[];
};

export type BuddyinfoResult = Result<BuddyZone[], {kind: 'malformed-line'; message: string; line: number}>;

const LINE = /^Node\s+(\d+),\s+zone\s+(\S+)((?:\s+\d+)+)\s*$/;

export function parseBuddyinfo(text: string, file = '/proc/buddyinfo'): BuddyinfoResult {
	const zones: BuddyZone[] = [];
	const lines = text.split('\n');
	for (let index = 0; index < lines.length; index++) {
		const line = lines[index];
		if (line.trim() === '') continue;
		const match = LINE.exec(line);
		if (match === null) {
			return failWith({
				kind: 'malformed-line',
				line: index + 1,
				message: `${file}:${index + 1}: expected "Node N, zone NAME" and free block counts`,
			});
		}

		zones.push({node: Number(match[1]), zone: match[2], freeBlocks: match[3].trim().split(/\s+/).map(Number)});
	}

	return ok(zones);
}

/** Free pages of a zone: Σ blocks × 2^order. */
export function freePages(zone: BuddyZone): number {
	return zone.freeBlocks.reduce((sum, count, order) => sum + count * 2 ** order, 0);
}

/**
 * The kernel's unusable free space index for each order (mm/vmstat.c unusable_free_index): the
 * share of free pages in blocks too small for a request of that order; 0 without free pages.
 */
export function unusableIndex(zone: BuddyZone): number[] {
	const total = freePages(zone);
	return zone.freeBlocks.map((_, order) => {
		if (total === 0) return 0;
		let suitable = 0;
		for (let k = order; k < zone.freeBlocks.length; k++) suitable += zone.freeBlocks[k] * 2 ** k;
		return (total - suitable) / total;
	});
}
