// The typed configuration of one run, and its validation: `parseConfig(flags, input)` turns
// the raw flags (config/flags.ts parseArgv) into a Config, or into the one-line error slabtop-ts prints.
// Pure: reading files named on the command line (a workload file, `--exec -`) is cli.tsx's job;
// turning a Config into each source's options is source-options.ts's.
//
// slabtop's own options keep slabtop's checks and messages (procps-ng 4.0.2 src/slabtop.c):
// `-d` must be a decimal integer ("illegal delay: 'x'") of at least 1 ("delay must be positive
// integer"), `-d` and `-o` exclude each other ("Cannot combine -d and -o options"), and `-s`
// takes the first character of its value, lower-cased, with anything unknown meaning `o`.

import {DEFAULT_MEMORY_BYTES as ENGINE_DEFAULT_MEMORY_BYTES, MAX_CPUS as ENGINE_MAX_CPUS} from '../engine/constants.js';
import {cliCommandSection} from '../commands/help.js';
import {SLUB_DEBUG_DEFAULT_FLAGS, SLUB_DEBUG_LETTERS} from '../engine/flags.js';
import {DEFAULT_SORT_KEY, SORT_KEY_DESCRIPTIONS, SORT_KEYS, toSortKey, type SortKey} from '../report/sort.js';
import {err, ok, type Result} from '../result.js';
import {MIN_SPEED, parseSpeed} from '../sim/clock.js';
import type {WorkloadSpec} from '../workload/presets.js';

export type {WorkloadSpec} from '../workload/presets.js';

export const PROGRAM = 'slabtop-ts';

/** Kept equal to package.json's version (a test checks it). */
export const VERSION = '0.1.0';

export type SourceSpec =
	| {kind: 'sim'}
	| {kind: 'kernel'}
	| {kind: 'file'; path: string}
	/** `--source prometheus=URL`: the server's base URL (no trailing slash). */
	| {kind: 'prometheus'; url: string};

/** What `--once` prints: slabtop's table, one JSON document, or OpenMetrics text. */
export type OutputFormat = 'text' | 'json' | 'openmetrics';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'openmetrics'];

/** `--boot`: the simulator's boot image: the committed capture, the live kernel, or a capture file. */
export type BootSpec = {kind: 'default'} | {kind: 'kernel'} | {kind: 'file'; path: string};

/** `--debug=FPZU[,cache…]`, as the kernel's `slub_debug=`. */
export type DebugSpec = {
	/** The SLAB_* debug flags the letters enable (SLUB_DEBUG_LETTERS). */
	flags: number;
	/** Caches the flags apply to; empty means every cache. */
	caches: string[];
};

export type Config = {
	source: SourceSpec;
	/** Seconds between refreshes: `-d`, else 3 for kernel/file and 1 for sim (at most MAX_DELAY_SECONDS). */
	delaySeconds: number;
	/** One line the screen shows first when `-d` was capped, else null. */
	delayNotice: string | null;
	/** Simulated time per real time (`--speed`; sim/clock.ts); Infinity for max. */
	speed: number;
	once: boolean;
	sortKey: SortKey;
	/** `--format`; `--json` is `--format json`. */
	format: OutputFormat;
	/** `--interval S` (with --once): seconds between the two samples whose rates the report gives. */
	intervalSeconds: number | null;
	/** `--export-dir`: write slabtop_ts.prom there at every refresh (node_exporter's textfile collector). */
	exportDir: string | null;
	/** `--export-top N`: export the N largest caches and an `other` bucket; null exports every cache. */
	exportTop: number | null;
	/** `--instance HOST`: the host to show from a Prometheus source; null picks the only one or asks. */
	instance: string | null;
	/** null: the background workload derived from the boot image; `-w none`: a still machine. */
	workload: WorkloadSpec | null;
	seed: number;
	/** null: the boot image's CPU count. */
	cpus: number | null;
	/** Simulated RAM in bytes. */
	memoryBytes: number;
	/** Simulator ticks to run before the first frame. */
	ticks: number;
	/** Command-bar commands to run before the first frame. */
	exec: string[];
	/** `--exec -`: cli.tsx reads the commands from standard input into `exec`. */
	isExecFromStdin: boolean;
	/** `--exec-only`: print the commands' answers and no report. */
	isExecOnly: boolean;
	/** `--keep-going`: a failing --exec command does not stop the others (exit status 1 at the end). */
	isKeepGoing: boolean;
	debug: DebugSpec | null;
	listWorkloads: boolean;
	recordFile: string | null;
	replayFile: string | null;
	/** `--trace FILE`: the simulator's allocator events, trace_pipe style. */
	traceFile: string | null;
	/** `--capture FILE`: write a capture of the running kernel to FILE and exit. */
	captureFile: string | null;
	boot: BootSpec;
};

