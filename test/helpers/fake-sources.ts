// Fake sources for the UI's tests and bench: `cacheRow(name, figures)`, `fakeSource(rowsList)`
// (a slabinfo-like source that returns the given samples in turn, then repeats the last), and
// `fakeSimSource(options)` (a SimSource with fixed status, detail, events and a command log).

import type {
	CacheStats,
	MemoryStats,
	SlabInfo,
	SlabStates,
	StatCounter,
	TraceRecord,
} from '../../source/engine/index.js';
import type {SimDetail, SimEvent, SimSource, SimStatus} from '../../source/sim/types.js';
import type {BarCommand, CommandAnswer} from '../../source/commands/bar-command.js';
import {parseCommand} from '../../source/commands/bar-parse.js';
import type {CacheRow, SampleResult, SlabSource, SourceKind} from '../../source/sources/source.js';
import {createSimClock} from '../../source/sim/clock.js';

/**
 * A SLUB-style row: 4 full slabs of 32 objects of 128 bytes unless `figures` says otherwise
 * (every field given is used as given, zeros included; num_objs defaults to num_slabs × objperslab
 * and active_objs to num_objs).
 */
export function cacheRow(name: string, figures: Partial<CacheRow> = {}): CacheRow {
	const objsPerSlab = figures.objsPerSlab ?? 32;
	const numSlabs = figures.numSlabs ?? 4;
	const numObjs = figures.numObjs ?? numSlabs * objsPerSlab;
	return {
		name,
		activeObjs: figures.activeObjs ?? numObjs,
		numObjs,
		objSize: figures.objSize ?? 128,
		objsPerSlab,
		pagesPerSlab: figures.pagesPerSlab ?? 1,
		activeSlabs: figures.activeSlabs ?? numSlabs,
		numSlabs,
		limit: figures.limit ?? 0,
		batchCount: figures.batchCount ?? 0,
		sharedFactor: figures.sharedFactor ?? 0,
		sharedAvail: figures.sharedAvail ?? 0,
		partial: figures.partial ?? null,
		allocs: figures.allocs ?? null,
		frees: figures.frees ?? null,
		...(figures.sysfs === undefined ? {} : {sysfs: figures.sysfs}),
		...(figures.allocFail === undefined ? {} : {allocFail: figures.allocFail}),
		...(figures.estimated === undefined ? {} : {estimated: figures.estimated}),
		...(figures.rates === undefined ? {} : {rates: figures.rates}),
		...(figures.trend === undefined ? {} : {trend: figures.trend}),
	};
}

export type FakeSource = SlabSource & {readonly calls: number};

/** A source returning `samples[0]`, `samples[1]`, … one per sample(), `stepMs` apart; the last repeats. */
export function fakeSource(
	samples: ReadonlyArray<readonly CacheRow[]>,
	kind: SourceKind = 'file',
	stepMs = 1000,
): FakeSource {
	let calls = 0;
	const label = kind === 'file' ? 'fixture.txt' : kind === 'kernel' ? '/proc/slabinfo' : 'sim';
	return {
		kind,
		label,
		get calls() {
			return calls;
		},
		sample(): SampleResult {
			const rows = samples[Math.min(calls, samples.length - 1)];
			calls++;
			return {ok: true, value: {kind, label, version: calls, timeMs: calls * stepMs, rows}};
		},
	};
}

/** `count` caches named cache-000…, with distinct figures so every sort key orders them. */
export function manyRows(count: number, seed = 0): CacheRow[] {
	const rows: CacheRow[] = [];
	for (let index = 0; index < count; index++) {
		const mix = (index * 7919 + seed * 104_729) % 1009;
		const numSlabs = 1 + (mix % 97);
		const objsPerSlab = 4 + (mix % 61);
		rows.push(
			cacheRow(`cache-${String(index).padStart(3, '0')}`, {
				numSlabs,
				objsPerSlab,
				activeObjs: Math.floor((numSlabs * objsPerSlab * (50 + (mix % 50))) / 100),
				objSize: 8 * (1 + (mix % 512)),
				pagesPerSlab: 2 ** (mix % 4),
				partial: mix % 5,
				allocs: 1000 * index + seed * 37,
				frees: 900 * index + seed * 23,
			}),
		);
	}

	return rows;
}

