import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {NIL, Stat, type SlabObjects, type TraceRecord} from '../../source/engine/index.js';
import {explain} from '../../source/report/explain.js';
import type {SimStatus, TraceState} from '../../source/sim/types.js';
import {ExplainView} from '../../source/ui/views/explain.js';
import {NarrationLine, narration} from '../../source/ui/views/narration.js';
import {SlabObjectsView} from '../../source/ui/views/slab-objects.js';
import {TraceView, traceLines} from '../../source/ui/views/trace.js';
import {cacheRow} from '../helpers/fake-sources.js';

function rec(figures: Partial<TraceRecord>): TraceRecord {
	return {
		seq: 1,
		tick: 100,
		opInTick: 0,
		op: 'alloc',
		cache: 5,
		cacheName: 'dentry',
		objectSize: 192,
		slotSize: 192,
		isKmalloc: false,
		isAccounted: false,
		cpu: 1,
		ptr: 0x123040,
		slab: 0x123,
		order: 0,
		slabState: 1,
		slabInuse: 3,
		slabObjects: 21,
		steps: [],
		chain: 1,
		shrinkFreed: 0,
		callSite: 'd_alloc+0x2d/0xa0',
		...figures,
	};
}

const newSlab = rec({seq: 2, opInTick: 1, steps: [Stat.AllocSlowpath, Stat.AllocSlab], slabInuse: 1});
const fast = rec({seq: 1, steps: [Stat.AllocFastpath]});
const trace: TraceState = {
	isOpen: true,
	isFile: false,
	every: 4,
	skipped: 120,
	cacheName: 'dentry',
	records: [fast, newSlab],
};

describe('the trace view', () => {
	it('shows each operation as its tracepoint line and its SLUB path, newest first, and says it samples', () => {
		const {lastFrame} = render(
			<TraceView trace={trace} records={[newSlab, fast]} pathFilter="all" isPaused height={8} scroll={0} />,
		);
		const frame = lastFrame() ?? '';
		expect(frame).toContain('Operation trace: dentry');
		expect(frame).toContain('sampling 1 in 4 (120 left out)');
		expect(frame).toContain('PAUSED');
		expect(frame).toContain(
			'    1.000001 [001] kmem_cache_alloc: call_site=d_alloc+0x2d/0xa0 ptr=ffff888000123040 bytes_req=192',
		);
		expect(frame).toContain('└ new slab order 0 from buddy → slab 0x00123000 1/21 frozen (cpu slab)');
		expect(frame.indexOf('1.000001')).toBeLessThan(frame.indexOf('1.000000'));
	});

	it('filters by path', () => {
		expect(traceLines([newSlab, fast], 'new-slab')).toHaveLength(2);
		expect(traceLines([newSlab, fast], 'slow')).toHaveLength(2);
		expect(traceLines([fast], 'slow')).toHaveLength(0);
		expect(traceLines([rec({ptr: NIL, steps: [Stat.AllocSlowpath]})], 'failure')[1]).toContain('failure: no pages');
	});

	it('says it needs the simulator', () => {
		expect(
			render(
				<TraceView trace={null} records={[]} pathFilter="all" isPaused={false} height={4} scroll={0} />,
			).lastFrame(),
		).toContain('needs the simulator');
	});
});

describe('the explain view', () => {
	it('shows what, kernel source, the worked value and the note', () => {
		const row = cacheRow('dentry', {activeObjs: 22045, numObjs: 27510, objSize: 192, objsPerSlab: 21, numSlabs: 1310});
		const x = explain({target: {kind: 'header', line: 'slabs'}, row, rows: [row], sourceKind: 'kernel'});
		const frame = render(<ExplainView explanation={x} width={100} height={24} scroll={0} />).lastFrame() ?? '';
		expect(frame).toContain('Active / Total Slabs (% used)');
		expect(frame).toContain('1310 / 1310 = 100.0 %');
		expect(frame).toContain('Note: Always 100 % on SLUB');
		// long lines wrap at a space instead of being cut off
		expect(frame).toContain(
			'Kernel: get_slabinfo() (mm/slub.c) sets sinfo->active_slabs = nr_slabs: SLUB has no inactive slabs',
		);
		expect(frame).toContain('  to report (the SLAB allocator did).');
	});
});

