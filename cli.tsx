#!/usr/bin/env node
// slabtop-ts: flags → Config → a source → the --once report, or the interactive UI.
// Expected failures (bad flags, unreadable or malformed sources) print one line on stderr and
// exit 1; only a bug shows a stack. The once path loads neither React nor Ink nor the
// simulator: those are imported lazily, so `--once --source FILE` starts about as fast as Node.

import {existsSync, statSync} from 'node:fs';
import process from 'node:process';
import meow from 'meow';
import {HELP_TEXT, parseConfig, PROGRAM, splitCommands, VERSION, type Config, type RawFlags} from './source/config/config.js';
import {kernelOptions, simOptions} from './source/config/source-options.js';
import {formatJson} from './source/report/json.js';
import {formatOnce} from './source/report/once.js';
import {buildMetrics, formatOpenMetrics, formatPrometheusText} from './source/report/openmetrics.js';
import {createFileSource} from './source/sources/file-source.js';
import {createKernelSource} from './source/sources/kernel-source.js';
import {readRecording} from './source/sources/record-read.js';
import {openRecorder, recordSamples, type Recorder} from './source/sources/record-write.js';
import {createReplaySource} from './source/sources/replay-source.js';
import {readTextFile} from './source/sources/slabinfo-read.js';
import {openTraceFile, type TraceWriter} from './source/sources/trace-write.js';
import type {Sample, SampleResult, SlabSource} from './source/sources/source.js';
import {exportSamples} from './source/sources/textfile-write.js';

const FLAGS = {
	delay: {type: 'string', shortFlag: 'd'},
	once: {type: 'boolean', shortFlag: 'o'},
	sort: {type: 'string', shortFlag: 's'},
	help: {type: 'boolean', shortFlag: 'h'},
	version: {type: 'boolean', shortFlag: 'V'},
	source: {type: 'string'},
	workload: {type: 'string', shortFlag: 'w'},
	seed: {type: 'string'},
	cpus: {type: 'string'},
	memory: {type: 'string'},
	ticks: {type: 'string'},
	json: {type: 'boolean'},
	format: {type: 'string'},
	exportDir: {type: 'string'},
	exportTop: {type: 'string'},
	instance: {type: 'string'},
	exec: {type: 'string'},
	debug: {type: 'string'},
	listWorkloads: {type: 'boolean'},
	record: {type: 'string'},
	replay: {type: 'string'},
	trace: {type: 'string'},
} as const;

/** Every spelling yargs-parser may report for a known flag. */
const KNOWN_FLAG_KEYS = new Set<string>([
	...Object.keys(FLAGS),
	...Object.values(FLAGS).flatMap(flag => ('shortFlag' in flag ? [flag.shortFlag] : [])),
	'list-workloads',
	'export-dir',
	'export-top',
	'--',
]);

class UsageError extends Error {}

function fail(message: string): number {
	process.stderr.write(`${PROGRAM}: ${message}\n`);
	return 1;
}

/** yargs-parser reads a lone `-` as a positional argument; `--exec -` means standard input. */
function joinExecStdin(argv: readonly string[]): string[] {
	const joined: string[] = [];
	for (let index = 0; index < argv.length; index++) {
		if (argv[index] === '--exec' && argv[index + 1] === '-') {
			joined.push('--exec=-');
			index++;
		} else {
			joined.push(argv[index]);
		}
	}

	return joined;
}

function parseFlags(argv: string[]): {flags: RawFlags; input: string[]} {
	let cli;
	try {
		cli = meow(HELP_TEXT, {
			importMeta: import.meta,
			argv: joinExecStdin(argv),
			pkg: {name: PROGRAM, version: VERSION},
			autoHelp: false,
			autoVersion: false,
			description: false,
			allowUnknownFlags: true,
			flags: FLAGS,
		});
	} catch (error) {
		// meow rejects a flag given twice ("The flag --x can only be set once.").
		const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
		throw new UsageError(message.replace(/^The flag (\S+) can only be set once\.$/, 'option $1 given more than once'));
	}

	const unknown = Object.keys(cli.unnormalizedFlags).find(key => !KNOWN_FLAG_KEYS.has(key));
	if (unknown !== undefined) {
		throw new UsageError(`unknown option ${unknown.length === 1 ? '-' : '--'}${unknown} (see ${PROGRAM} --help)`);
	}

	return {flags: cli.flags, input: cli.input};
}