const MEMORY: MemoryStats = {
	totalPages: 131_072,
	freePages: 120_000,
	slabPages: 10_000,
	largeKmallocPages: 0,
	largeKmallocs: 0,
	freeBlocks: [12, 7, 5, 3, 2, 1, 0, 1, 0, 2, 113],
	unusable: [0, 0.0001, 0.0003, 0.0006, 0.001, 0.002, 0.003, 0.003, 0.01, 0.01, 0.02],
};

function slab(index: number, inuse: number, objects: number, cpu: number): SlabInfo {
	return {slab: index, address: index * 4096, inuse, objects, cpu};
}

const STATES: SlabStates = {
	cpuSlab: [slab(40, 10, 16, 0), null],
	cpuFreelistLength: [3, 0],
	cpuPartial: [[slab(41, 4, 16, 0)], []],
	nodePartial: [slab(42, 1, 16, -1), slab(43, 8, 16, -1)],
	full: 5,
};

function stats(name: string, row: CacheRow): CacheStats {
	return {
		id: 7,
		name,
		sysfsName: `:A-0000${row.objSize}`,
		aliases: name === 'demo_objects' ? [] : ['alias-one', 'alias-two'],
		layout: {
			objectSize: row.objSize - 8,
			size: row.objSize,
			align: 8,
			inuse: row.objSize - 8,
			offset: 56,
			redLeftPad: 0,
			isFreePointerAfter: false,
			order: 0,
			objects: row.objsPerSlab,
			minOrder: 0,
			minObjects: row.objsPerSlab,
			minPartial: 5,
			cpuPartial: 30,
			cpuPartialSlabs: 2,
			flags: 0,
		},
		flagNames: ['HWCACHE_ALIGN'],
		ctorName: name === 'demo_objects' ? 'object_ctor' : null,
		refcount: 1,
		usersize: 0,
		sheafCapacity: 0,
		activeObjs: row.activeObjs,
		numObjs: row.numObjs,
		activeSlabs: row.activeSlabs,
		numSlabs: row.numSlabs,
		partial: 2,
		objectsPartial: 9,
		cpuSlabs: 2,
		cpuPartialSlabs: 1,
		full: 5,
		inUse: row.activeObjs,
		allocs: 500,
		frees: 400,
		failures: 0,
		pages: row.numSlabs * row.pagesPerSlab,
	};
}

const COUNTERS: StatCounter[] = [
	{name: 'alloc_fastpath', total: 480, perCpu: [300, 180]},
	{name: 'alloc_slowpath', total: 20, perCpu: [12, 8]},
	{name: 'free_fastpath', total: 0, perCpu: [0, 0]},
	{name: 'alloc_slab', total: 9, perCpu: [5, 4]},
];

export type FakeSimOptions = {
	rows?: readonly CacheRow[];
	events?: SimEvent[];
	/** Slabs in every cache's slab map. */
	mapSlabs?: number;
	answer?: CommandAnswer;
	/** What trace() returns while the trace is open. */
	traceRecords?: TraceRecord[];
};

export type FakeSimSource = SimSource & {
	/** The lines of the commands run, in order. */
	readonly executed: string[];
	/** The commands run, in order. */
	readonly commands: BarCommand[];
	readonly advanced: number[];
	/** openTrace() arguments, and null entries for closeTrace(). */
	readonly traceCalls: Array<{open: string | null} | null>;
};

