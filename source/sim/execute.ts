// Carries out a parsed command-bar command on the simulated machine and answers it. Every
// command answers with one CommandAnswer (commands/bar-command.ts); every check happens before the engine is touched,
// so a bad command changes nothing. Main entries: createSimState() (the state the simulator
// source owns) and executeCommand().
//
// Objects from `alloc -c` are held per cache by the command bar (newest last) so that
// `free -c` can free them again, newest first; the demo module's objects live on its own list
// in the simulated memory (workload/demo.ts); workload and boot objects are in the pools.

import {
	allocBulk,
	createCache,
	destroyCache,
	findCache,
	freeBulk,
	liveObjects,
	oneCacheStats,
	setCaller,
	shrinkCache,
	checkCacheModel,
	validateSlabCache,
	eventsSince,
	type Engine,
} from '../engine/index.js';
import {answered, refused, type BarCommand, type CommandAnswer, type Refusal} from '../commands/bar-command.js';
import {commandHelp} from '../commands/help.js';
import type {Machine} from '../workload/boot.js';
import {zeroingCtor} from '../workload/boot-capture.js';
import {
	createDemo,
	DEMO_CACHE,
	demoAccess,
	demoAlloc,
	demoFree,
	demoFreeAll,
	demoShow,
	type DemoState,
} from '../workload/demo.js';
import {startWorkload, workloadProgress, type WorkloadRun} from '../workload/generator.js';
import {PRESET_NAMES, resolveWorkload} from '../workload/presets.js';
import {dropCaches, dropCachesMessage, shrinkAll} from '../workload/reclaim.js';
import type {Workload} from '../workload/types.js';
import {ok, type Result} from '../result.js';
import {MS_PER_TICK} from '../workload/tick-machine.js';
import {createKapiState, executeKapi, flushRcu, handleObjects, type KapiState} from './kapi.js';

/** Reads a workload file named in `workload <file>`: its text, or a one-line error. */
export type ReadWorkloadFile = (path: string) => Result<string>;

/** Objects `alloc -c` handed to the command bar, per cache. */
type Held = {objs: Int32Array; length: number};

export type SimState = {
	readonly machine: Machine;
	readonly demo: DemoState;
	readonly held: Map<number, Held>;
	/** Object handles and pending kfree_rcu of the kernel-API commands (kapi.ts). */
	readonly kapi: KapiState;
	run: WorkloadRun | null;
	isPaused: boolean;
	readonly readWorkloadFile: ReadWorkloadFile | null;
};

/** The CPU the command bar runs on, for the demo module's commands. */
const COMMAND_CPU = 0;

export function createSimState(machine: Machine, readWorkloadFile: ReadWorkloadFile | null): SimState {
	return {
		machine,
		demo: createDemo(),
		held: new Map(),
		kapi: createKapiState(),
		run: null,
		isPaused: false,
		readWorkloadFile,
	};
}

function heldOf(state: SimState, cache: number): Held {
	let held = state.held.get(cache);
	if (held === undefined) {
		held = {objs: new Int32Array(16), length: 0};
		state.held.set(cache, held);
	}
	return held;
}

/** The live cache a name (or alias) refers to, or an error outcome. */
function lookup(e: Engine, name: string): Result<number, Refusal> {
	const id = findCache(e, name);
	if (id < 0)
		return refused(`no cache named ${name} (the table's NAME column lists them; create <name> <size> makes one)`);
	return ok(id);
}

function cpuCheck(e: Engine, cpu: number): {ok: false; error: Refusal} | null {
	return cpu < e.cpus ? null : refused(`CPU ${cpu} does not exist: the machine has CPUs 0-${e.cpus - 1} (--cpu C)`);
}

function demoCache(state: SimState): Result<number, Refusal> {
	const id = state.machine.demoCache;
	return state.machine.engine.caches[id].isAlive
		? ok(id)
		: refused(`the ${DEMO_CACHE} cache is gone: the demo module has nothing to work with`);
}

