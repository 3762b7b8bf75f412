// The simulator as a source of statistics: a booted SLUB machine (workload/boot.ts) driven by
// a workload (workload/generator.ts) and by the command bar (execute.ts), sampled into the
// same CacheRows the slabinfo sources give. Main entries: createSimSource(options) and
// listWorkloads(). Startup order: boot, start `-w` (preset or file), run `--exec` commands,
// then advance `--ticks` — so `--once --source sim -w X --seed S --ticks N` is deterministic.
//
// Time: one engine tick is MS_PER_TICK ms of simulated time. Each tick frees the objects whose
// lifetime ended (whoever allocated them), then runs the workload's tick. Events: the engine's
// (allocation failures, debug reports, warnings), workload phase changes and action results,
// and command results, in one log with its own sequence numbers.

import {answerText, type BarCommand, type CommandAnswer} from '../commands/bar-command.js';
import {parseCommand} from '../commands/bar-parse.js';
import {err, ok, type Failure, type Result} from '../result.js';
import {SYSFS_FLAG_BITS, SYSFS_FLAG_FILES} from '../engine/flags.js';
import {
	cacheStats,
	closeTrace,
	eventsSince,
	findCache,
	memoryStats,
	oneCacheStats,
	openTrace,
	slabMap,
	slabObjects,
	slabStates,
	sheafView,
	statCounters,
	tracePipeLine,
	traceRecords,
	traceTickEnd,
	type CacheStats,
	type SlabObjects,
	type StatCounter,
} from '../engine/index.js';
import {bootMachine} from '../workload/boot.js';
import {backgroundWorkload} from '../workload/background.js';
import type {Capture} from '../workload/capture.js';
import {defaultCapture} from '../workload/default-capture.js';
import {demoObjects} from '../workload/demo.js';
import {workloadProgress} from '../workload/generator.js';
import {PRESET_NAMES, resolveWorkload, type WorkloadSpec} from '../workload/presets.js';
import {MS_PER_TICK, tickMachine} from '../workload/tick-machine.js';

/** Milliseconds of simulated time per tick (for `--interval`, which runs the simulator S seconds). */
export {MS_PER_TICK};
import type {Workload} from '../workload/types.js';
import type {CacheRow, SampleResult, SysfsFigures, SysfsValue} from '../sources/source.js';
import {createSimClock} from './clock.js';
import {processRcu} from './kapi.js';
import {createSimState, executeCommand, startNamedWorkload, type ReadWorkloadFile, type SimState} from './execute.js';
import {
	EVENT_LOG_CAPACITY,
	type ExecAnswer,
	type SimDetail,
	type SimEvent,
	type SimSource,
	type SimStatus,
	type TraceState,
	type WorkloadStatus,
} from './types.js';

/** The simulator in this thread: its commands answer at once. */
export type LocalSimSource = Omit<SimSource, 'run' | 'execute'> & {
	run(command: BarCommand, line: string): CommandAnswer;
	execute(line: string): CommandAnswer;
	/** The --exec commands run at start-up and their answers, in order (they stop at the first failure unless keepGoing). */
	readonly execAnswers: ExecAnswer[];
};

export type SimSourceResult = Result<LocalSimSource, Failure<'workload' | 'boot'>>;

/** The simulator's options (config/source-options.ts builds them from the command line). */
export type SimOptions = {
	seed: number;
	/** null: the boot image's CPU count. */
	cpus: number | null;
	/** Simulated RAM in bytes. */
	memoryBytes: number;
	/** slub_debug= flags (SLAB_* bits) and the caches they apply to (empty: all); null: none. */
	debug: {flags: number; caches: readonly string[]} | null;
	/** The workload to start (`-w`), or null. */
	workload: WorkloadSpec | null;
	/** Command-bar lines to run after boot (`--exec`). */
	exec: readonly string[];
	/** Ticks to advance before the first sample (`--ticks`). */
	ticks: number;
	/** Simulated time per real time at start (`--speed`; clock.ts); 1 when not given. */
	speed?: number;
	/** Told how far `ticks` has got, after each PROGRESS_TICKS of them (a long --ticks shows progress). */
	onProgress?: (done: number, total: number) => void;
	/**
	 * Whether samples carry each cache's sysfs figures (only --json and --record use them, and
	 * building them for every cache costs more than the rest of a sample).
	 */
	sysfs: boolean;
	/** Lets `workload <file>` in the command bar read files (cli.tsx passes a node:fs reader). */
	readWorkloadFile?: ReadWorkloadFile;
	/** `--trace FILE`: every traced operation as a trace_pipe line; flushed after each advance. */
	traceOut?: {write(line: string): void; flush(): unknown};
	/** Run every --exec command even after one fails (`--keep-going`); else they stop at the first failure. */
	keepGoing?: boolean;
	/** The capture to boot from (`--boot`); the committed 6.18 capture when absent. */
	capture?: Capture;
};

