import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {cacheRow} from '../helpers/fake-sources.js';
import {parseSlabinfo} from '../../source/sources/slabinfo-parse.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/slabinfo/${name}`, import.meta.url), 'utf8');

const HEADER_21 =
	'slabinfo - version: 2.1\n' +
	'# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n';

const LINE = 'dentry             16000  16128    192   21    1 : tunables    0    0    0 : slabdata    768    768      0';

function parseOk(text: string) {
	const result = parseSlabinfo(text, 'f.txt');
	if (!result.ok) throw new Error(`expected success, got: ${result.error.message}`);
	return result.value;
}

function parseError(text: string) {
	const result = parseSlabinfo(text, 'f.txt');
	if (result.ok) throw new Error('expected a parse error');
	return result.error;
}

describe('parseSlabinfo accepts', () => {
	it('version 2.1 as SLUB prints it, with every column in the row', () => {
		const result = parseOk(`${HEADER_21}${LINE}\n`);
		expect(result.version).toBe('2.1');
		expect(result.hasStatistics).toBe(false);
		expect(result.rows).toEqual([
			cacheRow('dentry', {activeObjs: 16000, numObjs: 16128, objSize: 192, objsPerSlab: 21, activeSlabs: 768, numSlabs: 768}),
		]);
	});

	it('a real snapshot of this machine, keeping file order', () => {
		const text = fixture('real-1.txt');
		const result = parseOk(text);
		const names = text.split('\n').slice(2).filter(line => line !== '').map(line => line.split(/\s+/)[0]);
		expect(result.rows.map(row => row.name)).toEqual(names);
		expect(result.rows.length).toBeGreaterThan(100);
	});

	it('version 2.0', () => {
		const result = parseOk(fixture('v2.0.txt'));
		expect(result.version).toBe('2.0');
		expect(result.rows.map(row => row.name)).toEqual(['ip_conntrack', 'ext3_inode_cache', 'size-131072', 'size-64']);
	});

	it('SLAB-style non-zero tunables and sharedavail, kept as given', () => {
		const row = parseOk(fixture('slab-tunables.txt')).rows[0];
		expect(row).toMatchObject({name: 'ext4_inode_cache', limit: 54, batchCount: 27, sharedFactor: 8, sharedAvail: 13});
		expect(row).toMatchObject({activeSlabs: 1646, numSlabs: 1647});
	});

	it('2.1 (statistics) with globalstat and cpustat columns', () => {
		const result = parseOk(fixture('v2.1-statistics.txt'));
		expect(result.hasStatistics).toBe(true);
		expect(result.rows.map(row => [row.name, row.activeObjs, row.numSlabs])).toEqual([
			['kmalloc-64', 3000, 48],
			['dentry', 8000, 401],
			['task_struct', 90, 14],
		]);
	});

	it('2.1 (statistics) with the older 8-number globalstat', () => {
		const line = `${LINE} : globalstat 1 2 3 4 5 6 7 8 : cpustat 1 2 3 4`;
		expect(parseOk(`slabinfo - version: 2.1 (statistics)\n${line}\n`).rows).toHaveLength(1);
	});

	it('2.0 (statistics) with a 7-number globalstat', () => {
		expect(parseOk(fixture('v2.0-statistics.txt')).rows).toHaveLength(2);
	});

	it('a file with no caches', () => {
		expect(parseOk(HEADER_21).rows).toEqual([]);
		expect(parseOk('slabinfo - version: 2.1').rows).toEqual([]);
	});

	it('tabs between fields and CRLF line ends', () => {
		expect(parseOk(fixture('tabs-and-crlf.txt')).rows.map(row => row.name)).toEqual(['a', 'b']);
	});

	it('comment lines anywhere, as procps skips every line starting with #', () => {
		expect(parseOk(`${HEADER_21}# a note\n${LINE}\n#\n`).rows).toHaveLength(1);
	});

	it('counts beyond 2^32 exactly', () => {
		const row = parseOk(fixture('big-counts.txt')).rows[0];
		expect(row).toMatchObject({name: 'huge_objs', activeObjs: 5_000_000_000, numObjs: 6_000_000_000});
	});

	it('names of 128 characters', () => {
		const rows = parseOk(fixture('long-names.txt')).rows;
		expect(rows.map(row => row.name.length)).toEqual([13, 40, 73, 128, 5]);
	});

	it('whatever rows the kernel format prints (property)', () => {
		const count = fc.nat({max: 2 ** 40});
		const row = fc.record({
			name: fc.stringMatching(/^[A-Za-z0-9_:.()-]{1,128}$/),
			numbers: fc.array(count, {minLength: 11, maxLength: 11}),
		});
		fc.assert(
			fc.property(fc.array(row, {maxLength: 8}), rows => {
				const text =
					HEADER_21 +
					rows
						.map(({name, numbers: n}) =>
							`${name.padEnd(17)} ${n.slice(0, 5).join(' ')} : tunables ${n.slice(5, 8).join(' ')} : slabdata ${n.slice(8).join(' ')}\n`,
						)
						.join('');
				const parsed = parseOk(text);
				expect(parsed.rows.map(r => r.name)).toEqual(rows.map(r => r.name));
				expect(parsed.rows.map(r => [r.activeObjs, r.numObjs, r.objSize, r.objsPerSlab, r.pagesPerSlab])).toEqual(
					rows.map(r => r.numbers.slice(0, 5)),
				);
				expect(parsed.rows.map(r => [r.activeSlabs, r.numSlabs, r.sharedAvail])).toEqual(rows.map(r => r.numbers.slice(8)));
			}),
		);
	});
});