function runDemo(state: SimState, command: Extract<BarCommand, {kind: `demo-${string}`}>): CommandAnswer {
	const e = state.machine.engine;
	const found = demoCache(state);
	if (!found.ok) return found;
	const cache = found.value;
	const d = state.demo;
	setCaller(e, 'stats_write+0x1a0/0x2b0 [kmem_cache_demo]');
	switch (command.kind) {
		case 'demo-alloc': {
			const id = demoAlloc(e, d, cache, command.data, COMMAND_CPU);
			return id < 0
				? refused('kmem_cache_demo: out of memory: the allocation failed (-ENOMEM)')
				: answered(`kmem_cache_demo: allocated object ${id}`);
		}
		case 'demo-free': {
			const freed = demoFree(e, d, cache, command.id, COMMAND_CPU);
			if (freed === 'freed') return answered(`kmem_cache_demo: freed object ${command.id}`);
			if (freed === 'not-found')
				return refused(`kmem_cache_demo: object ${command.id} not found (show lists the live ids)`);
			return refused(
				`kmem_cache_demo: the allocator refused to free object ${command.id} (the event log says why); it stays listed`,
			);
		}
		case 'demo-access': {
			const count = demoAccess(e, d, command.id);
			return count < 0
				? refused(`kmem_cache_demo: object ${command.id} not found (show lists the live ids)`)
				: answered(`kmem_cache_demo: object ${command.id} accessed ${count} time${count === 1 ? '' : 's'}`);
		}
		case 'demo-freeall':
			return answered(`kmem_cache_demo: freed ${demoFreeAll(e, d, cache, COMMAND_CPU)} objects`);
		case 'demo-show':
			return answered(demoShow(e, d, cache, MS_PER_TICK));
	}
}

function create(state: SimState, command: Extract<BarCommand, {kind: 'create'}>): CommandAnswer {
	const e = state.machine.engine;
	const created = createCache(e, {
		name: command.name,
		size: command.size,
		align: command.align,
		flags: command.flags,
		ctor: command.hasCtor ? zeroingCtor(`${command.name}_ctor`) : null,
	});
	if (!created.ok) return refused(`create: ${created.message}`);
	const c = e.caches[created.value];
	const l = c.layout;
	if (c.name !== command.name) {
		return answered(
			`created ${command.name}: merged into ${c.name} (${c.sysfsName}), slot ${l.size} bytes, ${l.objects} objects per order-${l.order} slab`,
		);
	}
	return answered(
		`created ${command.name}: object ${l.objectSize} bytes, slot ${l.size}, align ${l.align}, ${l.objects} objects per order-${l.order} slab`,
	);
}

function destroy(state: SimState, name: string): CommandAnswer {
	const e = state.machine.engine;
	const found = lookup(e, name);
	if (!found.ok) return found;
	const id = found.value;
	if (id === state.machine.demoCache)
		return refused(`destroy: ${DEMO_CACHE} belongs to the kmem_cache_demo module; freeall empties it`);
	const run = state.run;
	if (run !== null && !run.isFinished && run.caches.has(id)) {
		return refused(
			`destroy: workload ${run.workload.name} is using ${name}; workload stop first, then destroy it once its objects are freed`,
		);
	}
	flushRcu(state.kapi, e, id); // kvfree_rcu_barrier_on_cache(): pending kfree_rcu objects go first
	const errorsBefore = e.caches[id].errors;
	const result = destroyCache(e, name);
	if (!result.ok) return refused(`destroy: ${result.message}`);
	if (result.value.leakedObjects > 0 || (!result.value.isReleased && e.caches[id].refcount < 0)) {
		const warning = e.events.at(-1)?.text ?? '';
		const errors = e.caches[id].errors - errorsBefore;
		return refused(
			`destroy ${name}: kmem_cache_destroy ${name}: Slab cache still has objects (${result.value.leakedObjects} in use, ${errors} errors reported): the cache is leaked and stays listed, as the kernel leaves it\n${warning}`,
		);
	}
	if (result.value.isReleased) state.held.delete(id);
	return answered(
		result.value.isReleased
			? `destroyed ${name}`
			: `destroy: dropped ${name}'s reference; ${e.caches[id].name} stays for its other users`,
	);
}

/** The cache an `alloc -c` / `free -c` names and the objects the command bar holds of it, or why not. */
function bulkTarget(
	state: SimState,
	command: {cache: string; cpu: number},
): Result<{e: Engine; id: number; held: Held}, Refusal> {
	const e = state.machine.engine;
	const found = lookup(e, command.cache);
	if (!found.ok) return found;
	const id = found.value;
	return cpuCheck(e, command.cpu) ?? ok({e, id, held: heldOf(state, id)});
}