/** `-w none`: a still machine, not even the background workload. */
const NO_WORKLOAD = 'none';

/** The workload named by -w: a preset or the file cli.tsx read; null for none (`-w none`) or the default background churn. */
function configWorkload(spec: WorkloadSpec | null): Workload | string | null {
	if (spec === null || (spec.kind === 'preset' && spec.name === NO_WORKLOAD)) return null;
	const resolved = resolveWorkload(spec);
	if (resolved.ok) return resolved.value;
	if (resolved.error.kind === 'invalid-file') return resolved.error.message;
	return `unknown workload '${spec.kind === 'preset' ? spec.name : spec.path}' (presets: ${PRESET_NAMES.join(', ')}; none; or a .json file)`;
}

/** A cache as /sys/kernel/slab/<cache>/ shows it: layout, flags, list figures, SLUB_STATS totals. */
function sysfsFigures(st: CacheStats, counters: readonly StatCounter[]): SysfsFigures {
	const {layout} = st;
	const figures: Record<string, SysfsValue> = {
		sysfs_name: st.sysfsName,
		object_size: layout.objectSize,
		slab_size: layout.size,
		align: layout.align,
		order: layout.order,
		objs_per_slab: layout.objects,
		min_partial: layout.minPartial,
		cpu_partial: layout.cpuPartial,
		flags: st.flagNames,
		aliases: st.aliases,
		ctor: st.ctorName ?? '',
		usersize: st.usersize,
		sheaf_capacity: st.sheafCapacity,
		...Object.fromEntries(SYSFS_FLAG_FILES.map(file => [file, (layout.flags & SYSFS_FLAG_BITS[file]) === 0 ? 0 : 1])),
		partial: st.partial,
		objects_partial: st.objectsPartial,
		cpu_slabs: st.cpuSlabs,
		slabs_cpu_partial: st.cpuPartialSlabs,
	};
	for (const counter of counters) figures[counter.name] = counter.total;
	return figures;
}

/** Ticks between two progress reports of a long `--ticks`. */
const PROGRESS_TICKS = 1000;

/** Ticks one elapse() runs at the most at speed max, in-process (the worker runs as many as it can). */
const MAX_SPEED_TICKS = 100;

class Simulator implements LocalSimSource {
	readonly kind = 'sim' as const;
	readonly label = 'sim';
	readonly clock = createSimClock();
	private version = 0;
	private seq = 0;
	private engineSeq = 0;
	private readonly log: SimEvent[] = [];
	private lastFailure: SimEvent | null = null;
	readonly execAnswers: ExecAnswer[] = [];

	/** @param hasSysfs whether samples carry each cache's sysfs figures (SimOptions.sysfs). */
	constructor(
		readonly state: SimState,
		private readonly hasSysfs: boolean,
		private readonly traceOut: SimOptions['traceOut'] | null = null,
	) {
		if (traceOut !== null) {
			openTrace(state.machine.engine, {every: 1, onRecord: r => traceOut.write(tracePipeLine(r))});
		}
	}

	private push(kind: SimEvent['kind'], cache: string, text: string): void {
		this.log.push({seq: ++this.seq, tick: this.state.machine.engine.tick, kind, cache, text});
		if (this.log.length > EVENT_LOG_CAPACITY) this.log.splice(0, this.log.length - EVENT_LOG_CAPACITY);
	}

