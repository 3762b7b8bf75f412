import {execFileSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {PROC_SLABINFO, readError, readSlabinfo, readTextFile} from '../../source/sources/slabinfo-read.js';

const fixtures = new URL('../fixtures/slabinfo/', import.meta.url).pathname;

function errnoError(code: string): Error {
	return Object.assign(new Error(`${code}: failed`), {code});
}

describe('readSlabinfo', () => {
	it('reads and parses a saved snapshot', () => {
		const result = readSlabinfo(join(fixtures, 'one-cache.txt'));
		expect(result.ok && result.value.map(row => row.name)).toEqual(['dentry']);
	});

	it('reports a missing file as not-found, naming it', () => {
		const result = readSlabinfo('/nonexistent/slabinfo');
		expect(result).toEqual({
			ok: false,
			error: {kind: 'not-found', file: '/nonexistent/slabinfo', message: '/nonexistent/slabinfo: no such file'},
		});
	});

	it('reports a directory as unreadable', () => {
		const result = readSlabinfo(fixtures);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error).toMatchObject({kind: 'unreadable', message: `${fixtures}: is a directory`});
	});

	it('passes parse errors through with the line number', () => {
		const dir = mkdtempSync(join(tmpdir(), 'slabinfo-read-'));
		const file = join(dir, 'bad.txt');
		writeFileSync(file, 'slabinfo - version: 2.1\nx 1 2\n');
		const result = readSlabinfo(file);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error).toMatchObject({kind: 'malformed-line', line: 2, file});
	});

	it.skipIf(!readTextFile(PROC_SLABINFO).ok)('reads the live /proc/slabinfo', () => {
		const result = readSlabinfo(PROC_SLABINFO);
		expect(result.ok && result.value.length).toBeGreaterThan(0);
	});
});

describe('readTextFile', () => {
	it('gives the whole text of a file', () => {
		const dir = mkdtempSync(join(tmpdir(), 'slabinfo-read-'));
		const file = join(dir, 'w.json');
		writeFileSync(file, '{"phases": []}\n');
		expect(readTextFile(file)).toEqual({ok: true, value: '{"phases": []}\n'});
	});

	it('turns a failure into the SourceError readError gives, under the name given', () => {
		expect(readTextFile('/nonexistent/w.json')).toEqual({
			ok: false,
			error: {kind: 'not-found', file: '/nonexistent/w.json', message: '/nonexistent/w.json: no such file'},
		});
		expect(readTextFile(fixtures, 'the fixtures')).toEqual({
			ok: false,
			error: {kind: 'unreadable', file: 'the fixtures', message: 'the fixtures: is a directory'},
		});
	});
});

describe('readError', () => {
	it('says only "permission denied", for /proc/slabinfo too (the kernel source adds why)', () => {
		expect(readError('/tmp/x', errnoError('EPERM'))).toEqual({
			kind: 'permission-denied',
			file: '/tmp/x',
			message: '/tmp/x: permission denied',
		});
		expect(readError(PROC_SLABINFO, errnoError('EACCES'))).toEqual({
			kind: 'permission-denied',
			file: PROC_SLABINFO,
			message: '/proc/slabinfo: permission denied',
		});
	});

	it('names a missing file as not-found', () => {
		expect(readError(PROC_SLABINFO, errnoError('ENOENT'))).toEqual({
			kind: 'not-found',
			file: PROC_SLABINFO,
			message: '/proc/slabinfo: no such file',
		});
		expect(readError('/a/b', errnoError('ENOTDIR'))).toEqual({
			kind: 'not-found',
			file: '/a/b',
			message: '/a/b: no such file',
		});
	});

	it('keeps the reason of any other failure on one line, with the verb given', () => {
		expect(readError('/x', errnoError('EIO'))).toEqual({
			kind: 'unreadable',
			file: '/x',
			message: '/x: cannot read (failed)',
		});
		expect(readError('/x', errnoError('ENOSPC'), 'write')).toEqual({
			kind: 'unreadable',
			file: '/x',
			message: '/x: cannot write (failed)',
		});
	});
});

describe('readTextFile: regular files only, up to a size limit', () => {
	const dir = mkdtempSync(join(tmpdir(), 'slabinfo-safe-'));

	it('refuses a FIFO at once (no writer needed) with one line', () => {
		const fifo = join(dir, 'fifo');
		execFileSync('mkfifo', [fifo]);
		expect(readTextFile(fifo)).toEqual({
			ok: false,
			error: {kind: 'unreadable', file: fifo, message: `${fifo}: is a pipe (FIFO), not a regular file`},
		});
	});

	it('refuses a device such as /dev/zero, which never ends', () => {
		expect(readTextFile('/dev/zero')).toEqual({
			ok: false,
			error: {kind: 'unreadable', file: '/dev/zero', message: '/dev/zero: is a device, not a regular file'},
		});
	});

	it('refuses a file over the limit, saying the limit', () => {
		const file = join(dir, 'big.txt');
		writeFileSync(file, 'x'.repeat(3 * 1024 * 1024));
		expect(readTextFile(file, 'big.txt', 'utf8', {maxBytes: 2 * 1024 * 1024})).toEqual({
			ok: false,
			error: {kind: 'unreadable', file: 'big.txt', message: 'big.txt: larger than 2 MiB, the most slabtop-ts reads'},
		});
		expect(readTextFile(file, 'big.txt', 'utf8', {maxBytes: 3 * 1024 * 1024})).toEqual({
			ok: true,
			value: 'x'.repeat(3 * 1024 * 1024),
		});
	});

	it('reads /proc files, whose size is given as 0', () => {
		const read = readTextFile('/proc/self/status');
		expect(read.ok && read.value.startsWith('Name:')).toBe(true);
	});
});