describe('parseSlabinfo rejects the whole file, naming file and line', () => {
	const CACHE_LINE_EXPECTED =
		'f.txt:4: expected a cache line "<name> <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>' +
		' : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>", found an empty line';
	const cases: Array<[string, string, string, number, string]> = [
		['an empty file', 'empty-file.txt', 'unsupported-version', 1, 'f.txt:1: expected "slabinfo - version: 2.0" or "2.1", found an empty line'],
		['another file', 'not-slabinfo.txt', 'unsupported-version', 1, 'f.txt:1: expected "slabinfo - version: 2.0" or "2.1", found "MemTotal:       16314072 kB"'],
		['version 1.1', 'bad-version.txt', 'unsupported-version', 1, 'f.txt:1: slabinfo version 1.1 is not supported (only 2.0 and 2.1)'],
		['version 2.7 (procps takes any 2.x)', 'v2.7.txt', 'unsupported-version', 1, 'f.txt:1: slabinfo version 2.7 is not supported (only 2.0 and 2.1)'],
		['a trailing blank line', 'trailing-blank.txt', 'malformed-line', 4, CACHE_LINE_EXPECTED],
		['a blank line between caches', 'blank-in-middle.txt', 'malformed-line', 4, CACHE_LINE_EXPECTED],
		['a truncated line', 'truncated-line.txt', 'malformed-line', 4, 'f.txt:4: expected a number for <limit>, found end of line'],
		['a non-numeric field', 'non-numeric.txt', 'malformed-line', 4, 'f.txt:4: expected a number for <objsize>, found "x64"'],
		['a name of 129 characters', 'name-too-long.txt', 'malformed-line', 3, 'f.txt:3: cache name is 129 characters, at most 128 are allowed'],
		['a name with a blank', 'name-with-space.txt', 'malformed-line', 3, 'f.txt:3: expected a number for <active_objs>, found "words"'],
		['a missing sharedavail', 'missing-sharedavail.txt', 'malformed-line', 3, 'f.txt:3: expected a number for <sharedavail>, found end of line'],
		['trailing junk', 'trailing-junk.txt', 'malformed-line', 3, 'f.txt:3: unexpected "junk" after <sharedavail>'],
		['a negative count', 'negative-count.txt', 'malformed-line', 3, 'f.txt:3: expected a number for <active_objs>, found "-1"'],
		['a number above 2^53 - 1', 'huge-number.txt', 'malformed-line', 3, 'f.txt:3: <active_objs> 99999999999999999999 is above 2^53 - 1'],
		['statistics announced but missing', 'statistics-missing.txt', 'malformed-line', 2, 'f.txt:2: expected ": globalstat" (statistics format), found end of line'],
	];

	for (const [what, file, kind, line, message] of cases) {
		it(what, () => {
			const error = parseError(fixture(file));
			expect(error).toMatchObject({kind, file: 'f.txt', line});
			expect(error.message).toBe(message);
		});
	}

	it('a wrong separator word', () => {
		const error = parseError(`${HEADER_21}${LINE.replace('slabdata', 'slabinfo')}\n`);
		expect(error.message).toBe('f.txt:3: expected ": slabdata", found ":" "slabinfo"');
	});

	it('a globalstat of the wrong length for the version', () => {
		const error = parseError(`slabinfo - version: 2.0 (statistics)\n${LINE} : globalstat 1 2 3 4 5 6 7 8 9 : cpustat 1 2 3 4\n`);
		expect(error.message).toBe('f.txt:2: expected 7 globalstat numbers for version 2.0, found 9');
	});

	it('a short cpustat', () => {
		const error = parseError(`slabinfo - version: 2.1 (statistics)\n${LINE} : globalstat 1 2 3 4 5 6 7 8 9 : cpustat 1 2 3\n`);
		expect(error.message).toBe('f.txt:2: expected a number for <freemiss>, found end of line');
	});
});