	/** Move the engine's new events and the workload's log into the event log. */
	private drain(): void {
		const run = this.state.run;
		if (run !== null && run.log.length > 0) {
			for (const entry of run.log) this.push(entry.kind, entry.cache, entry.text);
			run.log.length = 0;
		}
		const e = this.state.machine.engine;
		if (e.eventSeq === this.engineSeq) return;
		for (const ev of eventsSince(e, this.engineSeq)) {
			const entry: SimEvent = {seq: ++this.seq, tick: ev.tick, kind: ev.kind, cache: ev.cache, text: ev.text};
			this.log.push(entry);
			if (ev.kind === 'alloc-failure') this.lastFailure = entry;
		}
		if (this.log.length > EVENT_LOG_CAPACITY) this.log.splice(0, this.log.length - EVENT_LOG_CAPACITY);
		this.engineSeq = e.eventSeq;
	}

	sample(): SampleResult {
		const e = this.state.machine.engine;
		const rows: CacheRow[] = cacheStats(e).map(st => ({
			name: st.name,
			activeObjs: st.activeObjs,
			numObjs: st.numObjs,
			objSize: st.layout.size,
			objsPerSlab: st.layout.objects,
			pagesPerSlab: 1 << st.layout.order,
			activeSlabs: st.activeSlabs,
			numSlabs: st.numSlabs,
			limit: 0,
			batchCount: 0,
			sharedFactor: 0,
			sharedAvail: 0,
			partial: st.partial,
			allocs: st.allocs,
			frees: st.frees,
			allocFail: st.failures,
			sysfs: this.hasSysfs ? sysfsFigures(st, statCounters(e, st.id)) : undefined,
		}));
		return {
			ok: true,
			value: {kind: 'sim', label: this.label, version: ++this.version, timeMs: e.tick * MS_PER_TICK, rows},
		};
	}

	/** The boot image and what of it the model could not reproduce, as the first events. */
	bootInfo(): void {
		const m = this.state.machine;
		const exact = m.capture.caches.length - m.bootExceptions.length;
		this.push(
			'info',
			'',
			`booted from a capture of Linux ${m.capture.kernelRelease} (${m.capture.cpus} CPUs, ${m.capture.capturedAt}): ${exact} of ${m.capture.caches.length} caches as captured`,
		);
		for (const note of m.bootNotes) this.push('warning', '', `boot: ${note}`);
		for (const x of m.bootExceptions) this.push('info', x.cache, `boot: ${x.cache}: ${x.reason}`);
	}

	advance(ticks: number, force = false): void {
		if (this.state.isPaused && !force) return;
		const e = this.state.machine.engine;
		for (let i = 0; i < ticks; i++) {
			tickMachine(this.state.machine, this.state.run);
			for (const text of processRcu(this.state.kapi, this.state.machine.engine)) this.push('info', '', text);
			if (e.trace !== null) traceTickEnd(e.trace);
			this.drain();
		}
		this.traceOut?.flush();
	}

	openTrace(cacheName: string | null): void {
		if (this.traceOut !== null) return;
		openTrace(this.state.machine.engine, {cacheName});
	}

	closeTrace(): void {
		if (this.traceOut === null) closeTrace(this.state.machine.engine);
	}

	trace(afterSeq = 0): TraceState {
		const e = this.state.machine.engine;
		const t = e.trace;
		if (t === null) return {isOpen: false, isFile: false, every: 1, skipped: 0, cacheName: null, records: []};
		return {
			isOpen: true,
			isFile: this.traceOut !== null,
			every: t.every,
			skipped: t.skipped,
			cacheName: t.cacheFilter < 0 ? null : e.caches[t.cacheFilter].name,
			records: traceRecords(t, afterSeq),
		};
	}

	elapse(realMs: number): void {
		if (this.state.isPaused) return;
		this.advance(Number.isFinite(this.clock.speed) ? this.clock.ticksFor(realMs) : MAX_SPEED_TICKS);
	}

	setSpeed(speed: number): void {
		this.clock.setSpeed(speed);
	}

