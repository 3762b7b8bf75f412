// The command line as a user meets it: `node dist/cli.js` as a real process (vitest's global
// setup builds dist/ first), plus parseConfig's validation in-process.

import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {configOf} from './helpers/config.js';
import {parseConfig, parseSize, VERSION} from '../source/config/config.js';
import {SLAB_CONSISTENCY_CHECKS, SLAB_POISON, SLAB_RED_ZONE, SLAB_STORE_USER} from '../source/engine/index.js';
import type {JsonCache} from '../source/report/json.js';
import {PROC_SLABINFO, readTextFile} from '../source/sources/slabinfo-read.js';

const root = new URL('../', import.meta.url).pathname;
const cli = `${root}dist/cli.js`;
const fixture = (name: string) => `${root}test/fixtures/slabinfo/${name}`;
const expected = (name: string) => readFileSync(`${root}test/fixtures/slabtop-expected/${name}`, 'utf8');

function run(args: string[], input?: string, user?: {uid: number; gid: number}) {
	if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `node scripts/build.mjs` first');
	const result = spawnSync(process.execPath, [cli, ...args], {encoding: 'utf8', input, timeout: 20_000, ...user});
	return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

const isRoot = process.getuid?.() === 0;
const canReadSlabinfo = readTextFile(PROC_SLABINFO).ok;

describe('slabtop-ts --once on slabinfo files', () => {
	it('prints what slabtop -o prints, for each sort key', () => {
		for (const key of ['o', 'c', 'n', 'u']) {
			const {status, stdout, stderr} = run(['--once', '--source', fixture('real-2.txt'), '-s', key]);
			expect(stderr).toBe('');
			expect(status).toBe(0);
			expect(stdout).toBe(expected(`real-2.${key}.txt`));
		}
	});

	it('treats an unknown sort key as o and an upper-case one as its lower case, as slabtop does', () => {
		expect(run(['-o', '--source', fixture('ties.txt'), '-s', 'z']).stdout).toBe(
			run(['-o', '--source', fixture('ties.txt')]).stdout,
		);
		expect(run(['-o', '--source', fixture('ties.txt'), '--sort=N']).stdout).toBe(expected('ties.N.txt'));
	});

	it('prints one report when standard output is not a terminal, even without --once', () => {
		const {status, stdout} = run(['--source', fixture('one-cache.txt')]);
		expect(status).toBe(0);
		expect(stdout).toBe(expected('one-cache.o.txt'));
	});

	it('prints one JSON document with --json', () => {
		const {status, stdout} = run(['--once', '--json', '--source', fixture('many-pages.txt'), '-s', 'c']);
		expect(status).toBe(0);
		const document = JSON.parse(stdout) as {
			totals: {numCaches: number};
			caches: Array<{name: string; pagesperslab: number}>;
		};
		expect(document.totals.numCaches).toBe(7);
		expect(document.caches[0]).toMatchObject({name: 'sighand_cache', pagesperslab: 8});
	});

	it.skipIf(!canReadSlabinfo)('reads the running kernel with --source kernel', () => {
		const {status, stdout} = run(['--once', '--source', 'kernel']);
		expect(status).toBe(0);
		expect(stdout).toMatch(/^ Active \/ Total Objects \(% used\) {4}: \d+ \/ \d+ \(\d+\.\d%\)\n/);
	});

	// /proc/slabinfo is mode 0400: as root the test drops to nobody; as another user it is that user.
	it.skipIf(!isRoot && canReadSlabinfo)('says in one line that --source kernel needs root, exit status 1', () => {
		const {status, stdout, stderr} = run(
			['--once', '--source', 'kernel'],
			undefined,
			isRoot ? {uid: 65_534, gid: 65_534} : undefined,
		);
		expect({status, stdout, stderr}).toEqual({
			status: 1,
			stdout: '',
			stderr: 'slabtop-ts: /proc/slabinfo: permission denied: only root can read it (run as root, e.g. with sudo)\n',
		});
	});
});

type JsonDocument = {
	source: string;
	caches: Array<{
		name: string;
		active_objs: number;
		partial: number | null;
		alloc_fail: number | null;
		sysfs?: Record<string, unknown>;
	}>;
};

function jsonOf(args: string[], input?: string): JsonDocument {
	const {status, stdout, stderr} = run(['--once', '--json', ...args], input);
	expect(stderr).toBe('');
	expect(status).toBe(0);
	return JSON.parse(stdout) as JsonDocument;
}

const cacheOf = (document: JsonDocument, name: string) => document.caches.find(cache => cache.name === name);

describe('slabtop-ts --exec on the simulator', () => {
	it('prints each answer on stdout in order, then the report', () => {
		const {status, stdout, stderr} = run(['-o', '--ticks', '5', '--exec', 'alloc x; show']);
		expect(stderr).toBe('');
		expect(status).toBe(0);
		const [answer, title] = stdout.split('\n');
		expect([answer, title]).toEqual(['kmem_cache_demo: allocated object 0', 'Slab Cache Demo Statistics']);
		const report = stdout.indexOf(' Active / Total Objects (% used)');
		expect(stdout.indexOf("  [0] data='x' age=0 ms accesses=0")).toBeGreaterThan(0);
		expect(stdout.indexOf('Commands:')).toBeLessThan(report);
		// One demo object: its slab is a CPU's slab, which slabinfo counts whole (21 objects).
		expect(cacheOf(jsonOf([]), 'demo_objects')?.active_objs).toBe(0);
		expect(cacheOf(jsonOf(['--exec', 'alloc x; show']), 'demo_objects')?.active_objs).toBe(21);
	});

	it('--exec-only reproduces the kmem_cache_demo session: the /proc answers and its report, no slabtop table', () => {
		const {status, stdout, stderr} = run([
			'--exec',
			'alloc my_data_1; alloc my_data_2; access 0; access 0; free 1; show',
			'--exec-only',
		]);
		expect(stderr).toBe('');
		expect(status).toBe(0);
		expect(stdout).toBe(
			[
				'kmem_cache_demo: allocated object 0',
				'kmem_cache_demo: allocated object 1',
				'kmem_cache_demo: object 0 accessed 1 time',
				'kmem_cache_demo: object 0 accessed 2 times',
				'kmem_cache_demo: freed object 1',
				'Slab Cache Demo Statistics',
				'==========================',
				'',
				'Cache name: demo_objects',
				'Object size: 128 bytes',
				'Total allocated: 2',
				'Total freed: 1',
				'Currently active: 1',
				'',
				'Active Objects:',
				"  [0] data='my_data_1' age=0 ms accesses=2",
				'',
				'Commands:',
				'  alloc <data> - Allocate new object',
				'  free <id>    - Free object by ID',
				'  access <id>  - Increment access count',
				'  freeall      - Free all objects',
				'',
			].join('\n'),
		);
	});

	it('stops at the first failing command: earlier answers on stdout, its error on stderr, exit 1, no report', () => {
		const {status, stdout, stderr} = run(['-o', '--exec', 'alloc a; free 5; alloc b']);
		expect(status).toBe(1);
		expect(stdout).toBe('kmem_cache_demo: allocated object 0\n');
		expect(stderr).toBe("slabtop-ts: --exec 'free 5': kmem_cache_demo: object 5 not found (show lists the live ids)\n");
	});

	it('--keep-going runs the rest after a failure, prints the report and exits 1', () => {
		const {status, stdout, stderr} = run(['-o', '--exec', 'alloc a; free 5; alloc b', '--keep-going']);
		expect(status).toBe(1);
		expect(stdout.split('\n').slice(0, 2)).toEqual([
			'kmem_cache_demo: allocated object 0',
			'kmem_cache_demo: allocated object 1',
		]);
		expect(stdout).toContain(' Active / Total Objects (% used)');
		expect(stderr).toBe("slabtop-ts: --exec 'free 5': kmem_cache_demo: object 5 not found (show lists the live ids)\n");
	});

	it("--json carries the answers as exec [{command, ok, text}], the workload and each cache's alloc_fail", () => {
		const {status, stdout} = run([
			'-o',
			'--json',
			'--exec',
			'alloc a; free 5',
			'--keep-going',
			'-w',
			'pressure',
			'--ticks',
			'1000',
			'--memory',
			'256M',
		]); // teach's pressure fills 512M in about 45 s
		expect(status).toBe(1);
		const document = JSON.parse(stdout) as JsonDocument & {exec: unknown; workload: unknown};
		expect(document.exec).toEqual([
			{command: 'alloc a', ok: true, text: 'kmem_cache_demo: allocated object 0'},
			{command: 'free 5', ok: false, text: 'kmem_cache_demo: object 5 not found (show lists the live ids)'},
		]);
		expect(document.workload).toMatchObject({name: 'pressure', tick: 1000, finished: false});
		expect(typeof (document.workload as {phase: unknown}).phase).toBe('string');
		expect(document.caches.every(cache => typeof cache.alloc_fail === 'number')).toBe(true);
		expect(document.caches.find(cache => cache.name === 'dentry')?.alloc_fail).toBeGreaterThan(0); // memory ran out
		expect(document.caches.find(cache => cache.name === 'demo_objects')?.alloc_fail).toBe(0);
		const quiet = JSON.parse(run(['-o', '--json', '-w', 'none']).stdout) as {workload: unknown; exec?: unknown};
		expect(quiet.workload).toBeNull();
		expect(quiet.exec).toBeUndefined();
		const background = JSON.parse(run(['-o', '--json']).stdout) as {workload: unknown};
		expect(background.workload).toEqual({name: 'background', phase: 'running', tick: 0, finished: false});
	});

	it("replays slub_kunit's test_clobber_zone from the shell: the answers on stdout, the report on stderr, exit 1", () => {
		const script =
			'create TestSlub_RZ_alloc 64 flags=RED_ZONE; alloc -c TestSlub_RZ_alloc; write #1 64 12; validate TestSlub_RZ_alloc; free #1';
		const {status, stdout, stderr} = run(['--exec', script, '--exec-only', '--keep-going']);
		expect(status).toBe(1);
		expect(stdout.split('\n')[2]).toMatch(
			/^wrote 1 byte \(12\) at 0xffff8880[0-9a-f]{8}, TestSlub_RZ_alloc: the right red zone \(or word padding\) of object/,
		);
		expect(stdout.split('\n')[3]).toMatch(
			/^kmem_cache_free\(TestSlub_RZ_alloc, 0xffff8880[0-9a-f]{8}\) #1: freed to TestSlub_RZ_alloc$/,
		);
		const lines = stderr.split('\n');
		expect(lines[0]).toBe(
			"slabtop-ts: --exec 'validate TestSlub_RZ_alloc': validate TestSlub_RZ_alloc: 2 errors reported (slab_errors)",
		);
		expect(lines[1]).toMatch(
			/^\[Right Redzone overwritten\] 0xffff8880[0-9a-f]{8}-0xffff8880[0-9a-f]{8} @offset=\d+\. First byte 0x12 instead of 0xcc$/,
		);
	});

	it('--json --exec-only prints only the answers as a document', () => {
		const {status, stdout} = run(['--json', '--exec', 'alloc a', '--exec-only']);
		expect(status).toBe(0);
		expect(JSON.parse(stdout)).toEqual({
			exec: [{command: 'alloc a', ok: true, text: 'kmem_cache_demo: allocated object 0'}],
		});
	});

	it('reads --exec - from standard input, one command a line', () => {
		expect(jsonOf(['--exec', '-'], 'alloc x\nshow\n')).toEqual(jsonOf(['--exec', 'alloc x; show']));
	});

	it('starts a workload file named by the workload command', () => {
		const workload = `${root}test/fixtures/workloads/web-server.json`;
		expect(cacheOf(jsonOf(['--ticks', '20']), 'http_request')).toBeUndefined();
		expect(cacheOf(jsonOf(['--ticks', '20', '--exec', `workload ${workload}`]), 'http_request')?.active_objs).toBe(72);
	});
});

describe('slabtop-ts on files that are not regular files', () => {
	const dir = mkdtempSync(join(tmpdir(), 'slabtop-cli-fifo-'));
	const fifo = join(dir, 'fifo');
	spawnSync('mkfifo', [fifo]);
	afterAll(() => {
		rmSync(dir, {recursive: true, force: true});
	});

	it.each([
		['--source on a FIFO', ['-o', '--source', fifo], `${fifo}: is a pipe (FIFO), not a regular file`],
		['--source on /dev/zero', ['-o', '--source', '/dev/zero'], '/dev/zero: is a device, not a regular file'],
		['--replay on /dev/zero', ['-o', '--replay', '/dev/zero'], '/dev/zero: is a device, not a regular file'],
		['-w on a FIFO', ['-o', '-w', fifo], `${fifo}: is a pipe (FIFO), not a regular file`],
	])('refuses %s in one line, at once', (_what, args, message) => {
		const {status, stdout, stderr} = run(args);
		expect({status, stdout, stderr}).toEqual({status: 1, stdout: '', stderr: `slabtop-ts: ${message}\n`});
	});

	it('refuses --exec - when standard input is /dev/zero', () => {
		const result = spawnSync(process.execPath, [cli, '-o', '--exec', '-'], {
			encoding: 'utf8',
			stdio: [openSync('/dev/zero', 'r'), 'pipe', 'pipe'],
			timeout: 20_000,
		});
		expect({status: result.status, stderr: result.stderr}).toEqual({
			status: 1,
			stderr: 'slabtop-ts: standard input: is a device, not a regular file\n',
		});
	});
});

describe('slabtop-ts --once --interval', () => {
	it('gives rates in the JSON document: two simulator samples S seconds of simulated time apart', () => {
		const args = [
			'--once',
			'--json',
			'--source',
			'sim',
			'-w',
			'dentry-flood',
			'--seed',
			'3',
			'--ticks',
			'200',
			'-s',
			'n',
		];
		const {status, stdout, stderr} = run([...args, '--interval', '2']);
		expect(stderr).toBe('');
		expect(status).toBe(0);
		const report = JSON.parse(stdout) as {interval_sec: number; caches: JsonCache[]};
		expect(report.interval_sec).toBe(2);
		// Against two plain reports at ticks 200 and 400: the rates are their differences over 2 s.
		const before = JSON.parse(run(args).stdout) as {caches: JsonCache[]};
		const after = JSON.parse(run([...args.slice(0, -3), '400', '-s', 'n']).stdout) as {caches: JsonCache[]};
		const dentry = (caches: JsonCache[]) => caches.find(cache => cache.name === 'dentry')!;
		expect(dentry(after.caches).active_objs).not.toBe(dentry(before.caches).active_objs);
		expect(dentry(report.caches).rates).toEqual({
			active_objs_per_sec: (dentry(after.caches).active_objs - dentry(before.caches).active_objs) / 2,
			num_slabs_per_sec: (dentry(after.caches).num_slabs - dentry(before.caches).num_slabs) / 2,
			kib_per_sec: (dentry(after.caches).cache_size - dentry(before.caches).cache_size) / 1024 / 2,
		});
	});

	it('prints the second sample as slabtop would without --json; no rates without --interval', () => {
		const {status, stdout} = run(['--once', '--interval', '0.2', '--source', fixture('real-2.txt')]);
		expect(status).toBe(0);
		expect(stdout).toBe(expected('real-2.o.txt'));
		expect(JSON.parse(run(['--once', '--json', '--source', fixture('real-2.txt')]).stdout)).not.toHaveProperty(
			'interval_sec',
		);
	});

	it('TERM=dumb prints one plain report, as when standard output is not a terminal', () => {
		const result = spawnSync(process.execPath, [cli, '--source', fixture('one-cache.txt')], {
			encoding: 'utf8',
			env: {...process.env, TERM: 'dumb'},
		});
		expect(result.stdout).toBe(expected('one-cache.o.txt'));
	});
});

describe('slabtop-ts --once --json on the simulator', () => {
	it('prints one document whose totals add up its caches, sorted by objects, with sysfs figures', () => {
		type Cache = JsonCache;
		const {status, stdout, stderr} = run(['--once', '--json', '--source', 'sim', '--ticks', '50']);
		expect([status, stderr]).toEqual([0, '']);
		expect(run(['--once', '--json', '--source', 'sim', '--ticks', '50']).stdout).toBe(stdout);
		expect(stdout.endsWith('}\n')).toBe(true);
		const document = JSON.parse(stdout) as {
			source: string;
			sort: string;
			totals: Record<string, number>;
			caches: Cache[];
		};
		expect(Object.keys(document)).toEqual(['source', 'sort', 'workload', 'totals', 'caches']);
		expect([document.source, document.sort]).toEqual(['sim', 'o']);
		const {caches, totals} = document;
		expect(caches).toHaveLength(236);
		const sum = (figure: (cache: Cache) => number) => caches.reduce((total, cache) => total + figure(cache), 0);
		expect(totals).toEqual({
			activeObjs: sum(cache => cache.active_objs),
			numObjs: sum(cache => cache.num_objs),
			activeSlabs: sum(cache => cache.active_slabs),
			numSlabs: sum(cache => cache.num_slabs),
			activeCaches: caches.filter(cache => cache.num_objs > 0).length,
			numCaches: caches.length,
			pages: sum(cache => cache.num_slabs * cache.pagesperslab),
			activeSize: sum(cache => cache.active_objs * cache.objsize),
			totalSize: sum(cache => cache.num_objs * cache.objsize),
			minObjSize: Math.min(...caches.map(cache => cache.objsize)),
			avgObjSize: Math.trunc(sum(cache => cache.num_objs * cache.objsize) / sum(cache => cache.num_objs)),
			maxObjSize: Math.max(...caches.map(cache => cache.objsize)),
		});
		for (let index = 1; index < caches.length; index++) {
			expect(caches[index - 1].num_objs).toBeGreaterThanOrEqual(caches[index].num_objs);
		}

		for (const cache of caches) {
			expect(cache.cache_size, cache.name).toBe(cache.num_slabs * cache.pagesperslab * 4096);
			expect(cache.num_objs, cache.name).toBe(cache.num_slabs * cache.objperslab);
			expect(cache.active_objs, cache.name).toBeLessThanOrEqual(cache.num_objs);
			expect(cache.use, cache.name).toBe(
				cache.num_objs === 0 ? 0 : Math.floor((100 * cache.active_objs) / cache.num_objs),
			);
			expect(cache.sysfs?.partial, cache.name).toBe(cache.partial);
		}

		const sysfs = caches.find(cache => cache.name === 'kmalloc-64')?.sysfs;
		expect([sysfs?.slab_size, sysfs?.order, sysfs?.objs_per_slab, sysfs?.min_partial, sysfs?.cpu_partial]).toEqual([
			64, 0, 64, 5, 120,
		]);
		expect(typeof sysfs?.alloc_fastpath).toBe('number');
	});

	it('has no sysfs figures for a slabinfo file', () => {
		expect(jsonOf(['--source', fixture('one-cache.txt')]).caches[0].sysfs).toBeUndefined();
	});
});

describe('slabtop-ts --record and --replay', () => {
	const dir = mkdtempSync(join(tmpdir(), 'slabtop-ts-cli-'));
	afterAll(() => {
		rmSync(dir, {recursive: true, force: true});
	});

	it('replays a recorded simulator run to the same --once report', () => {
		const file = join(dir, 'sim.jsonl');
		const args = ['--source', 'sim', '--seed', '7', '--ticks', '50', '-w', 'fork-storm'];
		const recorded = run(['--once', ...args, '--record', file]);
		expect(recorded.status).toBe(0);
		const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
		expect(lines).toHaveLength(2);
		expect(JSON.parse(lines[0])).toEqual({format: 'slabtop-ts-record', version: 1, kind: 'sim', label: 'sim'});
		const replayed = run(['--once', '--replay', file]);
		expect(replayed.stderr).toBe('');
		expect(replayed.status).toBe(0);
		expect(replayed.stdout).toBe(recorded.stdout);
		for (const key of ['c', 'n']) {
			expect(run(['--once', '--replay', file, '-s', key]).stdout).toBe(run(['--once', ...args, '-s', key]).stdout);
		}
	});

	it('replays the JSON too, sysfs figures included, labelled as a replay', () => {
		const file = join(dir, 'json.jsonl');
		const live = jsonOf(['--ticks', '30', '--record', file]);
		const replayed = jsonOf(['--replay', file]);
		expect(replayed.source).toBe(`${file} (replay of sim)`);
		expect(replayed.caches).toEqual(live.caches);
	});

	it('records a slabinfo file source', () => {
		const file = join(dir, 'file.jsonl');
		const recorded = run(['--once', '--source', fixture('real-2.txt'), '--record', file]);
		expect(run(['--once', '--replay', file]).stdout).toBe(recorded.stdout);
		expect(recorded.stdout).toBe(expected('real-2.o.txt'));
	});

	it('names the file and line of a malformed recording, exit status 1', () => {
		const good = join(dir, 'good.jsonl');
		run(['--once', '--ticks', '5', '--record', good]);
		const [header, sample] = readFileSync(good, 'utf8').split('\n');
		const bad = join(dir, 'bad.jsonl');
		writeFileSync(bad, `${header}\n${sample}\n${sample.slice(0, 40)}\n`);
		const {status, stdout, stderr} = run(['--once', '--replay', bad]);
		expect(status).toBe(1);
		expect(stdout).toBe('');
		expect(stderr).toMatch(new RegExp(`^slabtop-ts: ${bad.replaceAll('.', '\\.')}:3: not valid JSON \\(.+\\)\n$`));
	});
});

describe('slabtop-ts errors: one line on stderr, exit status 1', () => {
	const cases: Array<[string, string[], string]> = [
		['a missing file', ['-o', '--source', '/nonexistent/slabinfo'], '/nonexistent/slabinfo: no such file'],
		[
			'a malformed file, with its line',
			['-o', '--source', fixture('truncated-line.txt')],
			`${fixture('truncated-line.txt')}:4: expected a number for <limit>, found end of line`,
		],
		[
			'a trailing blank line',
			['-o', '--source', fixture('trailing-blank.txt')],
			`${fixture('trailing-blank.txt')}:4: expected a cache line`,
		],
		['a delay that is not a number', ['-d', 'abc'], "illegal delay: 'abc'"],
		['a fractional delay', ['--delay', '1.5'], "illegal delay: '1.5'"],
		['a delay below 1', ['-d', '0'], 'delay must be positive integer'],
		['a negative delay', ['-d', '-1'], 'delay must be positive integer'],
		['-d with -o', ['-d', '2', '-o'], 'Cannot combine -d and -o options'],
		['-d without a value', ['-d'], 'option -d/--delay requires an argument'],
		['-s without a value', ['-o', '-s'], 'option -s/--sort requires an argument'],
		['--sort without a value', ['-o', '--sort'], 'option -s/--sort requires an argument'],
		['an unknown option', ['-x'], 'unknown option -x (see slabtop-ts --help)'],
		['an unknown long option', ['--frobnicate'], 'unknown option --frobnicate (see slabtop-ts --help)'],
		['a stray argument', ['extra'], "unexpected argument 'extra' (see slabtop-ts --help)"],
		['a flag given twice', ['--seed', '1', '--seed', '2'], 'option --seed given more than once'],
		['a bad memory size', ['--memory', '12Q'], "--memory must be a size such as 512M or 2G, not '12Q'"],
		['zero CPUs', ['--cpus', '0'], "--cpus must be between 1 and 64, not '0'"],
		['more CPUs than the engine simulates', ['--cpus', '100'], "--cpus must be between 1 and 64, not '100'"],
		[
			'--exec with a file source',
			['-o', '--exec', 'show', '--source', fixture('one-cache.txt')],
			'--exec needs the simulator (--source sim)',
		],
		[
			'--exec - with a replay',
			['-o', '--exec', '-', '--replay', 'r.jsonl'],
			'--exec needs the simulator (--source sim)',
		],
		[
			'a failing --exec command',
			['-o', '--exec', 'free 5; show'],
			"--exec 'free 5': kmem_cache_demo: object 5 not found",
		],
		['--exec-only without --exec', ['-o', '--exec-only'], '--exec-only needs --exec'],
		['--keep-going without --exec', ['-o', '--keep-going'], '--keep-going needs --exec'],
		[
			'an --exec workload file that is missing',
			['-o', '--exec', 'workload nope/w.json'],
			"--exec 'workload nope/w.json': workload: nope/w.json: no such file",
		],
		[
			'--replay with --source',
			['-o', '--replay', 'r.jsonl', '--source', 'sim'],
			'--replay and --source exclude each other',
		],
		[
			'--record onto the replayed file',
			['-o', '--replay', 'r.jsonl', '--record', 'r.jsonl'],
			'--record r.jsonl would overwrite the file being read',
		],
		[
			'--record onto the slabinfo file',
			['-o', '--source', 's.txt', '--record', 's.txt'],
			'--record s.txt would overwrite the file being read',
		],
		['a missing recording', ['-o', '--replay', '/nonexistent/r.jsonl'], '/nonexistent/r.jsonl: no such file'],
		[
			'a slabinfo file given as a recording',
			['-o', '--replay', fixture('one-cache.txt')],
			`${fixture('one-cache.txt')}:1: not valid JSON`,
		],
		[
			'a recording into a missing directory',
			['-o', '--record', '/nonexistent/dir/r.jsonl'],
			'/nonexistent/dir/r.jsonl: cannot create (no such directory)',
		],
		['a bad debug letter', ['--debug=FX'], "--debug: unknown flag 'X'"],
		[
			'--ticks that could not finish',
			['-o', '--ticks', '9007199254740991'],
			"--ticks must be between 0 and 100000000, not '9007199254740991'",
		],
		[
			'a speed below 0.01x',
			['--speed', '0.001'],
			"--speed must be from 0.01 to 1000 (times real time) or max, not '0.001'",
		],
		['a missing workload file', ['-w', 'nope.json'], 'nope.json: no such file'],
		[
			'an interval that is not a number',
			['-o', '--interval', 'soon'],
			"--interval must be a number of seconds above 0 and at most 3600, not 'soon'",
		],
		['an interval of 0', ['-o', '--interval', '0'], '--interval must be a number of seconds above 0'],
	];

	for (const [what, args, message] of cases) {
		it(what, () => {
			const {status, stdout, stderr} = run(args);
			expect(status).toBe(1);
			expect(stdout).toBe('');
			expect(stderr.startsWith(`slabtop-ts: ${message}`)).toBe(true);
			expect(stderr.split('\n')).toHaveLength(2);
			expect(stderr).not.toMatch(/\n\s+at /);
		});
	}
});

describe('slabtop-ts -V and -h', () => {
	it('prints the version, equal to package.json', () => {
		const packageJson = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {version: string};
		expect(VERSION).toBe(packageJson.version);
		expect(run(['-V'])).toEqual({status: 0, stdout: `slabtop-ts ${VERSION}\n`, stderr: ''});
		expect(run(['--version']).stdout).toBe(`slabtop-ts ${VERSION}\n`);
	});

	it('prints slabtop-style usage with every option and sort key', () => {
		const {status, stdout} = run(['-h']);
		expect(status).toBe(0);
		expect(stdout.startsWith('Usage:\n slabtop-ts [options]\n')).toBe(true);
		for (const option of [
			'--delay',
			'--once',
			'--sort',
			'--source',
			'--workload',
			'--seed',
			'--cpus',
			'--memory',
			'--ticks',
			'--json',
			'--exec',
			'--exec-only',
			'--keep-going',
			'--debug',
			'--list-workloads',
			'--record',
			'--replay',
			'--trace',
		]) {
			expect(stdout).toContain(option);
		}

		expect(stdout).toContain(' u: sort by cache utilization\n');
	});
});

const config = configOf;

describe('parseConfig', () => {
	it('defaults to the simulator with a 1 s delay, and 3 s for kernel and files', () => {
		expect(config({})).toMatchObject({
			source: {kind: 'sim'},
			delaySeconds: 1,
			once: false,
			sortKey: 'o',
			memoryBytes: 512 * 1024 ** 2,
		});
		expect(config({source: 'kernel'})).toMatchObject({source: {kind: 'kernel'}, delaySeconds: 3});
		expect(config({source: 'snap.txt', delay: '5'})).toMatchObject({
			source: {kind: 'file', path: 'snap.txt'},
			delaySeconds: 5,
		});
	});

	it('parses the simulator options', () => {
		expect(
			config({
				seed: '42',
				cpus: '4',
				memory: '2G',
				ticks: '1000',
				workload: 'fork-storm',
				debug: 'fpz,dentry,kmalloc-64',
				record: 'r.log',
			}),
		).toMatchObject({
			seed: 42,
			cpus: 4,
			memoryBytes: 2 * 1024 ** 3,
			ticks: 1000,
			workload: {kind: 'preset', name: 'fork-storm'},
			debug: {flags: SLAB_CONSISTENCY_CHECKS | SLAB_POISON | SLAB_RED_ZONE, caches: ['dentry', 'kmalloc-64']},
			recordFile: 'r.log',
			replayFile: null,
		});
	});

	it("caps -d at Node's longest timer (2^31 - 1 ms), saying so in one line", () => {
		expect(config({delay: '2147483'})).toMatchObject({delaySeconds: 2_147_483, delayNotice: null});
		expect(config({delay: '2147484'})).toMatchObject({
			delaySeconds: 2_147_483,
			delayNotice:
				"-d 2147484: refreshing every 2147483 s, the longest delay Node's timers allow (space refreshes now)",
		});
	});

	it('reads --speed from 0.01x to 1000x, or max, 1x by default', () => {
		expect([config({}).speed, config({speed: '0.25'}).speed, config({speed: 'max'}).speed]).toEqual([
			1,
			0.25,
			Number.POSITIVE_INFINITY,
		]);
	});

	it('allows up to 64 CPUs, as the README says, and no more', () => {
		expect(config({cpus: '64'}).cpus).toBe(64);
		expect(parseConfig({cpus: '65'})).toEqual({
			ok: false,
			error: {kind: 'usage', message: "--cpus must be between 1 and 64, not '65'"},
		});
	});

	it('takes --replay as the source, and refuses --exec for any source but the simulator', () => {
		expect(config({replay: 'r.jsonl', record: 'copy.jsonl'})).toMatchObject({
			replayFile: 'r.jsonl',
			recordFile: 'copy.jsonl',
			source: {kind: 'sim'},
		});
		expect(config({exec: 'show', source: 'sim'}).exec).toEqual(['show']);
		for (const flags of [{source: 'kernel'}, {source: 'snap.txt'}, {replay: 'r.jsonl'}]) {
			expect(parseConfig({exec: 'show', ...flags})).toMatchObject({
				ok: false,
				error: {kind: 'usage', message: expect.stringMatching(/^--exec needs the simulator/) as unknown},
			});
		}
	});

	it('takes bare --debug as the kernel default FZPU', () => {
		expect(config({debug: ''}).debug).toEqual({
			flags: SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER,
			caches: [],
		});
	});

	it('splits --exec on semicolons, and marks --exec - for standard input', () => {
		expect(config({exec: 'alloc hello; free 1;; show'}).exec).toEqual(['alloc hello', 'free 1', 'show']);
		expect(config({exec: '-'})).toMatchObject({exec: [], isExecFromStdin: true});
	});

	it('reads memory sizes with binary suffixes', () => {
		expect(parseSize('512M')).toBe(512 * 1024 ** 2);
		expect(parseSize('2GiB')).toBe(2 * 1024 ** 3);
		expect(parseSize('4096')).toBe(4096);
		expect(parseSize('0')).toBeNull();
		expect(parseSize('1.5G')).toBeNull();
	});

	it('answers -h before -V and both before any check', () => {
		expect(parseConfig({help: true, version: true, delay: 'x'})).toEqual({ok: true, value: {kind: 'help'}});
		expect(parseConfig({version: true, delay: 'x'})).toEqual({ok: true, value: {kind: 'version'}});
	});
});
