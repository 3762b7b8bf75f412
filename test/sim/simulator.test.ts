import {describe, expect, it} from 'vitest';
import {findCache, validateEngine, type Engine} from '../../source/engine/index.js';
import {formatOnce} from '../../source/report/once.js';
import {createSimSource, listWorkloads} from '../../source/sim/simulator.js';
import type {LocalSimSource as SimSource} from '../../source/sim/simulator.js';
import {answerText} from '../../source/commands/bar-command.js';
import {simOf, simOptionsOf} from '../helpers/config.js';
import type {CacheRow} from '../../source/sources/source.js';
import {defaultCapture} from '../../source/workload/default-capture.js';

function options(flags: Record<string, string | boolean>, extra: Parameters<typeof simOptionsOf>[1] = {}) {
	return simOptionsOf({memory: '256M', ...flags}, extra);
}

function sim(flags: Record<string, string | boolean> = {}): SimSource {
	return simOf({memory: '256M', ...flags});
}

function rows(source: SimSource): CacheRow[] {
	const result = source.sample();
	if (!result.ok) throw new Error(result.error.message);
	return [...result.value.rows];
}

/** The text of a line's answer. */
function say(source: SimSource, line: string): string {
	return answerText(source.execute(line));
}

/** Run a line that must be refused with `text`, and check that it changed no row. */
function expectRefused(source: SimSource, line: string, text: string): void {
	const before = rows(source);
	expect(source.execute(line)).toMatchObject({ok: false, error: {message: text}});
	expect(rows(source)).toEqual(before);
}

/** The simulated machine behind a source, for checks the source's interface does not offer. */
const engineOf = (source: SimSource): Engine =>
	(source as unknown as {state: {machine: {engine: Engine}}}).state.machine.engine;

const row = (source: SimSource, name: string): CacheRow => {
	const found = rows(source).find(r => r.name === name);
	if (found === undefined) throw new Error(`no row ${name}`);
	return found;
};