	status(): SimStatus {
		const e = this.state.machine.engine;
		const run = this.state.run;
		let workload: WorkloadStatus | null = null;
		if (run !== null) {
			const phase = run.workload.phases[run.phaseIndex];
			const ticksToNextPhase = run.isFinished || phase === undefined ? 0 : Math.max(0, phase.ticks - run.phaseTick);
			workload = {
				name: run.workload.name,
				...workloadProgress(run),
				isRepeating: run.workload.repeat,
				isFinished: run.isFinished,
				ticksToNextPhase,
			};
		}

		return {
			tick: e.tick,
			timeMs: e.tick * MS_PER_TICK,
			isPaused: this.state.isPaused,
			speed: this.clock.speed,
			behindMs: 0,
			workload,
			cpus: e.cpus,
			memory: memoryStats(e),
			latestEvent: this.log.length === 0 ? null : this.log[this.log.length - 1],
			failures: {count: e.caches.reduce((sum, c) => sum + c.failures, 0), last: this.lastFailure},
		};
	}

	detail(cacheName: string): SimDetail | null {
		const e = this.state.machine.engine;
		const id = findCache(e, cacheName);
		if (id < 0) return null;
		return {
			cache: oneCacheStats(e, id),
			states: slabStates(e, id),
			map: slabMap(e, id),
			counters: statCounters(e, id),
			sheaves: sheafView(e, id),
			demoObjects: id === this.state.machine.demoCache ? demoObjects(e, this.state.demo) : null,
		};
	}

	slab(cacheName: string, slab: number): SlabObjects | null {
		const e = this.state.machine.engine;
		const id = findCache(e, cacheName);
		return id < 0 ? null : slabObjects(e, id, slab);
	}

	events(afterSeq = 0): SimEvent[] {
		return this.log.filter(ev => ev.seq > afterSeq);
	}

	run(command: BarCommand, line: string): CommandAnswer {
		return this.answer(line, executeCommand(this.state, command));
	}

	execute(line: string): CommandAnswer {
		const parsed = parseCommand(line);
		return parsed.ok ? this.run(parsed.value, line) : this.answer(line, parsed);
	}

	/** Logs a command's answer (and what the engine logged meanwhile), and returns it. */
	private answer(line: string, answer: CommandAnswer): CommandAnswer {
		this.push('command', '', `${line.trim()}: ${answerText(answer)}`);
		this.drain();
		return answer;
	}
}

/** Boot the simulator as the config says; a one-line error for anything the user got wrong. */
export function createSimSource(options: SimOptions): SimSourceResult {
	const workload = configWorkload(options.workload);
	if (typeof workload === 'string') return err('workload', workload);
	const booted = bootMachine({
		seed: options.seed,
		cpus: options.cpus,
		memoryBytes: options.memoryBytes,
		debug: options.debug,
		capture: options.capture ?? defaultCapture(),
	});
	if (!booted.ok) return err('boot', booted.error.message);
	const sim = new Simulator(
		createSimState(booted.value, options.readWorkloadFile ?? null),
		options.sysfs,
		options.traceOut ?? null,
	);
	sim.bootInfo();
	// No -w: the machine is alive, as a real one is (background.ts); `-w none` keeps it still.
	const toRun = workload ?? (options.workload === null ? backgroundWorkload(booted.value.capture) : null);
	if (toRun !== null) {
		const started = startNamedWorkload(sim.state, toRun, 1);
		if (!started.ok) return err('workload', started.error.message);
	}
	for (const line of options.exec) {
		const answer = sim.execute(line);
		sim.execAnswers.push({command: line, ok: answer.ok, text: answerText(answer)});
		if (!answer.ok && options.keepGoing !== true) break;
	}
	for (let done = 0; done < options.ticks;) {
		const ticks = Math.min(PROGRESS_TICKS, options.ticks - done);
		sim.advance(ticks, true);
		done += ticks;
		options.onProgress?.(done, options.ticks);
	}

	sim.setSpeed(options.speed ?? 1);
	return ok(sim);
}

/** The workload presets (names and descriptions) for `--list-workloads`. */
export {listPresets as listWorkloads} from '../workload/presets.js';
