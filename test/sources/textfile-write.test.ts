import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {exportSamples, TEXTFILE_NAME, writeTextfile} from '../../source/sources/textfile-write.js';
import {cacheRow, fakeSource} from '../helpers/fake-sources.js';

const dir = mkdtempSync(join(tmpdir(), 'slabtop-ts-textfile-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe('writeTextfile', () => {
	it('replaces slabtop_ts.prom and leaves no temporary file behind', () => {
		expect(writeTextfile(dir, 'a 1\n')).toBeNull();
		expect(writeTextfile(dir, 'a 2\n')).toBeNull();
		expect(readFileSync(join(dir, TEXTFILE_NAME), 'utf8')).toBe('a 2\n');
		expect(readdirSync(dir)).toEqual([TEXTFILE_NAME]);
	});

	it('names a missing directory in one line', () => {
		expect(writeTextfile(join(dir, 'nope'), 'x')).toMatchObject({
			kind: 'not-found',
			message: `${join(dir, 'nope')}: no such directory (--export-dir)`,
		});
	});
});

describe('exportSamples', () => {
	it('writes each good sample as it is taken', () => {
		const source = exportSamples(
			fakeSource([[cacheRow('a')], [cacheRow('a'), cacheRow('b')]]),
			dir,
			sample => `rows ${sample.rows.length}\n`,
		);
		expect(source.sample().ok).toBe(true);
		expect(readFileSync(join(dir, TEXTFILE_NAME), 'utf8')).toBe('rows 1\n');
		source.sample();
		expect(readFileSync(join(dir, TEXTFILE_NAME), 'utf8')).toBe('rows 2\n');
	});

	it("turns a failed write into the sample's error", () => {
		const source = exportSamples(fakeSource([[cacheRow('a')]]), join(dir, 'gone'), () => 'x');
		const result = source.sample();
		expect(result.ok ? null : result.error.message).toBe(`${join(dir, 'gone')}: no such directory (--export-dir)`);
	});
});