/** `-w NAME` is a preset; a value naming an existing file, or ending in .json, is a workload file. */
function resolveWorkload(config: Config): Config {
	const workload = config.workload;
	if (workload === null || workload.kind !== 'preset') return config;
	const name = workload.name;
	const isFile = name.endsWith('.json') || name.includes('/') || (existsSync(name) && statSync(name).isFile());
	if (!isFile) return config;
	const read = readTextFile(name);
	if (!read.ok) throw new UsageError(read.error.message);
	return {...config, workload: {kind: 'file', path: name, text: read.value}};
}

/** `--exec -`: the commands are standard input's lines. */
function resolveExec(config: Config): Config {
	if (!config.isExecFromStdin) return config;
	const read = readTextFile(0, 'standard input');
	if (!read.ok) throw new UsageError(read.error.message);
	return {...config, exec: read.value.split('\n').flatMap(line => splitCommands(line))};
}

/** The source the run reads. `isOnce`: one report, then exit (config/source-options.ts). */
async function createSource(config: Config, isOnce: boolean, traceOut: TraceWriter | null): Promise<SlabSource> {
	if (config.replayFile !== null) {
		const read = readRecording(config.replayFile);
		if (!read.ok) throw new UsageError(read.error.message);
		return createReplaySource(config.replayFile, read.value);
	}

	if (config.source.kind === 'kernel') return createKernelSource(kernelOptions(config, isOnce));
	if (config.source.kind === 'file') return createFileSource(config.source.path);
	if (config.source.kind === 'prometheus') return createPrometheus(config, config.source.url, isOnce);
	const {createSimSource} = await import('./source/sim/simulator.js');
	// A failing --exec command ends the run here, before anything is drawn or printed: its one
	// line on stderr, exit status 1. Answers of commands that succeed are not printed (stdout is
	// the report alone); on the screen they are in the event log.
	const created = createSimSource({...simOptions(config, path => readTextFile(path)), ...(traceOut === null ? {} : {traceOut})});
	if (!created.ok) throw new UsageError(created.error.message);
	return created.value;
}

/** A source that gives one sample already taken (a --once answer from Prometheus). */
function takenSource(kind: SlabSource['kind'], label: string, result: SampleResult): SlabSource {
	return {kind, label, sample: () => result};
}

/**
 * `--source prometheus=URL`: --once takes its one sample here; the screen gets a source that
 * queries in the background, showing --instance or the only host (several hosts and no
 * --instance: the first, with the host picker open).
 */
async function createPrometheus(config: Config, url: string, isOnce: boolean): Promise<SlabSource> {
	const {createPrometheusClient} = await import('./source/sources/prometheus-fetch.js');
	const {createPrometheusSource, fetchHostSample, listHosts, resolveHost, sourceLabel} = await import(
		'./source/sources/prometheus-source.js'
	);
	const client = createPrometheusClient(url);
	if (isOnce) {
		const resolved = await resolveHost(client, config.instance);
		if (!resolved.ok) throw new UsageError(resolved.error.message);
		return takenSource('prometheus', sourceLabel(url, resolved.value), await fetchHostSample(client, resolved.value));
	}

	let host = config.instance;
	let isHostChosen = true;
	if (host === null) {
		const listed = await listHosts(client);
		if (!listed.ok) throw new UsageError(listed.error.message);
		host = listed.value[0];
		isHostChosen = listed.value.length === 1;
	}

	// The screen refreshes at the host's scrape interval unless -d says otherwise.
	const intervals = await client.scrapeIntervals();
	const scrapeIntervalSeconds = intervals.ok ? (intervals.value.get(host) ?? null) : null;
	const source = createPrometheusSource(client, host, {isHostChosen, scrapeIntervalSeconds});
	await source.refresh();
	return source;
}

/** A Prometheus source refreshes the screen at its host's scrape interval, unless -d was given. */
function withScrapeDelay(config: Config, source: SlabSource, isDelayGiven: boolean): Config {
	const interval = 'scrapeIntervalSeconds' in source ? source.scrapeIntervalSeconds : null;
	if (isDelayGiven || typeof interval !== 'number' || interval <= 0) return config;
	return {...config, delaySeconds: Math.max(1, Math.round(interval))};
}

