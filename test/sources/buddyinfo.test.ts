import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {freePages, parseBuddyinfo, unusableIndex} from '../../source/sources/buddyinfo-parse.js';
import {readBuddyinfo} from '../../source/sources/buddyinfo-read.js';

// /proc/buddyinfo of the 6.18 machine the fixtures come from.
const REAL = `Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 
Node 0, zone    DMA32      1      1      4      2      5      4      3      3      4      2    752 
Node 0, zone   Normal      1      2      3      1      1    830   1004    537    211     89     45 
`;

describe('/proc/buddyinfo', () => {
	it('one entry per node and zone, free blocks per order', () => {
		const parsed = parseBuddyinfo(REAL);
		if (!parsed.ok) throw new Error(parsed.error.message);
		expect(parsed.value.map(zone => [zone.node, zone.zone, zone.freeBlocks.length])).toEqual([
			[0, 'DMA', 11],
			[0, 'DMA32', 11],
			[0, 'Normal', 11],
		]);
		expect(parsed.value[0].freeBlocks).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3]);
		expect(freePages(parsed.value[0])).toBe(256 + 512 + 3 * 1024);
	});

	it('the unusable free space index per order', () => {
		const zone = {node: 0, zone: 'Normal', freeBlocks: [4, 2, 1]}; // 4 + 4 + 4 = 12 free pages
		expect(unusableIndex(zone)).toEqual([0, 4 / 12, 8 / 12]);
		expect(unusableIndex({node: 0, zone: 'Empty', freeBlocks: [0, 0]})).toEqual([0, 0]);
	});

	it('a line of another shape names its line', () => {
		const parsed = parseBuddyinfo('Node 0, zone DMA 1 2\nnonsense\n');
		expect(parsed).toEqual({
			ok: false,
			error: {
				kind: 'malformed-line',
				line: 2,
				message: '/proc/buddyinfo:2: expected "Node N, zone NAME" and free block counts',
			},
		});
	});

	it('reads a file; a missing one is one line', () => {
		const file = join(mkdtempSync(join(tmpdir(), 'buddy-')), 'buddyinfo');
		writeFileSync(file, REAL);
		expect(readBuddyinfo(file).ok).toBe(true);
		const missing = readBuddyinfo(`${file}.none`);
		expect(missing.ok === false && missing.error.message).toBe(`${file}.none: cannot read it (ENOENT)`);
	});
});
