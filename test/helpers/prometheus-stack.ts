// The real Prometheus stack for the slow tests: node_exporter instances on loopback ports, each
// reading a fixture directory as its procfs (so the slabinfo figures are known) and a textfile
// directory, and a Prometheus server scraping them every second with its data in a temporary
// directory. Everything started here is stopped by PID: `stop()` (the tests' afterAll), and a
// process 'exit' handler as the last resort. Debian's package names the node_exporter binary
// prometheus-node-exporter; upstream's is node_exporter.

import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {createServer} from 'node:net';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** The first of `names` found on PATH, or null. */
export function findBinary(...names: string[]): string | null {
	for (const name of names) {
		const found = spawnSync('sh', ['-c', `command -v ${name}`], {encoding: 'utf8'});
		if (found.status === 0 && found.stdout.trim() !== '') return found.stdout.trim();
	}

	return null;
}

export const NODE_EXPORTER = findBinary('prometheus-node-exporter', 'node_exporter');
export const PROMETHEUS = findBinary('prometheus');
export const PROMTOOL = findBinary('promtool');
/** Why the real-component tests skip, or null when they can run. */
export const MISSING_BINARIES =
	NODE_EXPORTER === null || PROMETHEUS === null || PROMTOOL === null
		? 'prometheus, promtool and prometheus-node-exporter are not installed (apt-get install prometheus prometheus-node-exporter)'
		: null;

const started = new Set<ChildProcess>();
process.on('exit', () => {
	for (const child of started)
		if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
});

/** A loopback port nobody listens on now. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address !== null ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

async function sleep(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}

/** Polls `check` every 200 ms until it returns a value, for at most `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | null>): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError = '';
	while (Date.now() < deadline) {
		try {
			const value = await check();
			if (value !== null) return value;
		} catch (error) {
			lastError = error instanceof Error ? error.message : String(error);
		}

		await sleep(200);
	}

	throw new Error(`timed out waiting for ${what}${lastError === '' ? '' : ` (${lastError})`}`);
}

function startProcess(binary: string, args: string[], log: string): ChildProcess {
	const child = spawn(binary, args, {stdio: ['ignore', 'ignore', 'pipe']});
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString()).slice(-4000);
		writeFileSync(log, stderr);
	});
	started.add(child);
	return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
		started.delete(child);
		return;
	}

	const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
	process.kill(child.pid, 'SIGTERM');
	const timer = setTimeout(() => {
		if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
	}, 5000);
	await exited;
	clearTimeout(timer);
	started.delete(child);
}

export type ExporterSpec = {
	/** The instance label Prometheus gives it. */
	instance: string;
	/** slabinfo text for its procfs, or null to run it without the slabinfo collector. */
	slabinfo: string | null;
};

export type Exporter = {instance: string; port: number; textfileDir: string};

export type Stack = {
	dir: string;
	url: string;
	exporters: Exporter[];
	/** Stops every process by PID and removes the temporary directory. */
	stop(): Promise<void>;
};

async function isReady(url: string): Promise<boolean> {
	const response = await fetch(url, {signal: AbortSignal.timeout(1000)});
	return response.ok;
}

/**
 * Starts one node_exporter per spec and a Prometheus scraping them (and `extraTargets`, as
 * {instance: 'host:port'}) every second; resolves once Prometheus is ready.
 */
export async function startStack(specs: ExporterSpec[], extraTargets: Record<string, string> = {}): Promise<Stack> {
	if (NODE_EXPORTER === null || PROMETHEUS === null) throw new Error(MISSING_BINARIES ?? 'binaries missing');
	const dir = mkdtempSync(join(tmpdir(), 'slabtop-ts-prometheus-'));
	const children: ChildProcess[] = [];
	const exporters: Exporter[] = [];
	const stop = async (): Promise<void> => {
		await Promise.all(children.map(child => stopProcess(child)));
		rmSync(dir, {recursive: true, force: true});
	};

	try {
		for (const spec of specs) {
			const procDir = join(dir, spec.instance, 'proc');
			const textfileDir = join(dir, spec.instance, 'textfile');
			mkdirSync(procDir, {recursive: true});
			mkdirSync(textfileDir, {recursive: true});
			if (spec.slabinfo !== null) writeFileSync(join(procDir, 'slabinfo'), spec.slabinfo);
			const port = await freePort();
			const collectors = spec.slabinfo === null ? [] : ['--collector.slabinfo'];
			children.push(
				startProcess(
					NODE_EXPORTER,
					[
						'--collector.disable-defaults',
						...collectors,
						'--collector.textfile',
						`--collector.textfile.directory=${textfileDir}`,
						`--path.procfs=${procDir}`,
						`--web.listen-address=127.0.0.1:${port}`,
					],
					join(dir, `${spec.instance}.log`),
				),
			);
			exporters.push({instance: spec.instance, port, textfileDir});
		}

		const targets = [
			...exporters.map(exporter => ({instance: exporter.instance, address: `127.0.0.1:${exporter.port}`})),
			...Object.entries(extraTargets).map(([instance, address]) => ({instance, address})),
		];
		const config = [
			'global:',
			'  scrape_interval: 1s',
			'  scrape_timeout: 1s',
			'  evaluation_interval: 1s',
			'scrape_configs:',
			'  - job_name: node',
			'    static_configs:',
			...targets.flatMap(target => [
				`      - targets: ['${target.address}']`,
				`        labels: {instance: '${target.instance}'}`,
			]),
			'',
		].join('\n');
		writeFileSync(join(dir, 'prometheus.yml'), config);
		const port = await freePort();
		children.push(
			startProcess(
				PROMETHEUS,
				[
					`--config.file=${join(dir, 'prometheus.yml')}`,
					`--storage.tsdb.path=${join(dir, 'data')}`,
					`--web.listen-address=127.0.0.1:${port}`,
					'--log.level=warn',
				],
				join(dir, 'prometheus.log'),
			),
		);
		const url = `http://127.0.0.1:${port}`;
		await waitFor('Prometheus to be ready', 30_000, async () => ((await isReady(`${url}/-/ready`)) ? true : null));
		for (const exporter of exporters) {
			await waitFor(`node_exporter ${exporter.instance}`, 15_000, async () =>
				(await isReady(`http://127.0.0.1:${exporter.port}/metrics`)) ? true : null,
			);
		}

		return {dir, url, exporters, stop};
	} catch (error) {
		await stop();
		throw error;
	}
}

/** One instant query's result, or throws (for the tests' own checks of what Prometheus holds). */
export async function query(
	url: string,
	promql: string,
): Promise<Array<{metric: Record<string, string>; value: [number, string]}>> {
	const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({query: promql}).toString()}`);
	const body = (await response.json()) as {
		status: string;
		data?: {result: Array<{metric: Record<string, string>; value: [number, string]}>};
		error?: string;
	};
	if (body.status !== 'success' || body.data === undefined)
		throw new Error(`query ${promql}: ${body.error ?? response.status}`);
	return body.data.result;
}