/** `--export-dir DIR`: the source, writing DIR/slabtop_ts.prom at every sample it gives. */
function startExport(config: Config, source: SlabSource): SlabSource {
	if (config.exportDir === null) return source;
	const top = config.exportTop;
	return exportSamples(source, config.exportDir, sample => formatPrometheusText(buildMetrics(sample, {top})));
}

/** The --once report in the chosen format. */
function formatReport(config: Config, sample: Sample): string {
	if (config.format === 'json') return formatJson(sample, config.sortKey);
	if (config.format === 'openmetrics') return formatOpenMetrics(buildMetrics(sample, {top: config.exportTop}));
	return formatOnce(sample, config.sortKey);
}

/** `--record FILE`: the source, writing each sample it gives to FILE. */
function startRecording(config: Config, source: SlabSource): {source: SlabSource; recorder: Recorder | null} {
	if (config.recordFile === null) return {source, recorder: null};
	const opened = openRecorder(config.recordFile, source);
	if (!opened.ok) throw new UsageError(opened.error.message);
	return {source: recordSamples(source, opened.value), recorder: opened.value};
}

/** `--trace FILE`: the file, created before the simulator boots so `--ticks` are traced too. */
function startTrace(config: Config): TraceWriter | null {
	if (config.traceFile === null) return null;
	const opened = openTraceFile(config.traceFile);
	if (!opened.ok) throw new UsageError(opened.error.message);
	return opened.writer;
}

async function listWorkloads(): Promise<number> {
	const {listWorkloads: list} = await import('./source/sim/simulator.js');
	const workloads = list();
	const width = Math.max(0, ...workloads.map(workload => workload.name.length));
	for (const workload of workloads) {
		process.stdout.write(`${workload.name.padEnd(width)}  ${workload.description}\n`);
		for (const phase of workload.phases) {
			// A phase that ends after N allocation failures may end sooner.
			const seconds = `${phase.untilFailures > 0 ? '≤' : ''}${phase.ticks / 100}s`;
			process.stdout.write(`${''.padEnd(width)}    ${`${phase.name} ${seconds}`.padEnd(20)} ${phase.watch}\n`);
		}
	}

	return 0;
}

async function main(argv: string[]): Promise<number> {
	const {flags, input} = parseFlags(argv);
	const parsed = parseConfig(flags, input);
	if (!parsed.ok) return fail(parsed.error.message);
	const action = parsed.value;
	if (action.kind === 'help') {
		process.stdout.write(HELP_TEXT.replace(/^\n/, ''));
		return 0;
	}

	if (action.kind === 'version') {
		process.stdout.write(`${PROGRAM} ${VERSION}\n`);
		return 0;
	}

	if (action.config.listWorkloads) return listWorkloads();
	const config = resolveExec(resolveWorkload(action.config));
	// Without a terminal there is no screen to draw: print one report, as --once would.
	const isOnce = config.once || process.stdout.isTTY !== true;
	if (config.format !== 'text' && !isOnce) return fail(`${config.json ? '--json' : `--format ${config.format}`} needs --once`);

	const traceOut = startTrace(config);
	let created: SlabSource;
	try {
		created = await createSource(config, isOnce, traceOut);
	} catch (error) {
		traceOut?.close();
		throw error;
	}

	const {source, recorder} = startRecording(config, startExport(config, created));
	try {
		if (isOnce) {
			const first = source.sample();
			if (!first.ok) return fail(first.error.message);
			process.stdout.write(formatReport(config, first.value));
			return 0;
		}

		// React reads NODE_ENV when it is first loaded, which is here: its development build
		// makes every frame about a third slower.
		process.env.NODE_ENV ??= 'production';
		// Before the screen opens, check the source can be read (e.g. /proc/slabinfo without root);
		// that sample is the screen's first. A replay starts the screen from its first sample.
		let first: Sample | null = null;
		if (config.replayFile === null) {
			const check = source.sample();
			if (!check.ok) return fail(check.error.message);
			first = check.value;
		}

		const {runUi} = await import('./source/ui/run.js');
		return await runUi(withScrapeDelay(config, created, flags.delay !== undefined), source, first);
	} finally {
		recorder?.close();
		traceOut?.close();
	}
}

// A closed pipe (`| head`) ends the output quietly, as it does for slabtop.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(0);
	throw error;
});

try {
	process.exitCode = await main(process.argv.slice(2));
} catch (error) {
	if (!(error instanceof UsageError)) throw error;
	process.exitCode = fail(error.message);
}
