// The Prometheus source and the metrics export against the real components: node_exporter
// (slabinfo collector on fixture files, textfile collector on --export-dir), Prometheus scraping
// every second, promtool. Slow (seconds, not milliseconds): its own file, bounded by timeouts.
// Fails once, saying why, and skips the rest when the binaries are missing; CI installs them (.ci/run).
//
// Hosts: alpha and beta run node_exporter's slabinfo collector on real-1.txt and real-2.txt;
// gamma runs only the textfile collector, which gets slabtop-ts's export of the simulator;
// delta is this test's own HTTP server serving `--once --format openmetrics`, which Prometheus
// scrapes as OpenMetrics.

import {execFile, spawnSync} from 'node:child_process';
import {createServer, type Server} from 'node:http';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {JsonCache} from '../../source/report/json.js';
import {createPrometheusClient} from '../../source/sources/prometheus-fetch.js';
import {fetchFleet} from '../../source/sources/prometheus-fleet.js';
import {fetchHostSample} from '../../source/sources/prometheus-source.js';
import {
	freePort,
	MISSING_BINARIES,
	PROMTOOL,
	query,
	startStack,
	waitFor,
	type Stack,
} from '../helpers/prometheus-stack.js';
import {waitForRawMode} from '../helpers/tmux-tty.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = `${root}dist/cli.js`;
const fixture = (name: string) => `${root}test/fixtures/slabinfo/${name}`;
const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
const SIM_ARGS = ['--source', 'sim', '--workload', 'steady', '--seed', '3', '--ticks', '300'];

type Run = {status: number; stdout: string; stderr: string};

/** Runs the built CLI without blocking the event loop (this process serves delta meanwhile). */
async function run(args: string[]): Promise<Run> {
	if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `node scripts/build.mjs` first');
	return new Promise(resolve => {
		execFile(process.execPath, [cli, ...args], {encoding: 'utf8', timeout: 30_000}, (error, stdout, stderr) => {
			const status = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
			resolve({status, stdout, stderr});
		});
	});
}

async function runPromtool(text: string): Promise<Run> {
	return new Promise(resolve => {
		const child = execFile(
			PROMTOOL ?? 'promtool',
			['check', 'metrics'],
			{encoding: 'utf8', timeout: 20_000},
			(error, stdout, stderr) => {
				resolve({status: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr});
			},
		);
		child.stdin?.end(text);
	});
}

/** The five header lines and the cache lines as a sorted list (Prometheus keeps no file order, so ties may differ). */
function figures(report: string): {header: string[]; lines: string[]} {
	const all = report.replace(/ +$/gm, '').split('\n');
	return {
		header: all.slice(0, 5),
		lines: all
			.slice(7)
			.filter(line => line !== '')
			.sort(),
	};
}