export const DEFAULT_SEED = 1;
/** The engine's limit, so a CPU count it would refuse is a flag error, not a boot failure. */
export const MAX_CPUS = ENGINE_MAX_CPUS;
export const DEFAULT_MEMORY_BYTES = ENGINE_DEFAULT_MEMORY_BYTES;
export const DEFAULT_KERNEL_DELAY_SECONDS = 3;
export const DEFAULT_SIM_DELAY_SECONDS = 1;
/** The longest delay Node's timers take (2^31 - 1 ms; longer ones fire at once, with a warning). */
export const MAX_DELAY_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
/**
 * `--ticks` at the most: 10^8 ticks of 10 ms are 11.6 simulated days, hours of work for a busy
 * workload; more than that is refused rather than left running silently.
 */
export const MAX_TICKS = 100_000_000;

/** The `slub_debug=` letters: sanity checks, red zones, poisoning, user tracking, tracing. */
const DEBUG_LETTERS = SLUB_DEBUG_LETTERS.map(([letter]) => letter).join('');

/** The flags as parseArgv returns them (`string` flags are '' when given without a value). */
export type RawFlags = {
	delay?: string;
	once?: boolean;
	sort?: string;
	help?: boolean;
	version?: boolean;
	source?: string;
	workload?: string;
	seed?: string;
	cpus?: string;
	memory?: string;
	ticks?: string;
	speed?: string;
	json?: boolean;
	interval?: string;
	format?: string;
	exportDir?: string;
	exportTop?: string;
	instance?: string;
	exec?: string;
	execOnly?: boolean;
	keepGoing?: boolean;
	debug?: string;
	listWorkloads?: boolean;
	record?: string;
	replay?: string;
	trace?: string;
	capture?: string;
	boot?: string;
};

/** What the command line asks for; a usage error is the Result's error. */
export type ConfigAction = {kind: 'run'; config: Config} | {kind: 'help'} | {kind: 'version'};

export type ConfigResult = Result<ConfigAction>;

export const HELP_TEXT = `
Usage:
 ${PROGRAM} [options]

Options:
 -d, --delay <secs>     delay updates (default 3, or 1 for the simulator)
 -o, --once             only display once, then exit
 -s, --sort <char>      specify sort criteria by character (see below)
     --source <src>     sim (default), kernel (/proc/slabinfo), a slabinfo file,
                        or prometheus=URL (a Prometheus server's HTTP API)
     --instance <host>  with a Prometheus source: the host (its instance label)
 -w, --workload <w>     simulator workload: a preset name, a JSON file, or none
     --seed <n>         simulator random seed (default ${DEFAULT_SEED})
     --cpus <n>         simulated CPUs (default: the boot image's)
     --memory <size>    simulated RAM, e.g. 512M, 2G (default 512M)
     --ticks <n>        advance the simulator n ticks before the first frame
     --speed <x>        simulated time per real time: 0.01 to 1000, or max (keys [ ])
     --json             with --once: print one JSON document (as --format json)
     --format <f>       with --once: text (default), json or openmetrics
     --export-dir <dir> write slabtop_ts.prom there at every refresh, for
                        node_exporter's textfile collector
     --export-top <n>   export only the n largest caches, plus an "other" bucket
     --interval <secs>  with --once: take two samples secs apart; --json gives rates
     --exec "<cmd; …>"  run command-bar commands first ("-" reads them from stdin);
                        their answers are printed before the report
     --exec-only        with --exec: print the answers only, no report
     --keep-going       with --exec: run every command even after one fails (exit 1)
     --debug=<FZPUT>[,<cache>…]  SLUB debug flags at boot, as slub_debug=
     --list-workloads   list the workload presets and exit
     --record <file>    record every sample taken to a file (JSON lines)
     --replay <file>    play a recording back, one sample per refresh
     --trace <file>     write the simulator's allocator events to a file (kmem tracepoint lines)
     --capture <file>   write a capture of this machine's slab caches (root) and exit
     --boot <file|kernel>  boot the simulator from a capture (default: a 6.18 machine)

 -h, --help     display this help and exit
 -V, --version  output version information and exit

The following are valid sort criteria:
${SORT_KEYS.map(key => ` ${key}: sort by ${SORT_KEY_DESCRIPTIONS[key]}\n`).join('')}
${cliCommandSection()}
`;