/** A SimSource with fixed figures; commands are recorded and answered with `options.answer` (pause and resume work). */
export function fakeSimSource(options: FakeSimOptions = {}): FakeSimSource {
	const rows = options.rows ?? [
		cacheRow('kmalloc-64', {objSize: 64}),
		cacheRow('demo_objects', {objSize: 128, numSlabs: 2}),
	];
	const events = options.events ?? [];
	const executed: string[] = [];
	const commands: BarCommand[] = [];
	const advanced: number[] = [];
	const traceCalls: Array<{open: string | null} | null> = [];
	let traceCache: string | null | undefined;
	let tick = 1234;
	let isPaused = false;
	const clock = createSimClock(1);
	let version = 0;
	const status = (): SimStatus => ({
		tick,
		timeMs: tick * 10,
		isPaused,
		speed: clock.speed,
		behindMs: 0,
		workload: {
			name: 'steady',
			phase: 'churn',
			watch: '',
			isRepeating: true,
			phaseIndex: 1,
			phaseCount: 3,
			phaseProgress: 0.5,
			progress: 0.4,
			isFinished: false,
			ticksToNextPhase: 150,
		},
		cpus: 2,
		memory: MEMORY,
		latestEvent: events.length === 0 ? null : events[events.length - 1],
		failures: {count: 0, last: null},
	});
	return {
		kind: 'sim',
		label: 'sim',
		executed,
		commands,
		advanced,
		traceCalls,
		openTrace(cacheName) {
			traceCalls.push({open: cacheName});
			traceCache = cacheName;
		},
		closeTrace() {
			traceCalls.push(null);
			traceCache = undefined;
		},
		trace(afterSeq = 0) {
			if (traceCache === undefined)
				return {isOpen: false, isFile: false, every: 1, skipped: 0, cacheName: null, records: []};
			const records = (options.traceRecords ?? []).filter(r => r.seq > afterSeq);
			return {isOpen: true, isFile: false, every: 1, skipped: 0, cacheName: traceCache, records};
		},
		sample: () => {
			version++;
			return {ok: true, value: {kind: 'sim', label: 'sim', version, timeMs: tick * 10, rows}};
		},
		advance(ticks, force = false) {
			advanced.push(ticks);
			if (!isPaused || force) tick += ticks;
		},
		elapse(realMs) {
			// The clock of a real simulator (sim/clock.ts): 10 ms ticks at the speed, the fraction kept.
			if (!isPaused) this.advance(clock.ticksFor(realMs));
		},
		setSpeed(next) {
			clock.setSpeed(next);
		},
		status,
		slab: () => null,
		detail(name): SimDetail | null {
			const row = rows.find(candidate => candidate.name === name);
			if (row === undefined) return null;
			const mapSlabs = options.mapSlabs ?? 12;
			return {
				cache: stats(name, row),
				states: STATES,
				map: Array.from({length: mapSlabs}, (_, index) => ({
					slab: index,
					used: index % (row.objsPerSlab + 1),
					objects: row.objsPerSlab,
					state: 3,
				})),
				counters: COUNTERS,
				sheaves:
					name === 'vm_area_struct'
						? {
								capacity: 32,
								cpus: [
									{main: 12, spare: 32},
									{main: 0, spare: null},
								],
								barnFull: 3,
								barnEmpty: 1,
								maxFull: 10,
								objects: 140,
							}
						: null,
				demoObjects:
					name === 'demo_objects'
						? [
								{id: 1, address: 0x1000, data: 'world', accessCount: 2, allocatedTick: 1200},
								{id: 0, address: 0x1080, data: 'hello', accessCount: 0, allocatedTick: 1000},
							]
						: null,
			};
		},
		events: (afterSeq = 0) => events.filter(event => event.seq > afterSeq),
		run(command, line) {
			executed.push(line);
			commands.push(command);
			if (command.kind === 'pause' || command.kind === 'resume') isPaused = command.kind === 'pause';
			return options.answer ?? {ok: true, value: `done: ${line}`};
		},
		execute(line) {
			const parsed = parseCommand(line);
			return parsed.ok ? this.run(parsed.value, line) : parsed;
		},
	};
}