function bulkAlloc(state: SimState, command: Extract<BarCommand, {kind: 'alloc'}>): CommandAnswer {
	const target = bulkTarget(state, command);
	if (!target.ok) return target;
	const {e, id, held} = target.value;
	if (held.objs.length < held.length + command.count) {
		const grown = new Int32Array(Math.max(held.objs.length * 2, held.length + command.count));
		grown.set(held.objs.subarray(0, held.length));
		held.objs = grown;
	}
	setCaller(e, 'cmd_alloc+0x2c/0x60');
	const got = allocBulk(e, id, command.cpu, command.count, held.objs.subarray(held.length));
	if (got === 0)
		return refused(
			`alloc: out of memory: ${command.count} objects of ${command.cache} do not fit; nothing was allocated`,
		);
	const handles = handleObjects(state.kapi, e, id, held.objs.subarray(held.length), got);
	held.length += got;
	return answered(
		`allocated ${got} ${command.cache} object${got === 1 ? '' : 's'} on CPU ${command.cpu} (${handles}; the command bar holds ${held.length})`,
	);
}

function bulkFree(state: SimState, command: Extract<BarCommand, {kind: 'free'}>): CommandAnswer {
	const target = bulkTarget(state, command);
	if (!target.ok) return target;
	const {e, id, held} = target.value;
	if (held.length < command.count) {
		const how = held.length === 0 ? 'alloc -c first' : `free -c ${command.cache} -n ${held.length} frees them all`;
		return refused(`free: the command bar holds only ${held.length} ${command.cache} objects (from alloc -c); ${how}`);
	}
	const start = held.length - command.count;
	const batch = held.objs.slice(start, held.length).reverse(); // newest first
	held.length = start;
	setCaller(e, 'cmd_free+0x2c/0x60');
	const freed = freeBulk(e, id, command.cpu, batch, command.count);
	return answered(
		`freed ${freed} ${command.cache} object${freed === 1 ? '' : 's'} on CPU ${command.cpu} (the command bar holds ${held.length})`,
	);
}

function shrink(state: SimState, cache: string | null): CommandAnswer {
	const e = state.machine.engine;
	if (cache === null) {
		const r = shrinkAll(e);
		return answered(`shrink all: ${r.slabsFreed} slabs (${r.pagesFreed} pages) freed in ${r.caches} caches`);
	}
	const found = lookup(e, cache);
	if (!found.ok) return found;
	const id = found.value;
	const r = shrinkCache(e, id);
	const st = oneCacheStats(e, id);
	return answered(
		`shrink ${cache}: ${r.slabsFreed} slabs (${r.pagesFreed} pages) freed; ${st.numSlabs} slabs left, ${st.partial} partial`,
	);
}

/**
 * `validate <cache>`, as `echo 1 > /sys/kernel/slab/<cache>/validate`: the kernel validates only
 * caches with debug flags (others answer EINVAL). The answer counts the errors SLUB reported
 * (as slub_kunit counts them) and carries the reports; the model's own invariants follow.
 */
function validate(state: SimState, cache: string): CommandAnswer {
	const e = state.machine.engine;
	const found = lookup(e, cache);
	if (!found.ok) return found;
	const id = found.value;
	const c = e.caches[id];
	if (!c.isDebug) {
		return refused(
			`validate ${cache}: write error: Invalid argument (EINVAL): ${c.name} has no debug flags, and the kernel validates only caches with them (boot with --debug=F,${c.name}, or create a cache with flags=CONSISTENCY_CHECKS)`,
		);
	}
	const seq = e.eventSeq;
	const errors = validateSlabCache(e, id);
	const reports = eventsSince(e, seq).map(ev => ev.text);
	const model = checkCacheModel(e, id);
	const problems = model.length === 0 ? '' : `\nthe model's own checks: ${model.join('; ')}`;
	if (errors === 0 && model.length === 0) {
		return answered(
			`validate ${cache}: no errors in ${e.cacheNrSlabs[id]} slabs, ${liveObjects(e, id)} objects in use`,
		);
	}
	return refused(
		`validate ${cache}: ${errors} error${errors === 1 ? '' : 's'} reported (slab_errors)${problems}\n${reports.join('\n')}`,
	);
}