class ConfigError extends Error {}

/** A string flag's value; '' (given without a value) is an error unless `allowEmpty`. */
function value(flags: RawFlags, key: keyof RawFlags, name: string): string | undefined {
	const raw = flags[key];
	if (raw === undefined || typeof raw === 'boolean') return undefined;
	if (raw === '') throw new ConfigError(`option ${name} requires an argument`);
	return raw;
}

/** A whole decimal number in [min, max] (strtol-like: optional sign, no fraction). */
function integer(text: string, name: string, min: number, max: number): number {
	const trimmed = text.trim();
	if (!/^[+-]?\d+$/.test(trimmed)) {
		throw new ConfigError(`${name} must be a whole number, not '${text}'`);
	}

	const number = Number(trimmed);
	if (number < min || number > max) {
		throw new ConfigError(`${name} must be between ${min} and ${max}, not '${text}'`);
	}

	return number;
}

/** `--interval`: seconds, a positive decimal number of at most an hour. */
function parseInterval(text: string): number {
	const number = Number(text);
	if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(number > 0) || number > 3600) {
		throw new ConfigError(`--interval must be a number of seconds above 0 and at most 3600, not '${text}'`);
	}

	return number;
}

/** slabtop's `-d`: strtol_or_err("illegal delay"), then "delay must be positive integer". */
function parseDelay(text: string): number {
	const trimmed = text.trimStart();
	const number = Number(trimmed);
	if (!/^[+-]?\d+$/.test(trimmed) || !Number.isSafeInteger(number)) {
		throw new ConfigError(`illegal delay: '${text}'`);
	}

	if (number < 1) throw new ConfigError('delay must be positive integer');
	return number;
}

const SIZE_UNITS: Record<string, number> = {'': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4};

/** `--memory`: bytes, or a number with a K/M/G/T suffix (powers of 1024; "MB"/"MiB" also read). */
export function parseSize(text: string): number | null {
	const match = /^(\d+)\s*([KMGT]?)(?:i?B)?$/i.exec(text.trim());
	if (match === null) return null;
	const bytes = Number(match[1]) * SIZE_UNITS[match[2].toUpperCase()];
	return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
}

const PROMETHEUS_PREFIX = 'prometheus=';

/** `prometheus=URL`: an http(s) URL, kept without its trailing slashes. */
function parsePrometheusUrl(text: string): string {
	const url = text.slice(PROMETHEUS_PREFIX.length).trim();
	let parsed: URL | null = null;
	try {
		parsed = new URL(url);
	} catch {
		parsed = null;
	}

	if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
		throw new ConfigError(
			`--source prometheus= needs an http:// or https:// URL, not '${url}' (e.g. prometheus=http://localhost:9090)`,
		);
	}

	return url.replace(/\/+$/, '');
}

function parseSource(text: string | undefined): SourceSpec {
	if (text === undefined || text === 'sim') return {kind: 'sim'};
	if (text === 'kernel') return {kind: 'kernel'};
	if (text.startsWith(PROMETHEUS_PREFIX)) return {kind: 'prometheus', url: parsePrometheusUrl(text)};
	return {kind: 'file', path: text};
}