/** Caches in name order (Prometheus keeps no file order, so ties of the sort key may differ). */
function byName(caches: JsonCache[]): JsonCache[] {
	return [...caches].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const missing = MISSING_BINARIES;

// As the end-to-end tests do for tmux: a machine without the binaries fails here, once, saying
// what to install, rather than passing with the suite below skipped.
it('needs prometheus, promtool and prometheus-node-exporter', () => {
	expect(missing, `${missing ?? ''}: install them (apt-get install prometheus prometheus-node-exporter)`).toBeNull();
});

describe.skipIf(missing !== null)('the Prometheus source and export against real node_exporter and Prometheus', () => {
	let stack: Stack;
	let delta: Server;
	let deltaText = '';
	let url = '';

	beforeAll(async () => {
		const sim = await run(['--once', '--format', 'openmetrics', ...SIM_ARGS]);
		expect(sim.status).toBe(0);
		deltaText = sim.stdout;
		delta = createServer((_request, response) => {
			response.writeHead(200, {'content-type': 'application/openmetrics-text; version=1.0.0; charset=utf-8'});
			response.end(deltaText);
		});
		const deltaPort = await freePort();
		await new Promise<void>(resolve => delta.listen(deltaPort, '127.0.0.1', resolve));
		stack = await startStack(
			[
				{instance: 'alpha', slabinfo: readFileSync(fixture('real-1.txt'), 'utf8')},
				{instance: 'beta', slabinfo: readFileSync(fixture('real-2.txt'), 'utf8')},
				{instance: 'gamma', slabinfo: null},
			],
			{delta: `127.0.0.1:${deltaPort}`},
		);
		url = `prometheus=${stack.url}`;
		// Every target scraped (the tests about gamma need its `up`), and the three hosts with slab
		// series from the start all in: the tests name them.
		await waitFor('all four targets up, and the slab series of alpha, beta and delta', 45_000, async () => {
			const up = await query(stack.url, 'up == 1');
			const hosts = await query(stack.url, 'count by (instance) ({__name__=~"node_slabinfo_objects|slabtop_objects"})');
			return up.length === 4 && hosts.length === 3 ? true : null;
		});
	}, 120_000);

	afterAll(async () => {
		await stack?.stop();
		await new Promise<void>(resolve => (delta === undefined ? resolve() : delta.close(() => resolve())));
	});

	it("prints a host's caches with the figures --once prints for its slabinfo file", async () => {
		for (const [host, file] of [
			['alpha', 'real-1.txt'],
			['beta', 'real-2.txt'],
		]) {
			const fromPrometheus = await run(['--once', '--source', url, '--instance', host]);
			expect(fromPrometheus.stderr).toBe('');
			expect(fromPrometheus.status).toBe(0);
			const fromFile = await run(['--once', '--source', fixture(file)]);
			expect(figures(fromPrometheus.stdout)).toEqual(figures(fromFile.stdout));
		}
	});

	it('marks the slab counts and cache sizes node_exporter cannot give as estimates in --json', async () => {
		const {stdout, status} = await run(['--once', '--json', '--source', url, '--instance', 'alpha', '-s', 'c']);
		expect(status).toBe(0);
		const document = JSON.parse(stdout) as {source: string; caches: JsonCache[]};
		expect(document.source).toBe(`alpha via ${stack.url}`);
		expect(document.caches.length).toBe(235);
		expect(document.caches.every(cache => cache.estimated?.join() === 'active_slabs,num_slabs,cache_size')).toBe(true);
		const fromFile = JSON.parse(
			(await run(['--once', '--json', '--source', fixture('real-1.txt'), '-s', 'c'])).stdout,
		) as {
			caches: JsonCache[];
		};
		const strip = ({estimated: _estimated, ...cache}: JsonCache) => cache;
		expect(byName(document.caches).map(cache => strip(cache))).toEqual(
			byName(fromFile.caches).map(cache => strip(cache)),
		);
	});

	// delta has slabtop-ts's series from the start; gamma has none until the export test (later).
	it('names the hosts when there are several and no --instance', async () => {
		const {stdout, stderr, status} = await run(['--once', '--source', url]);
		expect(status).toBe(1);
		expect(stdout).toBe('');
		expect(stderr).toBe(
			`slabtop-ts: prometheus ${stack.url}: 3 hosts have slab series (alpha, beta, delta): choose one with --instance\n`,
		);
	});

	it('says so when a host runs without the slabinfo collector, or is unknown', async () => {
		const off = await run(['--once', '--source', url, '--instance', 'gamma']);
		expect(off.status).toBe(1);
		expect(off.stderr).toBe(
			`slabtop-ts: prometheus ${stack.url}: gamma: no slab series (its node_exporter runs without --collector.slabinfo)\n`,
		);
		const unknown = await run(['--once', '--source', url, '--instance', 'omega']);
		expect(unknown.stderr).toBe(
			`slabtop-ts: prometheus ${stack.url}: no host 'omega' (hosts with slab series: alpha, beta, delta)\n`,
		);
	});

	it('exports metrics that pass promtool and come back from Prometheus exactly; the host then reads exact', async () => {
		const gamma = stack.exporters.find(exporter => exporter.instance === 'gamma');
		if (gamma === undefined) throw new Error('no gamma');
		const exported = await run(['--once', '--json', ...SIM_ARGS, '--export-dir', gamma.textfileDir]);
		expect(exported.status).toBe(0);
		const sim = JSON.parse(exported.stdout) as {caches: JsonCache[]};
		const written = readFileSync(`${gamma.textfileDir}/slabtop_ts.prom`, 'utf8');
		const lint = await runPromtool(written);
		expect(lint.stdout + lint.stderr).toBe('');
		expect(lint.status).toBe(0);

		const dentry = sim.caches.find(cache => cache.name === 'dentry');
		if (dentry?.sysfs === undefined) throw new Error('no dentry figures');
		const back = await waitFor("gamma's exported series in Prometheus", 20_000, async () => {
			const result = await query(stack.url, 'slabtop_stat_alloc_fastpath_total{instance="gamma",cache="dentry"}');
			return result.length === 1 ? result : null;
		});
		expect(Number(back[0].value[1])).toBe(dentry.sysfs.alloc_fastpath);
		const bytes = await query(stack.url, 'slabtop_cache_bytes{instance="gamma",cache="dentry"}');
		expect(Number(bytes[0].value[1])).toBe(dentry.cache_size);
		// Two points of each counter in rate()'s window: the source's rate queries then compute (a
		// rate() over both counters at once was refused here, "vector cannot contain metrics with
		// the same labelset", so reading such a host failed from its second scrape on).
		await waitFor("two scrapes of gamma's counters", 20_000, async () => {
			const result = await query(
				stack.url,
				'rate(slabtop_stat_alloc_slowpath_total{instance="gamma",cache="dentry"}[1m]) and rate(slabtop_stat_alloc_fastpath_total{instance="gamma",cache="dentry"}[1m])',
			);
			return result.length === 1 ? true : null;
		});

		// The source prefers slabtop-ts's series: every figure exact, nothing estimated.
		const fromPrometheus = await run(['--once', '--json', '--source', url, '--instance', 'gamma']);
		expect(fromPrometheus.stderr).toBe('');
		const read = JSON.parse(fromPrometheus.stdout) as {caches: JsonCache[]};
		const core = (cache: JsonCache) => ({
			name: cache.name,
			active_objs: cache.active_objs,
			num_objs: cache.num_objs,
			objsize: cache.objsize,
			objperslab: cache.objperslab,
			pagesperslab: cache.pagesperslab,
			active_slabs: cache.active_slabs,
			num_slabs: cache.num_slabs,
			cache_size: cache.cache_size,
			partial: cache.partial,
			estimated: cache.estimated,
			alloc_fastpath: cache.sysfs?.alloc_fastpath,
			reclaim_account: cache.sysfs?.reclaim_account,
		});
		expect(byName(read.caches).map(cache => core(cache))).toEqual(byName(sim.caches).map(cache => core(cache)));

		// Every cache carries its allocation and free rates: the exported counters do not change, so 0/s.
		const sample = await fetchHostSample(createPrometheusClient(stack.url), 'gamma');
		if (!sample.ok) throw new Error(sample.error.message);
		expect(sample.value.rows.length).toBe(sim.caches.length);
		expect(sample.value.rows.every(row => row.rates?.allocPerSec === 0 && row.rates.freePerSec === 0)).toBe(true);
	});

	it("exports two caches of one name (which break node_exporter's own scrape) as series promtool accepts", async () => {
		const dir = mkdtempSync(join(tmpdir(), 'slabtop-ts-dup-'));
		try {
			const slabinfo = readFileSync(fixture('one-cache.txt'), 'utf8');
			const twice = `${slabinfo}${slabinfo.split('\n')[2]}\n`;
			writeFileSync(join(dir, 'slabinfo'), twice);
			const {status} = await run(['--once', '--source', join(dir, 'slabinfo'), '--export-dir', dir]);
			expect(status).toBe(0);
			const text = readFileSync(join(dir, 'slabtop_ts.prom'), 'utf8');
			expect(text).toContain(
				'slabtop_objects{cache="dentry"} 16128\nslabtop_objects{cache="dentry",duplicate="2"} 16128\n',
			);
			const lint = await runPromtool(text);
			expect(lint.stdout + lint.stderr).toBe('');
			expect(lint.status).toBe(0);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	it("gives the fleet view's figures: every host's dentry cache, and the largest caches of the fleet", async () => {
		const sim = JSON.parse((await run(['--once', '--json', ...SIM_ARGS])).stdout) as {caches: JsonCache[]};
		const simDentry = sim.caches.find(cache => cache.name === 'dentry');
		const client = createPrometheusClient(stack.url);
		const fleet = await fetchFleet(client, 'dentry', 300, {pageSize: 4096});
		if (!fleet.ok) throw new Error(fleet.error.message);
		// beta: 2653 slabs of real-2.txt, alpha 1096 of real-1.txt (estimates: node_exporter only);
		// gamma and delta: the simulator's exact figures (slabtop-ts's export), the same run twice.
		expect(
			fleet.value.hosts.map(host => [host.host, host.activeObjs, host.numObjs, host.cacheBytes, host.isEstimate]),
		).toEqual(
			[
				['beta', 55_713, 55_713, 2653 * 4096, true],
				['alpha', 22_990, 23_016, 1096 * 4096, true],
				['delta', simDentry?.active_objs, simDentry?.num_objs, simDentry?.cache_size, false],
				['gamma', simDentry?.active_objs, simDentry?.num_objs, simDentry?.cache_size, false],
			].sort((a, b) => Number(b[3]) - Number(a[3]) || String(a[0]).localeCompare(String(b[0]))),
		);
		// Unchanged figures: no growth on any host with two points or more.
		expect(fleet.value.hosts.every(host => host.growthPerSec === null || host.growthPerSec === 0)).toBe(true);
		const dentryTotal = (2653 + 1096) * 4096 + 2 * (simDentry?.cache_size ?? 0);
		expect(fleet.value.largest.find(entry => entry.cache === 'dentry')?.value).toBe(dentryTotal);
		expect(fleet.value.largest).toHaveLength(10);
		expect(fleet.value.largest[0].value).toBeGreaterThanOrEqual(fleet.value.largest[9].value);
	});

	it("accepts every query of the README's PromQL cheat sheet", async () => {
		const readme = readFileSync(`${root}README.md`, 'utf8');
		const sheet = readme.slice(readme.indexOf('### PromQL cheat sheet'));
		const queries = [...sheet.matchAll(/^\|[^|]+\| `([^`]+)` \|$/gm)].map(match => match[1]);
		expect(queries.length).toBeGreaterThan(8);
		for (const promql of queries) await expect(query(stack.url, promql)).resolves.toBeInstanceOf(Array);
	});

	it.skipIf(!HAS_TMUX)("runs the screen in a real terminal: host picker, a host's table, the fleet view", async () => {
		const socket = `slabtop-fleet-${process.pid}`;
		const tmux = (...args: string[]): string => {
			const result = spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
			if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`);
			return result.stdout;
		};

		const screen = async (predicate: (text: string) => boolean, what: string): Promise<string> =>
			waitFor(what, 30_000, () => {
				const text = tmux('capture-pane', '-p', '-t', 'fleet').replace(/ +$/gm, '');
				return Promise.resolve(predicate(text) ? text : null);
			});
		try {
			const command = `env -u CI TERM=xterm-256color '${process.execPath}' '${cli}' --source '${url}'; echo "EXIT=$?"; sleep 600`;
			tmux('new-session', '-d', '-s', 'fleet', '-x', '120', '-y', '40', command);
			// Several hosts and no --instance: the picker opens on the first host.
			const picker = await screen(text => text.includes('* alpha'), 'the host picker');
			expect(picker).toContain('Hosts with slab series');
			expect(picker).toContain('* alpha\n  beta\n  delta');
			await waitForRawMode(socket, 'fleet');
			tmux('send-keys', '-t', 'fleet', 'Down', 'Enter');
			const table = await screen(text => text.includes('beta via') && text.includes(' dentry'), "beta's table");
			expect(table).toMatch(/ 55713 +55713 +100% +0\.19K +~2653 +21 +~10612K dentry/);
			tmux('send-keys', '-t', 'fleet', 'Tab');
			const fleetView = await screen(text => text.includes('HOST') && text.includes('alpha'), 'the fleet view');
			expect(fleetView).toMatch(/Fleet: \S+ +by size \(g\) +growth over 5m \(w\)/);
			expect(fleetView).toContain('Largest caches across the fleet');
			tmux('send-keys', '-t', 'fleet', 'q');
			await screen(text => text.includes('EXIT=0'), 'the exit');
		} finally {
			spawnSync('tmux', ['-L', socket, 'kill-server']);
		}
	});

	it('prints OpenMetrics that Prometheus scrapes as OpenMetrics, with exact values', async () => {
		const up = await waitFor('delta scraped', 20_000, async () => {
			const result = await query(stack.url, 'up{instance="delta"}');
			return result.length === 1 ? result : null;
		});
		expect(up[0].value[1]).toBe('1');
		const expected = /^slabtop_stat_alloc_slowpath_total\{cache="kmalloc-64"\} (\d+)$/m.exec(deltaText);
		if (expected === null) throw new Error('no kmalloc-64 counter in the OpenMetrics text');
		const back = await query(stack.url, 'slabtop_stat_alloc_slowpath_total{instance="delta",cache="kmalloc-64"}');
		expect(back.map(sample => sample.value[1])).toEqual([expected[1]]);
		const info = await query(stack.url, 'count(slabtop_cache_alias_info{instance="delta"})');
		expect(Number(info[0].value[1])).toBe(
			deltaText.split('\n').filter(line => line.startsWith('slabtop_cache_alias_info{')).length,
		);
		// delta has been scraped many times with its counters: the source reads it, rates and all.
		const read = await run(['--once', '--source', url, '--instance', 'delta']);
		expect(read.stderr).toBe('');
		expect(read.status).toBe(0);
	});
});

describe('the Prometheus source when the server is down', () => {
	it('prints one line on stderr and exits non-zero', async () => {
		const port = await freePort();
		const {status, stdout, stderr} = await run(['--once', '--source', `prometheus=http://127.0.0.1:${port}`]);
		expect(status).toBe(1);
		expect(stdout).toBe('');
		expect(stderr).toMatch(
			new RegExp(
				`^slabtop-ts: prometheus http://127\\.0\\.0\\.1:${port}: cannot connect \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)\\n$`,
			),
		);
	});
});
