import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {createFileSource} from '../../source/sources/file-source.js';
import {createKernelSource, kernelReadError} from '../../source/sources/kernel-source.js';
import {PROC_SLABINFO} from '../../source/sources/slabinfo-read.js';
import {createSysfsReader, parsePartialFile} from '../../source/sources/sysfs-read.js';

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
		expect(first.ok && first.value).toMatchObject({kind: 'file', label: file, version: 1, timeMs: 1000});
		expect(second.ok && second.value).toMatchObject({version: 2, timeMs: 4000});
		expect(second.ok && second.value.rows.map(row => row.name)).toEqual(['empty_a', 'empty_b', 'empty_c']);
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
		expect(good.ok && good.value.version).toBe(1);
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
		expect(result.ok && result.value.kind).toBe('kernel');
		expect(result.ok && result.value.rows.map(row => [row.name, row.partial])).toEqual([
			['kmalloc-64', 5],
			['dentry', null],
			['task_struct', null],
		]);
	});

	it('reads no sysfs file with {sysfs: false}: no partial counts, no sysfs figures', () => {
		const root = tempDir();
		mkdirSync(join(root, 'kmalloc-64'));
		writeFileSync(join(root, 'kmalloc-64', 'partial'), '5 N0=5\n');
		writeFileSync(join(root, 'kmalloc-64', 'slab_size'), '64\n');
		const options = {slabinfoFile: fixture('v2.1-statistics.txt'), sysfsRoot: root};
		const on = createKernelSource(options).sample();
		expect(on.ok && on.value.rows[0]).toMatchObject({
			name: 'kmalloc-64',
			partial: 5,
			sysfs: {partial: 5, slab_size: 64},
		});
		const off = createKernelSource({...options, sysfs: false}).sample();
		if (!off.ok) throw new Error(off.error.message);
		expect(off.value.rows.map(row => [row.name, row.partial, row.sysfs])).toEqual([
			['kmalloc-64', null, undefined],
			['dentry', null, undefined],
			['task_struct', null, undefined],
		]);
		expect(off.value.rows.every(row => !('sysfs' in row))).toBe(true);
	});

	it("says why the kernel's slabinfo cannot be read: root only, or no slab statistics", () => {
		const missing = join(tempDir(), 'slabinfo');
		expect(createKernelSource({slabinfoFile: missing, sysfs: false}).sample()).toEqual({
			ok: false,
			error: {
				kind: 'not-found',
				file: missing,
				message: `${missing}: no such file: this kernel does not provide slab statistics`,
			},
		});
		expect(
			kernelReadError({kind: 'permission-denied', file: PROC_SLABINFO, message: '/proc/slabinfo: permission denied'}),
		).toEqual({
			kind: 'permission-denied',
			file: PROC_SLABINFO,
			message: '/proc/slabinfo: permission denied: only root can read it (run as root, e.g. with sudo)',
		});
		const malformed = {kind: 'malformed-line', file: PROC_SLABINFO, line: 2, message: '/proc/slabinfo:2: x'} as const;
		expect(kernelReadError(malformed)).toBe(malformed);
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
		expect(createSysfsReader(join(root, 'sub')).read(['..', '.', 'a/b']).size).toBe(0);
	});

	it('reads a cache layout once and its list figures at every sample', () => {
		const root = tempDir();
		const dir = join(root, 'kmalloc-64');
		mkdirSync(dir);
		for (const [file, text] of [
			['slab_size', '64\n'],
			['order', '0\n'],
			['ctor', '\n'],
			['partial', '3 N0=3\n'],
			['objects', '2005 N0=2005\n'],
			['slabs', '32 N0=32\n'],
			['total_objects', '2048 N0=2048\n'],
		]) {
			writeFileSync(join(dir, file), text);
		}
		const read = createSysfsReader(root);
		// `objects`, `slabs` and `total_objects` repeat slabinfo's columns: not read.
		expect(read.read(['kmalloc-64']).get('kmalloc-64')).toEqual({slab_size: 64, order: 0, ctor: '', partial: 3});
		writeFileSync(join(dir, 'partial'), '7 N0=7\n');
		writeFileSync(join(dir, 'order'), '9\n'); // layout is not re-read
		expect(read.read(['kmalloc-64']).get('kmalloc-64')).toMatchObject({order: 0, partial: 7});
	});

	it('fills the kernel source rows from the live /sys/kernel/slab when readable', context => {
		const real = createKernelSource();
		const result = real.sample();
		if (!result.ok) return context.skip();
		const row = result.value.rows.find(r => r.name === 'kmalloc-64');
		expect(row?.sysfs).toMatchObject({slab_size: 64, objs_per_slab: row?.objsPerSlab});
	});
});
