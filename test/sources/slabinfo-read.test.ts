import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {canRead} from '../report/cache-row.js';
import {PROC_SLABINFO, readError, readSlabinfo} from '../../source/sources/slabinfo-read.js';

const fixtures = new URL('../fixtures/slabinfo/', import.meta.url).pathname;

function errnoError(code: string): Error {
	return Object.assign(new Error(`${code}: failed`), {code});
}

describe('readSlabinfo', () => {
	it('reads and parses a saved snapshot', () => {
		const result = readSlabinfo(join(fixtures, 'one-cache.txt'));
		expect(result.ok && result.rows.map(row => row.name)).toEqual(['dentry']);
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

	it.skipIf(!canRead(PROC_SLABINFO))('reads the live /proc/slabinfo', () => {
		const result = readSlabinfo(PROC_SLABINFO);
		expect(result.ok && result.rows.length).toBeGreaterThan(0);
	});
});

describe('readError', () => {
	it('says that /proc/slabinfo needs root', () => {
		expect(readError(PROC_SLABINFO, errnoError('EACCES'))).toEqual({
			kind: 'permission-denied',
			file: PROC_SLABINFO,
			message: '/proc/slabinfo: permission denied: only root can read it (run as root, e.g. with sudo)',
		});
	});

	it('says only "permission denied" for other files', () => {
		expect(readError('/tmp/x', errnoError('EPERM')).message).toBe('/tmp/x: permission denied');
	});

	it('explains a kernel without /proc/slabinfo', () => {
		expect(readError(PROC_SLABINFO, errnoError('ENOENT'))).toMatchObject({kind: 'not-found'});
		expect(readError(PROC_SLABINFO, errnoError('ENOENT')).message).toContain('does not provide slab statistics');
	});

	it('keeps the reason of any other failure on one line', () => {
		expect(readError('/x', errnoError('EIO'))).toEqual({kind: 'unreadable', file: '/x', message: '/x: cannot read (failed)'});
	});
});