describe('the simulator source', () => {
	it('boots a machine that looks like a running one', () => {
		const source = sim();
		const result = source.sample();
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const sample = result.value;
		expect(sample.kind).toBe('sim');
		expect(sample.timeMs).toBe(0);
		expect(sample.rows).toHaveLength(236); // the capture's 235 caches and demo_objects
		expect(sample.rows[sample.rows.length - 1].name).toBe('kmem_cache'); // /proc/slabinfo order: newest first
		// The committed capture's figures for dentry and buffer_head (test/workload/boot-capture.test.ts checks every cache).
		const capture = defaultCapture();
		const captured = (name: string) => capture.caches.find(c => c.name === name)!;
		const dentry = sample.rows.find(r => r.name === 'dentry')!;
		expect([dentry.activeObjs, dentry.numSlabs, dentry.partial]).toEqual([
			captured('dentry').objects,
			captured('dentry').slabs,
			captured('dentry').partial,
		]);
		expect(dentry.objSize).toBe(192);
		expect(dentry.objsPerSlab).toBe(21);
		expect(dentry.pagesPerSlab).toBe(1);
		// /proc/slabinfo: active_objs = num_objs − the free objects on the node partial slabs.
		const bh = sample.rows.find(r => r.name === 'buffer_head')!;
		const bhDetail = source.detail('buffer_head')!;
		const nodePartialObjects = bhDetail.states.nodePartial.reduce((sum, slab) => sum + slab.objects, 0);
		const freeOnNodePartial = nodePartialObjects - bhDetail.cache.objectsPartial;
		expect(freeOnNodePartial).toBeGreaterThan(0);
		expect(bh.activeObjs).toBe(bh.numObjs - freeOnNodePartial);
		expect(bh.partial).toBe(captured('buffer_head').partial);
		// Objects in use exclude the free objects CPU slabs and CPU partial slabs hold.
		expect(bh.allocs! - bh.frees!).toBeLessThan(bh.activeObjs);
		expect(sample.rows.find(r => r.name === 'demo_objects')!.numObjs).toBe(0);
		const next = source.sample();
		expect(next.ok && next.value.version).toBe(sample.version + 1);
	});

	it('prints the same --once report every run for the same workload, seed and ticks', () => {
		const once = (seed: string) => {
			const s = sim({once: true, source: 'sim', workload: 'net-burst', seed, ticks: '400'});
			const r = s.sample();
			if (!r.ok) throw new Error('sample');
			return formatOnce(r.value, 'o');
		};
		const first = once('7');
		expect(once('7')).toBe(first);
		expect(once('8')).not.toBe(first);
		expect(first).toMatch(/^ Active \/ Total Objects/);
	});

	it('advances simulated time with --ticks and advance(), and not while paused', () => {
		const source = sim({workload: 'steady', ticks: '50'});
		expect(source.status().tick).toBe(50);
		expect(source.sample().ok && (source.sample() as {value: {timeMs: number}}).value.timeMs).toBe(500);
		source.advance(10);
		expect(source.status().tick).toBe(60);
		source.execute('pause');
		source.advance(10);
		expect(source.status()).toMatchObject({tick: 60, isPaused: true});
		source.advance(5, true);
		expect(source.status().tick).toBe(65);
		expect(source.status().workload).toMatchObject({
			name: 'steady',
			phase: 'churn',
			phaseIndex: 0,
			phaseCount: 1,
			isFinished: false,
		});
	});

	it('reports workload phases and finishing in the status and the event log', () => {
		const source = sim({workload: 'fragment'});
		source.advance(12_000);
		expect(source.status().workload).toMatchObject({name: 'fragment', isFinished: true, progress: 1});
		const texts = source.events().map(ev => `${ev.kind}: ${ev.text}`);
		expect(texts[0]).toMatch(/^info: booted from a capture of Linux 6\.18\./);
		expect(texts.find(t => t.startsWith('phase:'))).toBe('phase: workload fragment: phase 1/5 "fill" (2000 ticks)');
		expect(texts).toContain('phase: workload fragment: phase 5/5 "release" (2000 ticks)');
		expect(texts.at(-1)).toMatch(/^phase: workload fragment: finished/);
		const seqs = source.events().map(ev => ev.seq);
		expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
		expect(source.events(seqs[2]).length).toBe(seqs.length - 3);
	});

	it('gives the detail of a cache: layout, slab states, map and counters', () => {
		const source = sim();
		const detail = source.detail('kmalloc-64');
		expect(detail).not.toBeNull();
		if (detail === null) return;
		expect(detail.cache.name).toBe('kmalloc-64');
		expect(detail.cache.layout.size).toBe(64);
		expect(detail.states.cpuSlab.length).toBe(2);
		const mapped = detail.map.reduce((sum, cell) => sum + cell.objects, 0);
		expect(mapped).toBe(detail.cache.numObjs);
		expect(detail.counters.find(c => c.name === 'alloc_fastpath')!.total).toBeGreaterThan(0);
		expect(detail.demoObjects).toBeNull();
		expect(source.detail('no_such_cache')).toBeNull();
	});

	it('refuses an unknown preset and a bad workload file with one line; --exec answers stop at the first failure', () => {
		expect(createSimSource(options({workload: 'stedy'}))).toEqual({
			ok: false,
			error: {
				kind: 'workload',
				message:
					"unknown workload 'stedy' (presets: steady, fork-storm, dentry-flood, net-burst, fragment, leak, pressure; none; or a .json file)",
			},
		});
		const file = options(
			{},
			{workload: {kind: 'file' as const, path: 'w/bad.json', text: '{"phases": [{"name": "p"}]}'}},
		);
		expect(createSimSource(file)).toEqual({
			ok: false,
			error: {kind: 'workload', message: 'w/bad.json: phases[0]: missing field "ticks"'},
		});
		const created = createSimSource(options({exec: 'alloc hello; free 5; alloc again'}));
		expect(created.ok && created.value.execAnswers).toEqual([
			{command: 'alloc hello', ok: true, text: 'kmem_cache_demo: allocated object 0'},
			{command: 'free 5', ok: false, text: 'kmem_cache_demo: object 5 not found (show lists the live ids)'},
		]);
		const keepGoing = createSimSource({...options({exec: 'alloc hello; free 5; alloc again'}), keepGoing: true});
		expect(keepGoing.ok && keepGoing.value.execAnswers.map(answer => answer.ok)).toEqual([true, false, true]);
		expect(createSimSource(options({memory: '3G'}))).toMatchObject({ok: false, error: {kind: 'boot'}});
	});

	it('runs --exec commands before the first sample', () => {
		const source = sim({exec: 'alloc -c kmalloc-64 -n 10; alloc first'});
		expect(source.detail('demo_objects')!.demoObjects!.map(o => o.data)).toEqual(['first']);
		expect(
			source
				.events()
				.filter(ev => ev.kind === 'command')
				.map(ev => ev.text),
		).toEqual([
			'alloc -c kmalloc-64 -n 10: allocated 10 kmalloc-64 objects on CPU 0 (#1-#10; the command bar holds 10)',
			'alloc first: kmem_cache_demo: allocated object 0',
		]);
	});

	it('builds the sysfs figures only when --json or --record will use them', () => {
		expect(rows(sim()).every(r => r.sysfs === undefined)).toBe(true);
		const json = rows(sim({once: true, json: true}));
		expect(json.every(r => r.sysfs !== undefined)).toBe(true);
		expect(json.find(r => r.name === 'kmalloc-64')!.sysfs).toMatchObject({object_size: 64, objs_per_slab: 64});
		const recording = sim({record: '/tmp/never-written.rec'});
		const result = recording.sample();
		expect(result.ok && result.value.rows.every(r => r.sysfs !== undefined)).toBe(true);
	});

	it('lists the presets for --list-workloads', () => {
		expect(listWorkloads().map(w => w.name)).toEqual([
			'steady',
			'fork-storm',
			'dentry-flood',
			'net-burst',
			'fragment',
			'leak',
			'pressure',
		]);
	});
});

