#!/usr/bin/env node
// slabtop-ts: flags → Config → a source → the --once report, or the interactive UI.
// Expected failures (bad flags, unreadable or malformed sources) print one line on stderr and
// exit 1; only a bug shows a stack. The once path loads neither React nor Ink nor the
// simulator: those are imported lazily, so `--once --source FILE` starts about as fast as Node.

import {existsSync, openSync, statSync} from 'node:fs';
import process from 'node:process';
import {ReadStream} from 'node:tty';
import {
	HELP_TEXT,
	parseConfig,
	PROGRAM,
	splitCommands,
	VERSION,
	type Config,
	type RawFlags,
} from './source/config/config.js';
import {parseArgv} from './source/config/flags.js';
import {kernelOptions, simOptions} from './source/config/source-options.js';
import {formatOnce} from './source/report/once.js';
import {createFileSource} from './source/sources/file-source.js';
import type {Recorder} from './source/sources/record-write.js';
import {readTextFile} from './source/sources/slabinfo-read.js';
import {openTraceFile, type TraceWriter} from './source/sources/trace-write.js';
import type {Capture} from './source/workload/capture.js';
import type {Sample, SampleResult, SlabSource} from './source/sources/source.js';
import {isSimSource, type ExecAnswer, type SimStatus} from './source/sim/types.js';
import type {JsonExtras} from './source/report/json.js';
import {err, ok, type Result} from './source/result.js';
import {MS_PER_TICK} from './source/engine/constants.js';
import type {ScreenSettings} from './source/ui/app.js';
import {terminalMode} from './source/config/terminal.js';

function fail(message: string): number {
	process.stderr.write(`${PROGRAM}: ${message}\n`);
	return 1;
}

/** `-w NAME` is a preset; a value naming an existing file, or ending in .json, is a workload file. */
function resolveWorkload(config: Config): Result<Config> {
	const workload = config.workload;
	if (workload === null || workload.kind !== 'preset') return ok(config);
	const name = workload.name;
	const isFile = name.endsWith('.json') || name.includes('/') || (existsSync(name) && statSync(name).isFile());
	if (!isFile) return ok(config);
	const read = readTextFile(name);
	if (!read.ok) return read;
	return ok({...config, workload: {kind: 'file', path: name, text: read.value}});
}

/** `--exec -`: the commands are standard input's lines. */
function resolveExec(config: Config): Result<Config> {
	if (!config.isExecFromStdin) return ok(config);
	const read = readTextFile(0, 'standard input');
	if (!read.ok) return read;
	return ok({...config, exec: read.value.split('\n').flatMap(line => splitCommands(line))});
}

/**
 * `--interval S`: the sample S seconds after the last one. The simulator runs S seconds of its
 * own time (so the result stays deterministic); other sources are read again after S seconds.
 */
async function sampleAfter(source: SlabSource, seconds: number): Promise<SampleResult> {
	if (isSimSource(source)) {
		source.advance(Math.round((seconds * 1000) / MS_PER_TICK), true);
	} else await new Promise(resolve => setTimeout(resolve, seconds * 1000));
	return source.sample();
}

/**
 * A source opened for the run: the simulator's --exec answers at start-up (none for other
 * sources), and what ends it (the simulator's worker thread, while the screen runs).
 */
type OpenedSource = {source: SlabSource; execAnswers: readonly ExecAnswer[]; close: () => void};

const opened = (source: SlabSource, execAnswers: readonly ExecAnswer[] = [], close = (): void => {}): OpenedSource => ({
	source,
	execAnswers,
	close,
});

