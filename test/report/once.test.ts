// The parity corpus: every fixture × every sort key against what procps-ng slabtop 4.0.2
// printed for it (test/fixtures/slabtop-expected, made by scripts/gen-slabtop-expected.sh).

import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {formatOnce, headerLines} from '../../source/report/once.js';
import type {Totals} from '../../source/report/totals.js';
import {toSortKey} from '../../source/report/sort.js';
import {createFileSource} from '../../source/sources/file-source.js';
import type {CacheRow, Sample} from '../../source/sources/source.js';
import {cacheRow} from '../helpers/fake-sources.js';

const fixtureDir = new URL('../fixtures/slabinfo/', import.meta.url).pathname;
const expectedDir = new URL('../fixtures/slabtop-expected/', import.meta.url).pathname;
const KEYS = ['a', 'b', 'c', 'l', 'v', 'n', 'o', 'p', 's', 'u', 'z', 'N'];

const fixtures = readdirSync(fixtureDir)
	.filter(file => file.endsWith('.txt'))
	.map(file => file.slice(0, -'.txt'.length))
	.sort();

function sampleOf(name: string) {
	return createFileSource(`${fixtureDir}${name}.txt`).sample();
}

describe('--once output equals procps-ng slabtop -o', () => {
	it('covers a corpus of accepted and rejected files', () => {
		expect(fixtures.length).toBeGreaterThanOrEqual(30);
		expect(readFileSync(`${expectedDir}VERSION`, 'utf8')).toBe('slabtop from procps-ng 4.0.2\n');
	});

	for (const name of fixtures) {
		if (existsSync(`${expectedDir}${name}.rejected.txt`)) {
			it(`${name}: rejected, as slabtop rejects it`, () => {
				const result = sampleOf(name);
				expect(result.ok).toBe(false);
				if (!result.ok) expect(result.error.message).toMatch(new RegExp(`^${fixtureDir}${name}\\.txt:\\d+: `));
				expect(readFileSync(`${expectedDir}${name}.rejected.txt`, 'utf8')).toMatch(/^exit 1\n/);
			});
			continue;
		}

		it(`${name}: every sort key`, () => {
			const result = sampleOf(name);
			if (!result.ok) throw new Error(result.error.message);
			for (const key of KEYS) {
				// Byte for byte: both sides one character per byte.
				const expected = readFileSync(`${expectedDir}${name}.${key}.txt`, 'latin1');
				expect(formatOnce(result.value, toSortKey(key)), `${name} -s ${key}`).toBe(expected);
			}
		});
	}
});

const row = cacheRow;

function sample(rows: CacheRow[]): Sample {
	return {kind: 'file', label: 'x', version: 1, timeMs: 0, rows};
}

describe('formatOnce details', () => {
	it('pads the heading to 78 columns and names to 23, never truncating', () => {
		const lines = formatOnce(sample([row('a'.repeat(30), {numObjs: 1, activeObjs: 1})]), 'o').split('\n');
		expect(lines[6]).toHaveLength(78);
		expect(lines[7].endsWith(` ${'a'.repeat(30)}`)).toBe(true);
		expect(
			formatOnce(sample([row('b', {})]), 'o')
				.split('\n')[7]
				.endsWith(' b'.padEnd(24)),
		).toBe(true);
	});

	it('prints -nan for 0/0 and inf for n/0, as glibc does', () => {
		const text = formatOnce(sample([row('x', {activeObjs: 3, numObjs: 0, activeSlabs: 0, numSlabs: 0})]), 'o');
		expect(text).toContain('Active / Total Objects (% used)    : 3 / 0 (inf%)');
		expect(text).toContain('Active / Total Slabs (% used)      : 0 / 0 (-nan%)');
	});
});

describe('headerLines', () => {
	const totals: Totals = {
		activeObjs: 3,
		numObjs: 4,
		activeSlabs: 0,
		numSlabs: 0,
		activeCaches: 1,
		numCaches: 2,
		pages: 0,
		activeSize: 5,
		totalSize: 0,
		minObjSize: 8,
		avgObjSize: 1536,
		maxObjSize: 4 * 1024 ** 2,
	};

	it("gives slabtop's five summary lines, -nan for 0/0 and inf for n/0", () => {
		expect(headerLines(totals)).toEqual([
			' Active / Total Objects (% used)    : 3 / 4 (75.0%)',
			' Active / Total Slabs (% used)      : 0 / 0 (-nan%)',
			' Active / Total Caches (% used)     : 1 / 2 (50.0%)',
			' Active / Total Size (% used)       : 0.00K / 0.00K (inf%)',
			' Minimum / Average / Maximum Object : 0.01K / 1.50K / 4096.00K',
		]);
	});

	it('shows 0/0 as the screen asks', () => {
		expect(headerLines(totals, {nanText: '-'})[1]).toBe(' Active / Total Slabs (% used)      : 0 / 0 (-%)');
	});

	it('open the --once report', () => {
		const rows = [row('a', {activeObjs: 7, numObjs: 9, objSize: 96, numSlabs: 3, activeSlabs: 2})];
		expect(formatOnce(sample(rows), 'o').split('\n').slice(0, 5)).toEqual([
			' Active / Total Objects (% used)    : 7 / 9 (77.8%)',
			' Active / Total Slabs (% used)      : 2 / 3 (66.7%)',
			' Active / Total Caches (% used)     : 1 / 1 (100.0%)',
			' Active / Total Size (% used)       : 0.66K / 0.84K (77.8%)',
			' Minimum / Average / Maximum Object : 0.09K / 0.09K / 0.09K',
		]);
	});
});
