// The command line as a user meets it: `node dist/cli.js` as a real process (npm test builds
// dist/ before vitest runs), plus parseConfig's validation in-process.

import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {canRead} from './report/cache-row.js';
import {DEFAULT_MEMORY_BYTES, parseConfig, parseSize, VERSION, type Config, type RawFlags} from '../source/config.js';

const root = new URL('../', import.meta.url).pathname;
const cli = `${root}dist/cli.js`;
const fixture = (name: string) => `${root}test/fixtures/slabinfo/${name}`;
const expected = (name: string) => readFileSync(`${root}test/fixtures/slabtop-expected/${name}`, 'utf8');
const trimLines = (text: string) => text.replace(/ +$/gm, '');

function run(args: string[], input?: string) {
	if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `node scripts/build.mjs` first');
	const result = spawnSync(process.execPath, [cli, ...args], {encoding: 'utf8', input, timeout: 20_000});
	return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

describe('slabtop-ts --once on slabinfo files', () => {
	it('prints what slabtop -o prints, for each sort key', () => {
		for (const key of ['o', 'c', 'n', 'u']) {
			const {status, stdout, stderr} = run(['--once', '--source', fixture('real-2.txt'), '-s', key]);
			expect(stderr).toBe('');
			expect(status).toBe(0);
			expect(trimLines(stdout)).toBe(trimLines(expected(`real-2.${key}.txt`)));
		}
	});

	it('treats an unknown sort key as o and an upper-case one as its lower case, as slabtop does', () => {
		expect(run(['-o', '--source', fixture('ties.txt'), '-s', 'z']).stdout).toBe(run(['-o', '--source', fixture('ties.txt')]).stdout);
		expect(trimLines(run(['-o', '--source', fixture('ties.txt'), '--sort=N']).stdout)).toBe(trimLines(expected('ties.N.txt')));
	});

	it('prints one report when standard output is not a terminal, even without --once', () => {
		const {status, stdout} = run(['--source', fixture('one-cache.txt')]);
		expect(status).toBe(0);
		expect(trimLines(stdout)).toBe(trimLines(expected('one-cache.o.txt')));
	});

	it('reads --exec - from standard input and still prints the report', () => {
		const {status, stdout, stderr} = run(['--exec', '-', '-o', '--source', fixture('one-cache.txt')], 'alloc x\nshow\n');
		expect(stderr).toBe('');
		expect(status).toBe(0);
		expect(trimLines(stdout)).toBe(trimLines(expected('one-cache.o.txt')));
	});

	it('prints one JSON document with --json', () => {
		const {status, stdout} = run(['--once', '--json', '--source', fixture('many-pages.txt'), '-s', 'c']);
		expect(status).toBe(0);
		const document = JSON.parse(stdout) as {totals: {numCaches: number}; caches: Array<{name: string; pagesperslab: number}>};
		expect(document.totals.numCaches).toBe(7);
		expect(document.caches[0]).toMatchObject({name: 'sighand_cache', pagesperslab: 8});
	});

	it.skipIf(!canRead('/proc/slabinfo'))('reads the running kernel with --source kernel', () => {
		const {status, stdout} = run(['--once', '--source', 'kernel']);
		expect(status).toBe(0);
		expect(stdout).toMatch(/^ Active \/ Total Objects \(% used\) {4}: \d+ \/ \d+ \(\d+\.\d%\)\n/);
	});
});

describe('slabtop-ts errors: one line on stderr, exit status 1', () => {
	const cases: Array<[string, string[], string]> = [
		['a missing file', ['-o', '--source', '/nonexistent/slabinfo'], '/nonexistent/slabinfo: no such file'],
		['a malformed file, with its line', ['-o', '--source', fixture('truncated-line.txt')], `${fixture('truncated-line.txt')}:4: expected a number for <limit>, found end of line`],
		['a trailing blank line', ['-o', '--source', fixture('trailing-blank.txt')], `${fixture('trailing-blank.txt')}:4: expected a cache line`],
		['a delay that is not a number', ['-d', 'abc'], "illegal delay: 'abc'"],
		['a fractional delay', ['--delay', '1.5'], "illegal delay: '1.5'"],
		['a delay below 1', ['-d', '0'], 'delay must be positive integer'],
		['a negative delay', ['-d', '-1'], 'delay must be positive integer'],
		['-d with -o', ['-d', '2', '-o'], 'Cannot combine -d and -o options'],
		['-d without a value', ['-d'], 'option -d/--delay requires an argument'],
		['an unknown option', ['-x'], 'unknown option -x (see slabtop-ts --help)'],
		['an unknown long option', ['--frobnicate'], 'unknown option --frobnicate (see slabtop-ts --help)'],
		['a stray argument', ['extra'], "unexpected argument 'extra' (see slabtop-ts --help)"],
		['a flag given twice', ['--seed', '1', '--seed', '2'], 'option --seed given more than once'],
		['a bad memory size', ['--memory', '12Q'], "--memory must be a size such as 512M or 2G, not '12Q'"],
		['zero CPUs', ['--cpus', '0'], "--cpus must be between 1 and 256, not '0'"],
		['a bad debug letter', ['--debug=FX'], "--debug: unknown flag 'X'"],
		['a missing workload file', ['-w', 'nope.json'], 'nope.json: no such file'],
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
		for (const option of ['--delay', '--once', '--sort', '--source', '--workload', '--seed', '--cpus', '--memory', '--ticks', '--json', '--exec', '--debug', '--list-workloads', '--record', '--replay']) {
			expect(stdout).toContain(option);
		}

		expect(stdout).toContain(' u: sort by cache utilization\n');
	});
});

function config(flags: RawFlags, input: string[] = []): Config {
	const result = parseConfig(flags, input);
	if (result.kind !== 'run') throw new Error(`expected a config, got ${JSON.stringify(result)}`);
	return result.config;
}

describe('parseConfig', () => {
	it('defaults to the simulator with a 1 s delay, and 3 s for kernel and files', () => {
		expect(config({})).toMatchObject({source: {kind: 'sim'}, delaySeconds: 1, once: false, sortKey: 'o', memoryBytes: DEFAULT_MEMORY_BYTES});
		expect(config({source: 'kernel'})).toMatchObject({source: {kind: 'kernel'}, delaySeconds: 3});
		expect(config({source: 'snap.txt', delay: '5'})).toMatchObject({source: {kind: 'file', path: 'snap.txt'}, delaySeconds: 5, isDelayExplicit: true});
	});

	it('parses the simulator options', () => {
		expect(
			config({seed: '42', cpus: '4', memory: '2G', ticks: '1000', workload: 'fork-storm', debug: 'fpz,dentry,kmalloc-64', record: 'r.log'}),
		).toMatchObject({
			seed: 42,
			cpus: 4,
			memoryBytes: 2 * 1024 ** 3,
			ticks: 1000,
			workload: {kind: 'preset', name: 'fork-storm'},
			debug: {flags: 'FPZ', caches: ['dentry', 'kmalloc-64']},
			recordFile: 'r.log',
			replayFile: null,
		});
	});

	it('takes bare --debug as the kernel default FZPU', () => {
		expect(config({debug: ''}).debug).toEqual({flags: 'FZPU', caches: []});
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
		expect(parseConfig({help: true, version: true, delay: 'x'})).toEqual({kind: 'help'});
		expect(parseConfig({version: true, delay: 'x'})).toEqual({kind: 'version'});
	});
});