/** The source the run reads. `isOnce`: one report, then exit (config/source-options.ts). */
async function createSource(
	config: Config,
	isOnce: boolean,
	traceOut: TraceWriter | null,
): Promise<Result<OpenedSource>> {
	// Each source's modules are loaded when it is the one asked for: `--once --source FILE`
	// loads only the slabinfo reader and the report.
	if (config.replayFile !== null) {
		const [{readRecording}, {createReplaySource}] = await Promise.all([
			import('./source/sources/record-read.js'),
			import('./source/sources/replay-source.js'),
		]);
		const read = readRecording(config.replayFile);
		if (!read.ok) return read;
		return ok(opened(createReplaySource(config.replayFile, read.value)));
	}

	if (config.source.kind === 'kernel') {
		const {createKernelSource} = await import('./source/sources/kernel-source.js');
		return ok(opened(createKernelSource(kernelOptions(config, isOnce))));
	}

	if (config.source.kind === 'file') return ok(opened(createFileSource(config.source.path)));
	if (config.source.kind === 'prometheus') {
		const prometheus = await createPrometheus(config, config.source.url, isOnce);
		return prometheus.ok ? ok(opened(prometheus.value)) : prometheus;
	}

	const {createSimSource} = await import('./source/sim/simulator.js');
	// The --exec commands run here; main() prints their answers and, without
	// --keep-going, ends the run at the first failure before anything is drawn.
	const capture = await bootCapture(config);
	if (!capture.ok) return capture;
	const options = {
		...simOptions(config, path => readTextFile(path)),
		capture: capture.value,
		onProgress: progressReporter(),
	};
	// The screen runs the simulator in a worker thread (a frame never waits for it). It starts
	// first, booting alongside the simulator booted here, which checks the options (a failing
	// --exec, a bad workload) and gives the first frame. With the screen, `--trace FILE` is the
	// worker's to write (it opens the file itself); without it, this thread's simulator writes it.
	const worker = isOnce
		? null
		: (await import('./source/sim/worker-host.js')).startSimWorker(options, config.traceFile);
	const created = createSimSource({...options, ...(traceOut === null || worker !== null ? {} : {traceOut})});
	if (!created.ok) {
		worker?.close();
		return created;
	}

	const {execAnswers} = created.value;
	if (worker !== null && !config.isKeepGoing && !execAnswers.every(answer => answer.ok)) {
		// The run ends here (main prints the failure): the worker is not needed.
		worker.close();
		return ok(opened(created.value, execAnswers));
	}

	// What the model could not reproduce of the boot image (another kernel, --cpus, --memory): said, never silent.
	for (const ev of created.value.events())
		if (ev.kind === 'warning' && ev.text.startsWith('boot: ')) process.stderr.write(`${PROGRAM}: ${ev.text}\n`);
	if (worker === null) return ok(opened(created.value, execAnswers));
	const local = created.value;
	const sampled = local.sample();
	if (!sampled.ok) {
		worker.close();
		return sampled;
	}

	const source = worker.attach({sample: sampled.value, status: local.status(), events: local.events()});
	return ok(
		opened(source, execAnswers, () => {
			source.close();
		}),
	);
}

/**
 * `--ticks` progress on a terminal's standard error: after the first second, a line rewritten
 * at most five times a second, erased when done; nothing when standard error is not a terminal.
 */
function progressReporter(): ((done: number, total: number) => void) | undefined {
	if (process.stderr.isTTY !== true) return undefined;
	const start = performance.now();
	let shownAt = 0;
	return (done, total) => {
		const now = performance.now();
		if (done >= total) {
			if (shownAt > 0) process.stderr.write('\r\u001B[K');
			return;
		}

		if (now - start < 1000 || now - shownAt < 200) return;
		shownAt = now;
		process.stderr.write(
			`\r${PROGRAM}: --ticks: ${done} of ${total} (${Math.floor((done / total) * 100)}%), Ctrl-C stops\u001B[K`,
		);
	};
}

const CAPTURE_COMMAND = `${PROGRAM} --capture FILE`;

/** A capture of the running kernel, or the one-line reason there is none. */
async function liveCapture(): Promise<Result<Capture>> {
	const {captureLive} = await import('./source/sources/capture-read.js');
	const captured = captureLive({today: new Date().toISOString().slice(0, 10), command: CAPTURE_COMMAND});
	return captured.ok ? captured : err(captured.error.kind, `--capture: ${captured.error.message}`);
}

/** `--boot FILE|kernel`: the capture to boot from; undefined for the committed default. */
async function bootCapture(config: Config): Promise<Result<Capture | undefined>> {
	const boot = config.boot;
	if (boot.kind === 'default') return ok(undefined);
	if (boot.kind === 'kernel') return liveCapture();
	const {readCapture} = await import('./source/sources/capture-read.js');
	return readCapture(boot.path);
}