/** `--format`, or `--json`; both given must agree. */
function parseFormat(text: string | undefined, isJson: boolean): OutputFormat {
	if (text === undefined) return isJson ? 'json' : 'text';
	const format = OUTPUT_FORMATS.find(name => name === text);
	if (format === undefined)
		throw new ConfigError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, not '${text}'`);
	if (isJson && format !== 'json') throw new ConfigError(`--json and --format ${format} exclude each other`);
	return format;
}

/** `--debug` value: letters, then optional comma-separated cache names. */
function parseDebug(text: string): DebugSpec {
	const [letters = '', ...caches] = text.split(',');
	let flags = 0;
	for (const letter of letters.toUpperCase()) {
		const entry = SLUB_DEBUG_LETTERS.find(([known]) => known === letter);
		if (entry === undefined) {
			throw new ConfigError(
				`--debug: unknown flag '${letter}' (use the slub_debug letters ${DEBUG_LETTERS.split('').join(' ')})`,
			);
		}

		flags |= entry[1];
	}

	if (caches.some(cache => cache.trim() === '')) {
		throw new ConfigError(`--debug: empty cache name in '${text}' (write --debug=FZ,dentry,kmalloc-64)`);
	}

	return {flags: flags === 0 ? SLUB_DEBUG_DEFAULT_FLAGS : flags, caches: caches.map(cache => cache.trim())};
}

/** `--exec` text: commands separated by `;` or newlines, blanks dropped. */
export function splitCommands(text: string): string[] {
	return text
		.split(/[;\n]/)
		.map(command => command.trim())
		.filter(command => command !== '');
}

/** `--replay` is the source; `--record` must not overwrite the file being read. */
function checkSourceFiles(
	source: SourceSpec,
	isSourceGiven: boolean,
	recordFile: string | null,
	replayFile: string | null,
): void {
	if (replayFile !== null && isSourceGiven) throw new ConfigError('--replay and --source exclude each other');
	const input = replayFile ?? (source.kind === 'file' ? source.path : null);
	if (recordFile !== null && recordFile === input) {
		throw new ConfigError(`--record ${recordFile} would overwrite the file being read`);
	}
}

function buildConfig(flags: RawFlags, input: readonly string[]): Config {
	if (input.length > 0) {
		throw new ConfigError(`unexpected argument '${input[0]}' (see ${PROGRAM} --help)`);
	}

	const delayText = value(flags, 'delay', '-d/--delay');
	const once = flags.once === true;
	if (delayText !== undefined && once) throw new ConfigError('Cannot combine -d and -o options');
	const source = parseSource(value(flags, 'source', '--source'));
	const defaultDelay = source.kind === 'sim' ? DEFAULT_SIM_DELAY_SECONDS : DEFAULT_KERNEL_DELAY_SECONDS;
	const sortText = flags.sort;
	if (sortText === '') throw new ConfigError('option -s/--sort requires an argument');

	const workloadText = value(flags, 'workload', '-w/--workload');
	const memoryText = value(flags, 'memory', '--memory');
	const memoryBytes = memoryText === undefined ? DEFAULT_MEMORY_BYTES : parseSize(memoryText);
	if (memoryBytes === null) {
		throw new ConfigError(`--memory must be a size such as 512M or 2G, not '${memoryText}'`);
	}

	const seedText = value(flags, 'seed', '--seed');
	const cpusText = value(flags, 'cpus', '--cpus');
	const ticksText = value(flags, 'ticks', '--ticks');
	const speedText = value(flags, 'speed', '--speed');
	const speed = speedText === undefined ? 1 : parseSpeed(speedText);
	if (speed === null)
		throw new ConfigError(`--speed must be from ${MIN_SPEED} to 1000 (times real time) or max, not '${speedText}'`);
	const delay = delayText === undefined ? defaultDelay : parseDelay(delayText);
	const execText = value(flags, 'exec', '--exec');
	const captureFile = value(flags, 'capture', '--capture') ?? null;
	const bootText = value(flags, 'boot', '--boot');
	if (bootText !== undefined && (source.kind !== 'sim' || flags.replay !== undefined)) {
		throw new ConfigError('--boot needs the simulator (--source sim)');
	}
	const intervalText = value(flags, 'interval', '--interval');
	const format = parseFormat(value(flags, 'format', '--format'), flags.json === true);
	const exportDir = value(flags, 'exportDir', '--export-dir') ?? null;
	const exportTopText = value(flags, 'exportTop', '--export-top');
	if (exportTopText !== undefined && exportDir === null && format !== 'openmetrics') {
		throw new ConfigError('--export-top needs --export-dir or --format openmetrics');
	}

	const instance = value(flags, 'instance', '--instance') ?? null;
	if (instance !== null && source.kind !== 'prometheus') {
		throw new ConfigError('--instance needs a Prometheus source (--source prometheus=URL)');
	}

	const recordFile = value(flags, 'record', '--record') ?? null;
	const replayFile = value(flags, 'replay', '--replay') ?? null;
	checkSourceFiles(source, flags.source !== undefined, recordFile, replayFile);
	const traceFile = value(flags, 'trace', '--trace') ?? null;
	if (traceFile !== null && (source.kind !== 'sim' || replayFile !== null)) {
		throw new ConfigError('--trace needs the simulator (--source sim), not a replay, file or kernel source');
	}
	// The command bar needs the simulator (the screen says so too): refuse rather than ignore.
	if (execText !== undefined && (source.kind !== 'sim' || replayFile !== null)) {
		throw new ConfigError('--exec needs the simulator (--source sim), not a replay, file or kernel source');
	}

	const isExecOnly = flags.execOnly === true;
	const isKeepGoing = flags.keepGoing === true;
	if (execText === undefined && (isExecOnly || isKeepGoing)) {
		throw new ConfigError(`${isExecOnly ? '--exec-only' : '--keep-going'} needs --exec "<commands>"`);
	}

	return {
		source,
		delaySeconds: Math.min(delay, MAX_DELAY_SECONDS),
		delayNotice:
			delay > MAX_DELAY_SECONDS
				? `-d ${delay}: refreshing every ${MAX_DELAY_SECONDS} s, the longest delay Node's timers allow (space refreshes now)`
				: null,
		speed,
		once,
		sortKey: sortText === undefined ? DEFAULT_SORT_KEY : toSortKey(sortText),
		intervalSeconds: intervalText === undefined ? null : parseInterval(intervalText),
		format,
		exportDir,
		exportTop: exportTopText === undefined ? null : integer(exportTopText, '--export-top', 1, 100_000),
		instance,
		workload: workloadText === undefined ? null : {kind: 'preset', name: workloadText},
		seed: seedText === undefined ? DEFAULT_SEED : integer(seedText, '--seed', 0, 2 ** 32 - 1),
		cpus: cpusText === undefined ? null : integer(cpusText, '--cpus', 1, MAX_CPUS),
		memoryBytes,
		ticks: ticksText === undefined ? 0 : integer(ticksText, '--ticks', 0, MAX_TICKS),
		exec: execText === undefined || execText === '-' ? [] : splitCommands(execText),
		isExecFromStdin: execText === '-',
		isExecOnly,
		isKeepGoing,
		debug: flags.debug === undefined ? null : parseDebug(flags.debug),
		listWorkloads: flags.listWorkloads === true,
		recordFile,
		replayFile,
		traceFile,
		captureFile,
		boot:
			bootText === undefined
				? {kind: 'default'}
				: bootText === 'kernel'
					? {kind: 'kernel'}
					: {kind: 'file', path: bootText},
	};
}

/**
 * Validates parsed flags. `-h` wins over everything, then `-V`; then every other check, each
 * failing with the one line that is printed after `slabtop-ts: `.
 */
export function parseConfig(flags: RawFlags, input: readonly string[] = []): ConfigResult {
	if (flags.help === true) return ok({kind: 'help'});
	if (flags.version === true) return ok({kind: 'version'});
	try {
		return ok({kind: 'run', config: buildConfig(flags, input)});
	} catch (error) {
		if (error instanceof ConfigError) return err('usage', error.message);
		throw error;
	}
}
