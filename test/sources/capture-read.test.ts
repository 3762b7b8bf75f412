import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {
	captureLive,
	countCpuList,
	parseSlabsCpuPartial,
	readCapture,
	writeCapture,
} from '../../source/sources/capture-read.js';
import {SYSFS_FLAG_FILES} from '../../source/engine/flags.js';
import {CAPTURE_LAYOUT_FILES} from '../../source/workload/capture.js';

// A small /proc/slabinfo and /sys/kernel/slab tree in a temporary directory, as a 6.18 kernel
// writes them: one cache under its own name, one merged cache (`:0000064`) with two creators.

const root = mkdtempSync(join(tmpdir(), 'slabtop-capture-'));
afterAll(() => rmSync(root, {recursive: true, force: true}));

const SLABINFO = `slabinfo - version: 2.1
# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>
dentry               773    798    192   21    1 : tunables    0    0    0 : slabdata     38     38      0
first_user          2048   2112     64   64    1 : tunables    0    0    0 : slabdata     33     33      0
`;

function cacheDir(name: string, files: Record<string, string>): void {
	const dir = join(root, 'slab', name);
	mkdirSync(dir, {recursive: true});
	for (const f of [...CAPTURE_LAYOUT_FILES, ...SYSFS_FLAG_FILES]) writeFileSync(join(dir, f), `${files[f] ?? '0'}\n`);
	writeFileSync(join(dir, 'ctor'), '\n');
	for (const [f, v] of Object.entries(files)) writeFileSync(join(dir, f), `${v}\n`);
}

cacheDir('dentry', {
	object_size: '192',
	slab_size: '192',
	objs_per_slab: '21',
	slabs: '38 N0=38',
	objects: '773 N0=773',
	partial: '4 N0=4',
	objects_partial: '59 N0=59',
	cpu_slabs: '20 N0=20',
	total_objects: '798 N0=798',
	slabs_cpu_partial: '189(18) C0=94(9) C1=94(9)',
	reclaim_account: '1',
	aliases: '0',
});
cacheDir(':0000064', {
	object_size: '64',
	slab_size: '64',
	objs_per_slab: '64',
	slabs: '33 N0=33',
	objects: '2048 N0=2048',
	partial: '12 N0=12',
	objects_partial: '704 N0=704',
	cpu_slabs: '5 N0=5',
	total_objects: '2112 N0=2112',
	slabs_cpu_partial: '96(3) C0=64(2) C1=32(1)',
	aliases: '1',
});
symlinkSync(':0000064', join(root, 'slab', 'first_user'));
symlinkSync(':0000064', join(root, 'slab', 'second_user'));
writeFileSync(join(root, 'slabinfo'), SLABINFO);
writeFileSync(join(root, 'present'), '0-1\n');

const options = {
	slabRoot: join(root, 'slab'),
	slabinfo: join(root, 'slabinfo'),
	cpuList: join(root, 'present'),
	release: '6.18.44-test',
	today: '2026-11-29',
	command: 'test',
};

describe('captureLive', () => {
	it('reads slabinfo, each cache directory, its aliases and its per-CPU partial slabs', () => {
		const r = captureLive(options);
		if (!r.ok) throw new Error(r.error.message);
		const capture = r.value;
		expect([capture.kernelRelease, capture.cpus, capture.caches.length]).toEqual(['6.18.44-test', 2, 2]);
		expect(capture.slabinfo).toBe(SLABINFO);
		const [dentry, merged] = capture.caches;
		expect(dentry).toMatchObject({
			name: 'dentry',
			dir: 'dentry',
			members: [],
			slabs: 38,
			objects: 773,
			partial: 4,
			objects_partial: 59,
			cpu_slabs: 20,
			cpu_partial_slabs: [9, 9],
			reclaim_account: 1,
		});
		expect(merged).toMatchObject({
			name: 'first_user',
			dir: ':0000064',
			members: ['first_user', 'second_user'],
			cpu_partial_slabs: [2, 1],
			aliases: 1,
		});
	});

	it('round-trips through a file', () => {
		const r = captureLive(options);
		if (!r.ok) throw new Error(r.error.message);
		const file = join(root, 'capture.json');
		expect(writeCapture(file, r.value).ok).toBe(true);
		expect(readCapture(file)).toEqual({ok: true, value: r.value});
	});

	it('says which file it could not read', () => {
		expect(captureLive({...options, slabinfo: join(root, 'missing')})).toEqual({
			ok: false,
			error: {kind: 'capture', message: `${join(root, 'missing')}: no such file`},
		});
		expect(readCapture(join(root, 'nope.json'))).toMatchObject({
			ok: false,
			error: {message: `${join(root, 'nope.json')}: no such file`},
		});
	});
});

describe('the sysfs formats', () => {
	it("slabs_cpu_partial gives each CPU's partial slabs; CPUs it does not list have none", () => {
		expect(parseSlabsCpuPartial('189(18) C0=94(9) C1=94(9)', 2)).toEqual([9, 9]);
		expect(parseSlabsCpuPartial('0(0)', 2)).toEqual([0, 0]);
		expect(parseSlabsCpuPartial('32(1) C1=32(1)', 2)).toEqual([0, 1]);
		expect(parseSlabsCpuPartial('nonsense', 2)).toBeNull();
	});

	it('counts CPU lists as the kernel prints them', () => {
		expect(countCpuList('0-1')).toBe(2);
		expect(countCpuList('0,2-5')).toBe(5);
		expect(countCpuList('0')).toBe(1);
	});
});