/** `--capture FILE`: write a capture of this machine, say what was written. */
async function writeLiveCapture(file: string): Promise<number> {
	const captured = await liveCapture();
	if (!captured.ok) return fail(captured.error.message);
	const capture = captured.value;
	const {writeCapture} = await import('./source/sources/capture-read.js');
	const written = writeCapture(file, capture);
	if (!written.ok) return fail(written.error.message);
	process.stdout.write(
		`${file}: ${capture.caches.length} caches of Linux ${capture.kernelRelease}, ${capture.cpus} CPUs\n`,
	);
	return 0;
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
async function createPrometheus(config: Config, url: string, isOnce: boolean): Promise<Result<SlabSource>> {
	const {createPrometheusClient} = await import('./source/sources/prometheus-fetch.js');
	const {createPrometheusSource, fetchHostSample, listHosts, resolveHost, sourceLabel} =
		await import('./source/sources/prometheus-source.js');
	const client = createPrometheusClient(url);
	if (isOnce) {
		const resolved = await resolveHost(client, config.instance);
		if (!resolved.ok) return resolved;
		return ok(
			takenSource('prometheus', sourceLabel(url, resolved.value), await fetchHostSample(client, resolved.value)),
		);
	}

	let host = config.instance;
	let isHostChosen = true;
	if (host === null) {
		const listed = await listHosts(client);
		if (!listed.ok) return listed;
		host = listed.value[0];
		isHostChosen = listed.value.length === 1;
	}

	// The screen refreshes at the host's scrape interval unless -d says otherwise.
	const intervals = await client.scrapeIntervals();
	const scrapeIntervalSeconds = intervals.ok ? (intervals.value.get(host) ?? null) : null;
	const source = createPrometheusSource(client, host, {isHostChosen, scrapeIntervalSeconds});
	await source.refresh();
	return ok(source);
}

/** A Prometheus source refreshes the screen at its host's scrape interval, unless -d was given. */
function withScrapeDelay(config: Config, source: SlabSource, isDelayGiven: boolean): Config {
	const interval = 'scrapeIntervalSeconds' in source ? source.scrapeIntervalSeconds : null;
	if (isDelayGiven || typeof interval !== 'number' || interval <= 0) return config;
	return {...config, delaySeconds: Math.max(1, Math.round(interval))};
}

/** `--export-dir DIR`: the source, writing DIR/slabtop_ts.prom at every sample it gives. */
async function startExport(config: Config, source: SlabSource): Promise<SlabSource> {
	if (config.exportDir === null) return source;
	const [{buildMetrics, formatPrometheusText}, {exportSamples}] = await Promise.all([
		import('./source/report/openmetrics.js'),
		import('./source/sources/textfile-write.js'),
	]);
	const top = config.exportTop;
	return exportSamples(source, config.exportDir, sample => formatPrometheusText(buildMetrics(sample, {top})));
}

/**
 * The --once report in the chosen format: the text report as bytes (names as the file had them,
 * as slabtop prints them), JSON (with rates when `previous` is given) and OpenMetrics as UTF-8.
 */
async function formatReport(
	config: Config,
	sample: Sample,
	previous: Sample | null,
	extras: JsonExtras = {},
): Promise<string | Buffer> {
	if (config.format === 'json') {
		const {formatJson} = await import('./source/report/json.js');
		return formatJson(sample, config.sortKey, previous, extras);
	}

	if (config.format === 'openmetrics') {
		const {buildMetrics, formatOpenMetrics} = await import('./source/report/openmetrics.js');
		return formatOpenMetrics(buildMetrics(sample, {top: config.exportTop}));
	}

	return Buffer.from(formatOnce(sample, config.sortKey), 'latin1');
}

/** A failed --exec command on stderr: `slabtop-ts: --exec 'cmd': error` (a report's further lines as they are). */
function execError(answer: ExecAnswer): void {
	process.stderr.write(`${PROGRAM}: --exec '${answer.command}': ${answer.text}\n`);
}

/** The --exec answers in order: each answer on stdout (the module's /proc answers, `show`'s report, …), each failure on stderr. */
function printExecText(answers: readonly ExecAnswer[]): void {
	for (const answer of answers) {
		if (answer.ok) process.stdout.write(`${answer.text}\n`);
		else execError(answer);
	}
}

/**
 * --once with --exec: the answers before the report (text: on stdout; --json: the document's
 * `exec`; OpenMetrics: only with --exec-only, the metrics stay a metrics document). Returns the
 * JSON extras, or null when --exec-only means no report.
 */
function printExecAnswers(config: Config, source: SlabSource, answers: readonly ExecAnswer[]): JsonExtras | null {
	if (config.format !== 'json') {
		if (config.format === 'text' || config.isExecOnly) printExecText(answers);
		else for (const answer of answers) if (!answer.ok) execError(answer);
		return config.isExecOnly ? null : {};
	}

	for (const answer of answers) if (!answer.ok) execError(answer);
	if (config.isExecOnly) {
		process.stdout.write(`${JSON.stringify({exec: answers}, null, 2)}\n`);
		return null;
	}

	const hasExec = config.exec.length > 0 || config.isExecFromStdin;
	return {
		exec: hasExec ? answers : undefined,
		workload: isSimSource(source) ? workloadJson(source.status()) : undefined,
	};
}

/** The JSON document's `workload`: the running (or finished) workload, null when there is none. */
function workloadJson(status: SimStatus): JsonExtras['workload'] {
	const workload = status.workload;
	if (workload === null) return null;
	return {name: workload.name, phase: workload.phase, tick: status.tick, finished: workload.isFinished};
}

/** `--record FILE`: the source, writing each sample it gives to FILE. */
async function startRecording(
	config: Config,
	source: SlabSource,
): Promise<Result<{source: SlabSource; recorder: Recorder | null}>> {
	if (config.recordFile === null) return ok({source, recorder: null});
	const {openRecorder, recordSamples} = await import('./source/sources/record-write.js');
	const opened = openRecorder(config.recordFile, source);
	if (!opened.ok) return opened;
	return ok({source: recordSamples(source, opened.value), recorder: opened.value});
}

/**
 * Where the screen reads keys: standard input when it is a terminal, else the process's
 * controlling terminal (/dev/tty), as `echo show | slabtop-ts --exec -` needs; or why neither can be.
 */
function openKeyboard(): {ok: true; stdin: NodeJS.ReadStream} | {ok: false; message: string} {
	if (process.stdin.isTTY) return {ok: true, stdin: process.stdin};
	try {
		const stream = new ReadStream(openSync('/dev/tty', 'r'));
		if (stream.isTTY) return {ok: true, stdin: stream};
		stream.destroy();
	} catch (error) {
		const code = error instanceof Error && 'code' in error ? ` (${String(error.code)})` : '';
		return {ok: false, message: `standard input is not a terminal and /dev/tty cannot be opened${code}: use --once`};
	}

	return {ok: false, message: 'standard input is not a terminal and /dev/tty is not one: use --once'};
}

/** `--trace FILE`: the file, created before the simulator boots so `--ticks` are traced too. */
function startTrace(config: Config): Result<TraceWriter | null> {
	if (config.traceFile === null) return ok(null);
	return openTraceFile(config.traceFile);
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

/**
 * The settings file for the screen: its sort and delay unless -s / -d are given, its columns,
 * direction and palette (NO_COLOR wins), and how the column picker saves a new choice. A file
 * that cannot be used is one line on the status line; the screen starts with the defaults.
 */
async function screenSettings(
	config: Config,
	flags: RawFlags,
): Promise<{screenConfig: Config; settings: ScreenSettings}> {
	const {readSettings, settingsPath, writeSettings} = await import('./source/config/config-file.js');
	const file = settingsPath(process.env);
	const read = readSettings(file);
	const saved = read.ok ? read.value : {};
	const screenConfig: Config = {
		...config,
		sortKey: flags.sort === undefined && saved.sort !== undefined ? saved.sort : config.sortKey,
		delaySeconds: flags.delay === undefined && saved.delay !== undefined ? saved.delay : config.delaySeconds,
	};
	const settings: ScreenSettings = {
		columns: saved.columns,
		reversed: saved.reverse,
		palette: terminalMode(process.env, true, saved.palette ?? 'color').palette,
		note: read.ok ? null : read.error.message,
		fileNote:
			file === null
				? 'The choice is kept for this run only (neither XDG_CONFIG_HOME nor HOME is set).'
				: `Esc saves the choice, the sort and the delay to ${file}`,
		save(chosen) {
			const settingsToSave = {
				...saved,
				sort: chosen.sortKey,
				reverse: chosen.reversed,
				delay: Math.max(1, Math.round(chosen.delayMs / 1000)),
				columns: [...chosen.columns],
			};
			const written = writeSettings(file, settingsToSave);
			return written.ok ? ok(`settings saved to ${file ?? ''}`) : err('refused', written.error.message);
		},
	};
	return {screenConfig, settings};
}

async function main(argv: string[]): Promise<number> {
	const argvParsed = parseArgv(argv);
	if (!argvParsed.ok) return fail(argvParsed.error.message);
	const {flags, input} = argvParsed.value;
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
	if (action.config.captureFile !== null) return writeLiveCapture(action.config.captureFile);
	const resolved = resolveWorkload(action.config);
	const withExec = resolved.ok ? resolveExec(resolved.value) : resolved;
	if (!withExec.ok) return fail(withExec.error.message);
	const config = withExec.value;
	// Without a screen (not a terminal, or TERM=dumb) there is nothing to draw: one report, as --once.
	const mode = terminalMode(process.env, process.stdout.isTTY === true);
	const isOnce = config.once || !mode.isScreen;
	if (config.format !== 'text' && !isOnce)
		return fail(`${config.format === 'json' ? '--json' : `--format ${config.format}`} needs --once`);
	if (config.intervalSeconds !== null && !isOnce) return fail('--interval needs --once');

	const traced = startTrace(config);
	if (!traced.ok) return fail(traced.error.message);
	const traceOut = traced.value;
	const createdResult = await createSource(config, isOnce, traceOut);
	if (!createdResult.ok) {
		traceOut?.close();
		return fail(createdResult.error.message);
	}

	const {source: created, execAnswers: answers, close: closeSource} = createdResult.value;

	const isExecOk = answers.every(answer => answer.ok);
	// Without --keep-going a failing --exec command ends the run before anything is drawn or
	// reported: the answers before it on stdout, its error on stderr, exit status 1.
	if (!isExecOk && !config.isKeepGoing) {
		traceOut?.close();
		if (isOnce && config.format === 'text') printExecText(answers);
		else execError(answers[answers.length - 1]);
		return 1;
	}

	const execStatus = isExecOk ? 0 : 1;
	const recording = await startRecording(config, await startExport(config, created));
	if (!recording.ok) {
		closeSource();
		traceOut?.close();
		return fail(recording.error.message);
	}

	const {source, recorder} = recording.value;
	let status = 0;
	let hangupStatus = -1;
	let onHangup = (): void => {};
	try {
		if (isOnce) {
			const extras = printExecAnswers(config, created, answers);
			if (extras === null) return execStatus;
			const first = source.sample();
			if (!first.ok) return fail(first.error.message);
			let previous: Sample | null = null;
			let sample = first.value;
			if (config.intervalSeconds !== null) {
				const second = await sampleAfter(source, config.intervalSeconds);
				if (!second.ok) return fail(second.error.message);
				previous = sample;
				sample = second.value;
			}

			process.stdout.write(await formatReport(config, sample, previous, extras));
			return execStatus;
		}

		// React reads NODE_ENV when it is first loaded, which is here: its development build
		// makes every frame about a third slower.
		process.env.NODE_ENV ??= 'production';
		// Before the screen opens, check the source can be read (e.g. /proc/slabinfo without root);
		// that sample is the screen's first. A replay starts the screen from its first sample.
		const {screenConfig, settings} = await screenSettings(config, flags);
		// The screen tells the kernel source which caches' sysfs figures it shows; until then, none.
		if (source.kind === 'kernel') {
			const {isKernelSource} = await import('./source/sources/kernel-source.js');
			if (isKernelSource(source)) source.setSysfsRequest({names: [], listFiles: [], detail: null});
		}
		let first: Sample | null = null;
		if (config.replayFile === null) {
			const check = source.sample();
			if (!check.ok) return fail(check.error.message);
			first = check.value;
		}

		const keyboard = openKeyboard();
		if (!keyboard.ok) return fail(keyboard.message);
		// Before Ink loads: its fixes (source/ui/ink-fixes-hook.ts).
		const {fixInk} = await import('./source/ui/ink-fixes.js');
		fixInk();
		const {runUi, endAfterHangup, HANGUP_STATUS} = await import('./source/ui/run.js');
		hangupStatus = HANGUP_STATUS;
		onHangup = endAfterHangup;
		isScreenOpen = true;
		try {
			const terminal = {stdin: keyboard.stdin, stdout: process.stdout};
			status = await runUi(
				withScrapeDelay(screenConfig, created, flags.delay !== undefined),
				source,
				first,
				settings,
				terminal,
			);
			return status === hangupStatus ? status : Math.max(status, execStatus);
		} finally {
			isScreenOpen = false;
		}
	} finally {
		closeSource();
		recorder?.close();
		traceOut?.close();
		// The terminal hung up: end as the hangup would have (after the recording is closed).
		if (status === hangupStatus) onHangup();
	}
}

/** Whether the screen is open: it handles errors of its own terminal (ui/run.tsx). */
let isScreenOpen = false;

// A closed pipe (`| head`) ends the output quietly, as it does for slabtop; a terminal that
// went away (EIO) ends it with the hangup status, 129.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (isScreenOpen) return;
	if (error.code === 'EPIPE') process.exit(0);
	if (error.code === 'EIO') process.exit(129);
	throw error;
});

process.exitCode = await main(process.argv.slice(2));