describe('the command bar on the simulator', () => {
	it('alloc -c raises the objects in use by N, free -c lowers them again', () => {
		const source = sim();
		const before = row(source, 'kmalloc-64');
		expect(source.execute('alloc -c kmalloc-64 -n 100')).toEqual({
			ok: true,
			value: 'allocated 100 kmalloc-64 objects on CPU 0 (#1-#100; the command bar holds 100)',
		});
		const after = row(source, 'kmalloc-64');
		expect(after.allocs! - after.frees! - (before.allocs! - before.frees!)).toBe(100);
		// Free objects the CPUs hold already count as active; here all 100 came from them.
		expect(after.activeObjs - before.activeObjs).toBe(0);
		expect(source.execute('free -c kmalloc-64 -n 40 --cpu 1')).toEqual({
			ok: true,
			value: 'freed 40 kmalloc-64 objects on CPU 1 (the command bar holds 60)',
		});
		const freed = row(source, 'kmalloc-64');
		expect(freed.allocs! - freed.frees!).toBe(before.allocs! - before.frees! + 60);
	});

	it('refuses free -c beyond what the command bar holds, and frees nothing', () => {
		const source = sim();
		source.execute('alloc -c kmalloc-128 -n 3');
		const before = row(source, 'kmalloc-128');
		expect(source.execute('free -c kmalloc-128 -n 5')).toMatchObject({
			ok: false,
			error: {
				message:
					'free: the command bar holds only 3 kmalloc-128 objects (from alloc -c); free -c kmalloc-128 -n 3 frees them all',
			},
		});
		expect(row(source, 'kmalloc-128')).toEqual(before);
		expect(source.execute('free -c kmalloc-128 -n 3').ok).toBe(true);
	});

	it('refuses a CPU the machine does not have and an unknown cache', () => {
		const source = sim();
		expect(source.execute('alloc -c kmalloc-64 --cpu 2')).toMatchObject({
			ok: false,
			error: {message: 'CPU 2 does not exist: the machine has CPUs 0-1 (--cpu C)'},
		});
		expect(source.execute('alloc -c nope')).toMatchObject({
			ok: false,
			error: {message: "no cache named nope (the table's NAME column lists them; create <name> <size> makes one)"},
		});
	});

	it('creates and destroys caches; destroy of a busy cache warns and leaks it, as the kernel does', () => {
		const source = sim();
		const created = source.execute('create my_cache 300 align=64 flags=HWCACHE_ALIGN|NO_MERGE ctor');
		expect(created.ok).toBe(true);
		expect(answerText(created)).toBe(
			'created my_cache: object 300 bytes, slot 320, align 64, 12 objects per order-0 slab',
		);
		expect(source.detail('my_cache')!.cache.ctorName).toBe('my_cache_ctor');
		source.execute('alloc -c my_cache -n 5');
		const before = row(source, 'my_cache');
		const leaked = source.execute('destroy my_cache');
		expect(leaked.ok).toBe(false);
		const lines = answerText(leaked).split('\n');
		expect(lines[0]).toBe(
			'destroy my_cache: kmem_cache_destroy my_cache: Slab cache still has objects (5 in use, 6 errors reported): the cache is leaked and stays listed, as the kernel leaves it',
		);
		expect(lines).toContain('BUG my_cache (Not tainted): Objects remaining on __kmem_cache_shutdown()');
		expect(row(source, 'my_cache')).toMatchObject({numObjs: before.numObjs, activeObjs: 5}); // still listed, its CPU slab flushed
		expect(source.execute('destroy my_cache').ok).toBe(false); // the name is gone
		source.execute('free -c my_cache -n 5'); // its objects can still be freed, by handle too
		expect(source.execute('create my_cache 300 flags=NO_MERGE').ok).toBe(true);
		expect(source.execute('destroy my_cache')).toEqual({ok: true, value: 'destroyed my_cache'});
		expect(source.execute('create my_cache 0').ok).toBe(false);
		expectRefused(
			source,
			'create other 64 flags=FAST',
			'col 23: unknown flag "FAST" (known: CONSISTENCY_CHECKS RED_ZONE POISON KMALLOC HWCACHE_ALIGN CACHE_DMA CACHE_DMA32 STORE_USER PANIC TYPESAFE_BY_RCU TRACE NOLEAKTRACE NO_MERGE ACCOUNT NO_USER_FLAGS RECLAIM_ACCOUNT NO_OBJ_EXT); usage: create <name> <size> [align=N] [flags=A|B…] [ctor]',
		);
	});

	it('reports a parse error with its column and changes nothing', () => {
		expectRefused(
			sim(),
			'alloc -c kmalloc-64 -n lots',
			'col 24: -n (the object count) must be a whole number from 1 to 1000000, not "lots"; usage: alloc <data>  |  alloc -c <cache> [-n N] [--cpu C]',
		);
	});

	it('runs the demo module: alloc, access, free, freeall and show', () => {
		const source = sim();
		expect(say(source, 'alloc object_one')).toBe('kmem_cache_demo: allocated object 0');
		expect(say(source, 'alloc object_two')).toBe('kmem_cache_demo: allocated object 1');
		expect(say(source, 'alloc object_three')).toBe('kmem_cache_demo: allocated object 2');
		expect(say(source, 'access 1')).toBe('kmem_cache_demo: object 1 accessed 1 time');
		expect(say(source, 'access 1')).toBe('kmem_cache_demo: object 1 accessed 2 times');
		source.advance(12);
		expect(say(source, 'free 0')).toBe('kmem_cache_demo: freed object 0');
		expect(source.execute('free 0')).toMatchObject({
			ok: false,
			error: {message: 'kmem_cache_demo: object 0 not found (show lists the live ids)'},
		});
		expect(source.execute('access 9').ok).toBe(false);
		expect(row(source, 'demo_objects').allocs! - row(source, 'demo_objects').frees!).toBe(2);
		expect(say(source, 'show')).toBe(
			[
				'Slab Cache Demo Statistics',
				'==========================',
				'',
				'Cache name: demo_objects',
				'Object size: 128 bytes',
				'Total allocated: 3',
				'Total freed: 1',
				'Currently active: 2',
				'',
				'Active Objects:',
				"  [2] data='object_three' age=120 ms accesses=0",
				"  [1] data='object_two' age=120 ms accesses=2",
				'',
				'Commands:',
				'  alloc <data> - Allocate new object',
				'  free <id>    - Free object by ID',
				'  access <id>  - Increment access count',
				'  freeall      - Free all objects',
			].join('\n'),
		);
		const objects = source.detail('demo_objects')!.demoObjects!;
		expect(objects.map(o => [o.id, o.data, o.accessCount, o.allocatedTick])).toEqual([
			[2, 'object_three', 0, 0],
			[1, 'object_two', 2, 0],
		]);
		expect(say(source, 'freeall')).toBe('kmem_cache_demo: freed 2 objects');
		expect(say(source, 'show')).toContain('Currently active: 0\n\nActive Objects:\n  (none)');
		expect(row(source, 'demo_objects').allocs! - row(source, 'demo_objects').frees!).toBe(0);
	});

	it('runs the constructor on new slabs, not on each allocation', () => {
		const source = sim();
		// Count the constructor's calls: wrap the one the demo module registered.
		const e = engineOf(source);
		const cache = e.caches[findCache(e, 'demo_objects')];
		const ctor = cache.ctor!;
		let calls = 0;
		cache.ctor = {
			name: ctor.name,
			run(engine, obj) {
				calls++;
				ctor.run(engine, obj);
			},
		};
		source.execute('alloc a');
		const detail = source.detail('demo_objects')!;
		const perSlab = detail.cache.layout.objects;
		expect(detail.cache.ctorName).toBe('object_ctor');
		expect(detail.counters.find(c => c.name === 'alloc_slab')!.total).toBe(1);
		expect(calls).toBe(perSlab); // every object of the new slab, once
		for (let i = 1; i < perSlab; i++) source.execute(`alloc o${i}`);
		expect(calls).toBe(perSlab); // allocations from that slab run no constructor
		source.execute('alloc last');
		expect(source.detail('demo_objects')!.counters.find(c => c.name === 'alloc_slab')!.total).toBe(2);
		expect(calls).toBe(2 * perSlab);
		expect(source.execute('destroy demo_objects').ok).toBe(false);
	});

	it('refuses to destroy a cache the running workload uses, and allows it once the workload is stopped', () => {
		const created = createSimSource(
			options(
				{},
				{
					readWorkloadFile: () => ({
						ok: true,
						value: JSON.stringify({
							caches: [{name: 'wl_cache', size: 64, flags: 'NO_MERGE'}],
							phases: [
								{name: 'p', ticks: 5, caches: [{cache: 'wl_cache', rate: 2, lifetime: {kind: 'fixed', ticks: 2}}]},
							],
						}),
					}),
				},
			),
		);
		if (!created.ok) throw new Error(created.error.message);
		const source = created.value;
		expect(source.execute('workload w/wl.json').ok).toBe(true);
		expectRefused(
			source,
			'destroy wl_cache',
			'destroy: workload wl is using wl_cache; workload stop first, then destroy it once its objects are freed',
		);
		source.advance(3);
		expect(source.execute('workload stop').ok).toBe(true);
		source.advance(3); // the last objects' lifetimes end
		expect(source.execute('destroy wl_cache')).toEqual({ok: true, value: 'destroyed wl_cache'});
		expect(source.execute('destroy kmalloc-64').ok).toBe(false); // a boot cache, whatever runs
	});

	it('shrinks, validates and drops caches', () => {
		const source = sim();
		expect(say(source, 'shrink kmalloc-64')).toMatch(
			/^shrink kmalloc-64: \d+ slabs \(\d+ pages\) freed; \d+ slabs left, \d+ partial$/,
		);
		expect(say(source, 'shrink')).toMatch(/^shrink all: \d+ slabs \(\d+ pages\) freed in \d+ caches$/);
		const dentry = row(source, 'dentry');
		expect(say(source, 'validate dentry')).toMatch(
			/^validate dentry: write error: Invalid argument \(EINVAL\): dentry has no debug flags/,
		);
		const kmalloc64 = row(source, 'kmalloc-64').allocs! - row(source, 'kmalloc-64').frees!;
		const dropped = source.execute('drop_caches');
		// Slabs released count those the frees discarded as well as those the shrink did.
		expect(answerText(dropped)).toBe(
			'drop_caches: 363422 objects freed in 52 reclaimable caches, 15933 slabs (30915 pages) released',
		);
		const after = row(source, 'dentry');
		expect(after.numSlabs).toBeLessThan(dentry.numSlabs / 2);
		expect(after.allocs! - after.frees!).toBe(Math.ceil((dentry.allocs! - dentry.frees!) * 0.25)); // the pinned quarter stays
		expect(row(source, 'kmalloc-64').allocs! - row(source, 'kmalloc-64').frees!).toBe(kmalloc64); // not reclaimable
	});

	it('drop_caches reclaims by SLAB_RECLAIM_ACCOUNT only: shmem_inode_cache keeps its objects', () => {
		const source = sim();
		const inUse = (name: string) => row(source, name).allocs! - row(source, name).frees!;
		const shmem = inUse('shmem_inode_cache');
		const proc = inUse('proc_inode_cache');
		expect(source.detail('shmem_inode_cache')!.cache.flagNames).not.toContain('RECLAIM_ACCOUNT');
		expect(source.detail('proc_inode_cache')!.cache.flagNames).toContain('RECLAIM_ACCOUNT');
		expect(source.execute('drop_caches').ok).toBe(true);
		expect(inUse('shmem_inode_cache')).toBe(shmem);
		expect(inUse('proc_inode_cache')).toBe(Math.ceil(proc * 0.25)); // the pinned quarter stays
	});

	it('starts, replaces and stops workloads; pause and resume the clock', () => {
		const source = sim({workload: 'none'});
		expect(source.status().workload).toBeNull();
		expect(say(source, 'workload steady rate=2')).toBe(
			'workload steady started at rate ×2: 1 phases, 3000 ticks, repeating',
		);
		expect(say(source, 'workload leak')).toBe('workload leak started (replacing steady): 1 phases, 12000 ticks');
		expect(say(source, 'workload nope')).toBe(
			'workload: no preset named nope (presets: steady, fork-storm, dentry-flood, net-burst, fragment, leak, pressure; a file path needs a / or .json)',
		);
		expect(say(source, 'workload ./mine.json')).toBe(
			'workload: this session cannot read workload files; start with -w FILE instead',
		);
		source.advance(20);
		expect(say(source, 'workload stop')).toBe(
			'workload leak stopped in phase 1/1 "leak"; its objects are freed as their lifetimes end',
		);
		expect(source.execute('workload stop').ok).toBe(false);
		expect(source.status().workload).toBeNull();
		expect(say(source, 'pause')).toBe('paused at tick 20');
		source.advance(5);
		expect(source.status().tick).toBe(20);
		expect(say(source, 'resume')).toBe('resumed at tick 20');
		source.advance(5);
		expect(source.status().tick).toBe(25);
	});

	it('reads workload files through the reader the CLI gives it', () => {
		const created = createSimSource(
			options(
				{workload: 'none'},
				{
					readWorkloadFile: path =>
						path === 'w/tiny.json'
							? {
									ok: true,
									value: JSON.stringify({
										phases: [{name: 'go', ticks: 10, caches: [{cache: 'filp', rate: 5, lifetime: {kind: 'forever'}}]}],
									}),
								}
							: {ok: false, error: {kind: 'not-found', message: `${path}: no such file`}},
				},
			),
		);
		if (!created.ok) throw new Error(created.error.message);
		const source = created.value;
		expect(say(source, 'workload w/tiny.json')).toBe('workload tiny started: 1 phases, 10 ticks');
		expect(source.execute('workload w/none.json')).toMatchObject({
			ok: false,
			error: {message: 'workload: w/none.json: no such file'},
		});
	});

	it('runs the background workload derived from the boot image when no workload is named', () => {
		const source = sim();
		expect(source.status().workload).toMatchObject({name: 'background', isFinished: false});
		const dentry = () => row(source, 'dentry');
		const before = dentry();
		source.advance(200);
		const after = dentry();
		expect(after.allocs!).toBeGreaterThan(before.allocs!);
		expect(after.frees!).toBeGreaterThan(before.frees!);
		// --once without --ticks: tick 0, nothing has run.
		expect(before.allocs! - before.frees!).toBe(row(sim(), 'dentry').allocs! - row(sim(), 'dentry').frees!);
	});

	it('gives the sheaves and barn of vm_area_struct in its detail, none for dentry', () => {
		const source = sim();
		source.advance(300);
		const sheaves = source.detail('vm_area_struct')!.sheaves!;
		expect(sheaves.capacity).toBe(32);
		expect(sheaves.cpus).toHaveLength(2);
		const held = sheaves.cpus.reduce((sum, c) => sum + c.main + (c.spare ?? 0), 0) + sheaves.barnFull * 32;
		expect(sheaves.objects).toBe(held);
		expect(source.detail('dentry')!.sheaves).toBeNull();
	});

	it('answers help with the command list and the usage of one command', () => {
		const source = sim();
		const list = say(source, 'help').split('\n');
		expect(list[0]).toBe('commands (help <command> for one):');
		expect(list.some(l => l.startsWith('create <name> <size> [align=N] [flags=A|B…] [ctor]'))).toBe(true);
		expect(say(source, 'help destroy')).toBe(
			'usage: destroy <name>\n  destroy <name>  kmem_cache_destroy (with objects left it warns and leaks the cache, which stays listed, as the kernel does)',
		);
		expect(say(source, 'help free')).toBe(
			'usage: free <id>  |  free -c <cache> [-n N] [--cpu C]  |  free <#handle|address> [--cpu C]\n' +
				'  free <id>                         free that demo object\n' +
				'  free -c <cache> [-n N] [--cpu C]  free N of the objects the command bar allocated from that cache, newest first\n' +
				'  free <#handle|address> [--cpu C]  kmem_cache_free of one object, to the cache it came from',
		);
	});

	it('keeps the engine consistent through a mixed session', () => {
		const source = sim({workload: 'fork-storm', ticks: '300'});
		for (const line of [
			'alloc -c dentry -n 500 --cpu 1',
			'alloc x',
			'shrink all',
			'free -c dentry -n 250',
			'drop_caches',
			'create t 40',
		]) {
			expect(source.execute(line).ok, line).toBe(true);
		}
		source.advance(300);
		expect(answerText(source.execute('validate dentry'))).toContain('EINVAL'); // no debug flags
		expect(validateEngine(engineOf(source))).toEqual([]);
	});
});