/** A workload named in `workload <x>`: a preset, or a file when the name looks like a path. */
function findWorkload(state: SimState, name: string): Result<Workload, Refusal> {
	const isFile = name.includes('/') || name.endsWith('.json');
	if (!isFile) {
		const preset = resolveWorkload({kind: 'preset', name});
		if (preset.ok) return preset;
		return refused(
			`workload: ${preset.error.message} (presets: ${PRESET_NAMES.join(', ')}; a file path needs a / or .json)`,
		);
	}
	if (state.readWorkloadFile === null)
		return refused('workload: this session cannot read workload files; start with -w FILE instead');
	const read = state.readWorkloadFile(name);
	if (!read.ok) return refused(`workload: ${read.error.message}`);
	const resolved = resolveWorkload({kind: 'file', path: name, text: read.value});
	return resolved.ok ? resolved : refused(`workload: ${resolved.error.message}`);
}

/** Start a workload (replacing the running one). Exported for createSimSource's -w. */
export function startNamedWorkload(state: SimState, workload: Workload, rate: number): CommandAnswer {
	const e = state.machine.engine;
	const started = startWorkload(e, workload, state.machine.prng, rate);
	if (!started.ok) return refused(`workload ${workload.name}: ${started.error.message}`);
	const previous = state.run;
	state.run = started.value;
	const scale = rate === 1 ? '' : ` at rate ×${rate}`;
	const replacing = previous !== null && !previous.isFinished ? ` (replacing ${previous.workload.name})` : '';
	const ticks = started.value.totalTicks;
	return answered(
		`workload ${workload.name} started${scale}${replacing}: ${workload.phases.length} phases, ${ticks} ticks${workload.repeat ? ', repeating' : ''}`,
	);
}

/** Carry out one command. Never throws for anything a user can type. */
export function executeCommand(state: SimState, command: BarCommand): CommandAnswer {
	const e = state.machine.engine;
	switch (command.kind) {
		case 'demo-alloc':
		case 'demo-free':
		case 'demo-access':
		case 'demo-freeall':
		case 'demo-show':
			return runDemo(state, command);
		case 'create':
			return create(state, command);
		case 'destroy':
			return destroy(state, command.name);
		case 'alloc':
			return bulkAlloc(state, command);
		case 'free':
			return bulkFree(state, command);
		case 'shrink':
			return shrink(state, command.cache);
		case 'validate':
			return validate(state, command.cache);
		case 'drop-caches': {
			setCaller(e, 'drop_caches_sysctl_handler+0x7c/0xd0');
			return answered(dropCachesMessage(dropCaches(e, state.machine.pools)));
		}
		case 'workload': {
			const workload = findWorkload(state, command.name);
			return workload.ok ? startNamedWorkload(state, workload.value, command.rate) : workload;
		}
		case 'workload-stop': {
			const run = state.run;
			if (run === null || run.isFinished)
				return refused('workload stop: no workload is running (workload <preset> starts one)');
			state.run = null;
			const p = workloadProgress(run);
			return answered(
				`workload ${run.workload.name} stopped in phase ${p.phaseIndex + 1}/${p.phaseCount} "${p.phase}"; its objects are freed as their lifetimes end`,
			);
		}
		case 'pause':
			if (state.isPaused) return answered(`already paused at tick ${e.tick}`);
			state.isPaused = true;
			return answered(`paused at tick ${e.tick}`);
		case 'resume':
			if (!state.isPaused) return answered(`already running (tick ${e.tick})`);
			state.isPaused = false;
			return answered(`resumed at tick ${e.tick}`);
		case 'help':
			return answered(commandHelp(command.topic));
		case 'kmalloc':
		case 'kfree':
		case 'free-object':
		case 'krealloc':
		case 'kfree-rcu':
		case 'objects':
		case 'write':
			return executeKapi(state.kapi, e, command, address => forgetHeld(state, address));
	}
}

/** An object freed by handle or address is no longer one `free -c` may free. */
function forgetHeld(state: SimState, address: number): void {
	for (const held of state.held.values()) {
		for (let i = 0; i < held.length; i++) {
			if (held.objs[i] !== address) continue;
			held.objs.copyWithin(i, i + 1, held.length);
			held.length--;
			return;
		}
	}
}
