import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {cacheRow} from '../helpers/fake-sources.js';
import {parseSlabinfo} from '../../source/sources/slabinfo-parse.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/slabinfo/${name}`, import.meta.url), 'utf8');

const HEADER_21 =
	'slabinfo - version: 2.1\n' +
	'# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n';

const LINE =
	'dentry             16000  16128    192   21    1 : tunables    0    0    0 : slabdata    768    768      0';

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
			cacheRow('dentry', {
				activeObjs: 16000,
				numObjs: 16128,
				objSize: 192,
				objsPerSlab: 21,
				activeSlabs: 768,
				numSlabs: 768,
			}),
		]);
	});

	it('a real snapshot of this machine, keeping file order', () => {
		const text = fixture('real-1.txt');
		const result = parseOk(text);
		const names = text
			.split('\n')
			.slice(2)
			.filter(line => line !== '')
			.map(line => line.split(/\s+/)[0]);
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
						.map(
							({name, numbers: n}) =>
								`${name.padEnd(17)} ${n.slice(0, 5).join(' ')} : tunables ${n.slice(5, 8).join(' ')} : slabdata ${n.slice(8).join(' ')}\n`,
						)
						.join('');
				const parsed = parseOk(text);
				expect(parsed.rows.map(r => r.name)).toEqual(rows.map(r => r.name));
				expect(parsed.rows.map(r => [r.activeObjs, r.numObjs, r.objSize, r.objsPerSlab, r.pagesPerSlab])).toEqual(
					rows.map(r => r.numbers.slice(0, 5)),
				);
				expect(parsed.rows.map(r => [r.activeSlabs, r.numSlabs, r.sharedAvail])).toEqual(
					rows.map(r => r.numbers.slice(8)),
				);
			}),
		);
	});
});

describe('parseSlabinfo rejects the whole file, naming file and line', () => {
	const cases: Array<[string, string, string, number, string]> = [
		[
			'an empty file',
			'empty-file.txt',
			'unsupported-version',
			1,
			'f.txt:1: expected "slabinfo - version: 2.x", found an empty file',
		],
		[
			'another file',
			'not-slabinfo.txt',
			'unsupported-version',
			1,
			'f.txt:1: expected "slabinfo - version: 2.x", found "MemTotal:       16314072 kB"',
		],
		[
			'version 1.1',
			'bad-version.txt',
			'unsupported-version',
			1,
			'f.txt:1: slabinfo version 1.1 is not supported (only 2.x)',
		],
		[
			'version 3.0',
			'version-3.0.txt',
			'unsupported-version',
			1,
			'f.txt:1: slabinfo version 3.0 is not supported (only 2.x)',
		],
		[
			'a blank before the version line',
			'version-leading-blank.txt',
			'unsupported-version',
			1,
			'f.txt:1: expected "slabinfo - version: 2.x", found " slabinfo - version: 2.1"',
		],
		[
			'a trailing blank line',
			'trailing-blank.txt',
			'malformed-line',
			4,
			'f.txt:4: expected a cache line, found an empty line',
		],
		[
			'a blank line between caches',
			'blank-in-middle.txt',
			'malformed-line',
			4,
			'f.txt:4: expected a cache line, found an empty line',
		],
		[
			'a CRLF blank line',
			'crlf-only-line.txt',
			'malformed-line',
			6,
			'f.txt:6: expected a cache line, found an empty line',
		],
		[
			'a truncated line',
			'truncated-line.txt',
			'malformed-line',
			4,
			'f.txt:4: expected a number for <limit>, found end of line',
		],
		[
			'a non-numeric field',
			'non-numeric.txt',
			'malformed-line',
			4,
			'f.txt:4: expected a number for <objsize>, found "x64"',
		],
		[
			'a name of 129 characters',
			'name-too-long.txt',
			'malformed-line',
			3,
			'f.txt:3: cache name is longer than 128 bytes, and the rest is read as counts: expected a number for <active_objs>, found "x"',
		],
		[
			'a name cut after 128 bytes whose rest is a number',
			'name-129-digits.txt',
			'malformed-line',
			3,
			'f.txt:3: cache name is longer than 128 bytes, and the rest is read as counts: expected ": tunables", found "1"',
		],
		[
			'a name with a blank',
			'name-with-space.txt',
			'malformed-line',
			3,
			'f.txt:3: expected a number for <active_objs>, found "words"',
		],
		[
			'a NUL byte in a name (the line ends there for sscanf)',
			'nul-in-name.txt',
			'malformed-line',
			6,
			'f.txt:6: expected a number for <active_objs>, found end of line',
		],
		[
			'1 MB of blanks after a line (fgets cuts it at 2047 bytes)',
			'trailing-spaces-1mb.txt',
			'malformed-line',
			7,
			'f.txt:7: line longer than 2047 bytes: its rest, read as a line of its own as procps does: expected a cache line, found an empty line',
		],
		[
			'a header comment longer than 2047 bytes',
			'long-header.txt',
			'malformed-line',
			2,
			'f.txt:2: line longer than 2047 bytes: its rest, read as a line of its own as procps does: expected a number for <active_objs>, found "<more>"',
		],
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
		expect(error.message).toBe('f.txt:3: expected ": slabdata", found "slabinfo"');
	});
});

