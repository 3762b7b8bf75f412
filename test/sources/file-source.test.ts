import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {createFileSource} from '../../source/sources/file-source.js';
import {createKernelSource} from '../../source/sources/kernel-source.js';
import {parsePartialFile, readPartialCounts} from '../../source/sources/sysfs-read.js';

const fixture = (name: string) => new URL(`../fixtures/slabinfo/${name}`, import.meta.url).pathname;

function tempDir(): string {
	return mkdtempSync(join(tmpdir(), 'file-source-'));
}

describe('createFileSource', () => {
	it('re-reads the file on every sample, so a rewritten snapshot is followed', () => {
		const file = join(tempDir(), 'slabinfo.txt');
		writeFileSync(file, readFileSync(fixture('one-cache.txt')));
		let clock = 1000;
		const source = createFileSource(file, () => clock);
		const first = source.sample();
		writeFileSync(file, readFileSync(fixture('zero-objects.txt')));
		clock = 4000;
		const second = source.sample();
		expect(first.ok && first.sample).toMatchObject({kind: 'file', label: file, version: 1, timeMs: 1000});
		expect(second.ok && second.sample).toMatchObject({version: 2, timeMs: 4000});
		expect(second.ok && second.sample.rows.map(row => row.name)).toEqual(['empty_a', 'empty_b', 'empty_c']);
		expect(source).toMatchObject({kind: 'file', label: file});
	});

	it('returns the error of a file that went bad, and recovers when it is fixed', () => {
		const file = join(tempDir(), 'slabinfo.txt');
		writeFileSync(file, 'slabinfo - version: 2.1\nbroken\n');
		const source = createFileSource(file);
		const bad = source.sample();
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.error.message).toBe(`${file}:2: expected a number for <active_objs>, found end of line`);
		writeFileSync(file, readFileSync(fixture('one-cache.txt')));
		const good = source.sample();
		expect(good.ok && good.sample.version).toBe(1);
	});
});

describe('createKernelSource', () => {
	it('adds the node partial counts from sysfs where readable', () => {
		const root = tempDir();
		mkdirSync(join(root, 'kmalloc-64'));
		writeFileSync(join(root, 'kmalloc-64', 'partial'), '5 N0=5\n');
		mkdirSync(join(root, 'dentry'));
		writeFileSync(join(root, 'dentry', 'partial'), 'garbage\n');
		const source = createKernelSource({slabinfoFile: fixture('v2.1-statistics.txt'), sysfsRoot: root, now: () => 7});
		const result = source.sample();
		expect(source).toMatchObject({kind: 'kernel', label: '/proc/slabinfo'});
		expect(result.ok && result.sample.kind).toBe('kernel');
		expect(result.ok && result.sample.rows.map(row => [row.name, row.partial])).toEqual([
			['kmalloc-64', 5],
			['dentry', null],
			['task_struct', null],
		]);
	});
});

describe('sysfs partial files', () => {
	it('reads the total before the per-node counts', () => {
		expect(parsePartialFile('12 N0=7 N1=5\n')).toBe(12);
		expect(parsePartialFile('0\n')).toBe(0);
		expect(parsePartialFile('')).toBeNull();
	});

	it('never leaves the sysfs root for odd names', () => {
		const root = tempDir();
		writeFileSync(join(root, 'partial'), '3\n');
		expect(readPartialCounts(['..', '.', 'a/b'], join(root, 'sub')).size).toBe(0);
	});
});