describe('the objects of a slab', () => {
	const view: SlabObjects = {
		slab: 0x123,
		address: 0x123000,
		order: 0,
		objects: 6,
		inuse: 4,
		used: 4,
		isFrozen: false,
		list: 'cpu partial',
		cpu: 1,
		cells: [
			{index: 0, address: 0x123000, state: 'used', freeOrder: null},
			{index: 1, address: 0x123100, state: 'slab-free', freeOrder: 2},
			{index: 2, address: 0x123200, state: 'used', freeOrder: null},
			{index: 3, address: 0x123300, state: 'slab-free', freeOrder: 1},
			{index: 4, address: 0x123400, state: 'used', freeOrder: null},
			{index: 5, address: 0x123500, state: 'used', freeOrder: null},
		],
		slabFreelist: [0x123300, 0x123100],
		cpuFreelist: [],
		slot: {
			size: 256,
			leftRedZone: 0,
			object: 256,
			rightRedZone: 0,
			hasRedZone: false,
			freePointerOffset: 128,
			isFreePointerAfter: false,
			tracks: 0,
			padding: 0,
			isPoisoned: false,
		},
	};

	it("draws each object, the free ones numbered in freelist order, and the slab's figures", () => {
		const demo = [{id: 7, address: 0x123000, data: 'hello', accessCount: 3, allocatedTick: 50}];
		const frame =
			render(
				<SlabObjectsView
					cacheName="demo_objects"
					view={view}
					demoObjects={demo}
					tick={150}
					width={100}
					height={20}
					scroll={0}
				/>,
			).lastFrame() ?? '';
		expect(frame).toContain(
			"demo_objects slab 0x00123000 order 0 (1 page): 4/6 in use (inuse 4), on CPU 1's partial list",
		);
		expect(frame).toContain('slab freelist 2 objects');
		expect(frame).toContain('   0  ██   f2   ██   f1   ██   ██');
		expect(frame).toContain('slot 256 B = object 256 (free pointer at +128 while free)');
		expect(frame).toContain('#7 0x00123000  age 1.00s  accesses 3  "hello"');
	});
});

describe('the narration line', () => {
	const base: SimStatus = {
		tick: 7321,
		timeMs: 73210,
		isPaused: false,
		speed: 1,
		behindMs: 0,
		cpus: 2,
		latestEvent: null,
		memory: {
			totalPages: 131072,
			freePages: 100,
			slabPages: 0,
			largeKmallocPages: 0,
			buddyInfo: [],
			fragmentation: 0,
		} as unknown as SimStatus['memory'],
		workload: {
			name: 'pressure',
			phase: 'starved',
			watch: 'memory is full',
			isRepeating: false,
			phaseIndex: 1,
			phaseCount: 4,
			phaseProgress: 0.1,
			progress: 0.5,
			isFinished: false,
			ticksToNextPhase: 100,
		},
		failures: {
			count: 37,
			last: {
				seq: 9,
				tick: 7320,
				kind: 'alloc-failure',
				cache: 'kmalloc-8k',
				text: 'SLUB: Unable to allocate memory on CPU 1\n  cache: …',
			},
		},
	};

	it('shows the failure count and the last failure, then what to watch', () => {
		expect(narration(base)).toEqual({
			failure: 'FAIL 37, last kmalloc-8k at 1m13.2s on CPU 1:',
			note: 'starved: memory is full',
		});
		expect(render(<NarrationLine status={base} />).lastFrame()).toContain(
			'FAIL 37, last kmalloc-8k at 1m13.2s on CPU 1:  starved: memory is full',
		);
	});

	it('says a finished workload finished and how to run it again', () => {
		const finished = {...base, failures: {count: 0, last: null}, workload: {...base.workload!, isFinished: true}};
		expect(narration(finished)).toEqual({
			failure: null,
			note: 'workload pressure finished: `:workload pressure` runs it again',
		});
	});
});