describe('parseSlabinfo reads what procps 4.0.2 reads', () => {
	it('any 2.x version, blanks in the version line optional, anything after it ignored', () => {
		for (const header of [
			'slabinfo - version: 2.7',
			'slabinfo-version:2.1',
			'slabinfo - version: 2.1-rhel9 (statistics)',
			'slabinfo - version: 2.11',
		]) {
			expect(parseOk(`${header}\n${LINE}\n`).rows).toHaveLength(1);
		}

		expect(parseOk('slabinfo - version: 2.11\n').version).toBe('2.11');
	});

	it('a version whose major number wraps to 2 in a C int', () => {
		expect(parseOk(`slabinfo - version: 4294967298.1\n${LINE}\n`).version).toBe('2.1');
	});

	it('nothing after <num_slabs>: a missing sharedavail, vendor columns, statistics, junk', () => {
		const base = LINE.replace(/ +0$/, '');
		for (const tail of ['', ' 0 : vendor 1 2', ' 7 junk', ' : globalstat 18446744073709551615']) {
			const row = parseOk(`${HEADER_21}${base}${tail}\n`).rows[0];
			expect(row).toMatchObject({name: 'dentry', activeSlabs: 768, numSlabs: 768});
		}

		expect(parseOk(`${HEADER_21}${base} 7 junk\n`).rows[0].sharedAvail).toBe(7);
		expect(parseOk(`${HEADER_21}${base}\n`).rows[0].sharedAvail).toBe(0);
	});

	it('counts as strtoul() then a 32-bit unsigned int: signs, 2^64 - 1, saturation beyond it', () => {
		const row = (numbers: string) => parseOk(`${HEADER_21}x ${numbers} : tunables 0 0 0 : slabdata 1 1 0\n`).rows[0];
		expect(row('-5 +10 -64 64 1')).toMatchObject({activeObjs: 2 ** 32 - 5, numObjs: 10, objSize: 2 ** 32 - 64});
		expect(row('18446744073709551615 99999999999999999999999 4294967296 1 1')).toMatchObject({
			activeObjs: 2 ** 32 - 1,
			numObjs: 2 ** 32 - 1,
			objSize: 4294967296,
		});
	});

	it('<sharedavail> read as %u would read it, whatever the shape of the rest of the line', () => {
		const shared = (tail: string) =>
			parseOk(`${HEADER_21}x 1 2 64 64 1 : tunables 0 0 0 : slabdata 1 1${tail}\n`).rows[0].sharedAvail;
		expect(
			[' 7', ' 7 : vendor 1', ' -3', ' +4', ' 1234567890123456789', '7', ' x', ''].map(tail => shared(tail)),
		).toEqual([
			7,
			7,
			2 ** 32 - 3,
			4,
			Number(1234567890123456789n % 2n ** 32n),
			0, // "17": the digits run into <num_slabs>
			0,
			0,
		]);
		expect(parseOk(`${HEADER_21}x 1 2 64 64 1 : tunables 0 0 0 : slabdata 1 17\n`).rows[0].numSlabs).toBe(17);
	});

	it('blanks are C isspace(): \\v and \\f separate fields; colons need no blanks around them', () => {
		const rows = parseOk(
			`${HEADER_21}a\v1\f2 64 64 1\v:\vtunables 0 0 0:slabdata 1 1\nb 1 2 64 64 1:tunables 0 0 0:slabdata 1 1 0\n`,
		).rows;
		expect(rows.map(row => [row.name, row.activeObjs, row.numObjs])).toEqual([
			['a', 1, 2],
			['b', 1, 2],
		]);
	});

	it('the rest of a line cut at 2047 bytes is skipped when it starts with #', () => {
		const rows = parseOk(fixture('long-line-comment-rest.txt')).rows;
		expect(rows[0].name).toBe('btrfs_delayed_node');
		expect(rows).toHaveLength(8);
	});

	it('a NUL after <num_slabs> ends the line quietly', () => {
		expect(parseOk(fixture('nul-after-slabdata.txt')).rows.map(row => row.name)).toContain('kmalloc-64');
	});

	it('names as text that cannot disturb a terminal, with their bytes kept for --once', () => {
		const bytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
		const rows = parseOk(
			`${HEADER_21}${bytes('café')} 1 2 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\nesc\x1b[31m 1 2 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\nbad\xff 1 2 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\nplain 1 2 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n`,
		).rows;
		expect(rows.map(row => row.name)).toEqual(['café', 'esc\\x1b[31m', 'bad\ufffd', 'plain']);
		expect(rows.map(row => row.nameBytes)).toEqual([bytes('café'), 'esc\x1b[31m', 'bad\xff', undefined]);
	});
});