describe('the operation trace of the simulator', () => {
	it('--trace FILE: every operation of the --ticks run as a trace_pipe line, in time order; the view cannot narrow it', () => {
		const lines: string[] = [];
		let flushes = 0;
		const traceOut = {write: (line: string) => lines.push(line), flush: () => flushes++};
		const created = createSimSource({...options({workload: 'steady', ticks: '3'}), traceOut});
		if (!created.ok) throw new Error(created.error.message);
		expect(lines.length).toBeGreaterThan(100);
		expect(flushes).toBeGreaterThan(0);
		// Ticks 1..3 are 0.01 s .. 0.03 s of simulated time.
		const stamps = lines.map(line => Number(/ (\d+\.\d{6}): /.exec(line)?.[1]));
		expect(stamps[0]).toBeGreaterThanOrEqual(0.01);
		expect(stamps.at(-1)).toBeLessThan(0.04);
		expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
		expect(
			lines.every(line =>
				/^ {11}<\.\.\.>-1 {7}\[00[01]\] \.\.\.\.\. +\d+\.\d{6}: (kmem_cache_alloc|kmalloc|kmem_cache_free|kfree): call_site=/.test(
					line,
				),
			),
		).toBe(true);
		expect(lines.some(line => line.includes('  # alloc_fastpath (cpu freelist)'))).toBe(true);
		const source = created.value;
		source.openTrace('dentry');
		expect(source.trace()).toMatchObject({isOpen: true, isFile: true, cacheName: null});
		source.closeTrace();
		expect(source.trace().isOpen).toBe(true);
	});

	it("the trace view's trace: one cache, sampled when busy, closed again", () => {
		const source = sim({workload: 'steady'});
		source.openTrace('dentry');
		source.advance(50);
		const trace = source.trace();
		expect(trace).toMatchObject({isOpen: true, isFile: false, cacheName: 'dentry'});
		expect(trace.records.length).toBeGreaterThan(0);
		expect(trace.records.every(r => r.cacheName === 'dentry')).toBe(true);
		const last = trace.records.at(-1)!.seq;
		source.advance(1);
		expect(source.trace(last).records.every(r => r.seq > last)).toBe(true);
		source.closeTrace();
		expect(source.trace()).toMatchObject({isOpen: false, records: []});
	});
});
