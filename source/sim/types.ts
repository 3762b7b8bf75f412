// What the simulator source offers beyond a SlabSource: the detail, memory and event views,
// the command bar, the virtual clock and pause. The UI reaches the engine only through this.
// Implemented by simulated.ts; for kernel/file sources the UI says the view needs the simulator.

import type {BarCommand, CommandAnswer} from '../commands/bar-command.js';
import type {
	CacheStats,
	EngineEvent,
	MemoryStats,
	SheafView,
	SlabStates,
	SlabObjects,
	StatCounter,
	TraceRecord,
	slabMap,
} from '../engine/index.js';
import type {DemoObjectView} from '../workload/demo.js';
import type {SlabSource} from '../sources/source.js';

export type WorkloadStatus = {
	name: string;
	phase: string;
	/** The phase's one line of what to watch ('' for none). */
	watch: string;
	/** The workload starts again after its last phase. */
	isRepeating: boolean;
	phaseIndex: number;
	phaseCount: number;
	/** 0..1 through the current phase. */
	phaseProgress: number;
	/** 0..1 through the whole workload. */
	progress: number;
	isFinished: boolean;
	/** Ticks left in the current phase (0 once the workload is finished). */
	ticksToNextPhase: number;
};

export type SimStatus = {
	tick: number;
	/** Simulated time in ms (tick × MS_PER_TICK). */
	timeMs: number;
	isPaused: boolean;
	/** Simulated time per real time (clock.ts); Infinity: as fast as the machine can go. */
	speed: number;
	/** Simulated milliseconds the simulator is behind the clock (it cannot keep up); 0 when it keeps up. */
	behindMs: number;
	workload: WorkloadStatus | null;
	cpus: number;
	memory: MemoryStats;
	latestEvent: SimEvent | null;
	/** Allocation failures (ENOMEM) since boot, and the newest one's event. */
	failures: {count: number; last: SimEvent | null};
};

/** Engine events plus what the simulator itself logs (workload phases, command results). */
/**
 * Events the log keeps, newest last (the screen's event view shows them all). The engine's own
 * buffer is drained into it on every tick.
 */
export const EVENT_LOG_CAPACITY = 2000;

export type SimEvent = {
	seq: number;
	tick: number;
	kind: EngineEvent['kind'] | 'phase' | 'command';
	cache: string;
	text: string;
};

/** One slab of the detail view's slab map, as the engine's slabMap() gives it. */
export type SlabMapCell = ReturnType<typeof slabMap>[number];

export type SimDetail = {
	cache: CacheStats;
	states: SlabStates;
	map: SlabMapCell[];
	counters: StatCounter[];
	/** A cache with 6.18 sheaves: each CPU's main and spare sheaf, and the barn; else null. */
	sheaves: SheafView | null;
	/** Only for demo_objects: its live objects, as the kmem_cache_demo listing shows them. */
	demoObjects: DemoObjectView[] | null;
};

/** The operation trace as the trace view reads it. */
export type TraceState = {
	isOpen: boolean;
	/** A --trace FILE is being written: every operation of every cache is kept. */
	isFile: boolean;
	/** One operation in `every` is kept (1: all). */
	every: number;
	/** Operations left out by sampling since the trace opened. */
	skipped: number;
	/** Only this cache, or null. */
	cacheName: string | null;
	/** Records newer than the asked sequence number, oldest first. */
	records: TraceRecord[];
};

export type SimSource = SlabSource & {
	readonly kind: 'sim';
	/** Advance the virtual clock by n ticks (no-op while paused unless `force`). */
	advance(ticks: number, force?: boolean): void;
	/** Let `realMs` of real time pass: the clock advances by it times the speed (no-op while paused). */
	elapse(realMs: number): void;
	setSpeed(speed: number): void;
	status(): SimStatus;
	detail(cacheName: string): SimDetail | null;
	/** The objects of one slab of the cache (`slab`: its first frame, as the slab map gives it). */
	slab(cacheName: string, slab: number): SlabObjects | null;
	/** Events newer than afterSeq, oldest first. */
	events(afterSeq?: number): SimEvent[];
	/**
	 * Carry out one parsed command (`line` is how it was typed, for the event log); never throws
	 * for anything a user can type; a refused command changes nothing. The simulator in a worker
	 * thread answers later (a promise); commands run in the order they were given.
	 */
	run(command: BarCommand, line: string): CommandAnswer | Promise<CommandAnswer>;
	/** Parse and run one command-bar line (`--exec`). */
	execute(line: string): CommandAnswer | Promise<CommandAnswer>;
	/** Open the operation trace for one cache (null: every cache); sampled when busy. */
	openTrace(cacheName: string | null): void;
	/** Close it (a --trace FILE stays open). */
	closeTrace(): void;
	/** The trace's state and its records newer than afterSeq. */
	trace(afterSeq?: number): TraceState;
};

/** One --exec command and its answer (`--json` prints these as its `exec` array). */
export type ExecAnswer = {command: string; ok: boolean; text: string};

export function isSimSource(s: SlabSource): s is SimSource {
	return s.kind === 'sim';
}
