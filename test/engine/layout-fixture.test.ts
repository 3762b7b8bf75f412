// computeLayout() against every cache of a real Linux 6.18 machine (test/fixtures/sysfs/, written by
// scripts/capture-sysfs-fixture.mjs). Each cache is re-created from what its creator passed to
// kmem_cache_create(), inferred from sysfs:
//   object size  sysfs object_size (for a merged cache the largest member: rounds to the same slot)
//   alignment    kmalloc caches: largest power of two dividing the size (§6); the caches in
//                EXPLICIT_ALIGN: the creator's explicit request; everybody else: none
//   flags        HWCACHE_ALIGN, TYPESAFE_BY_RCU, RECLAIM_ACCOUNT, CACHE_DMA and the debug flags from
//                their files, ACCOUNT/DMA/RECLAIM from the `:` name tags, KMALLOC for kmalloc caches
//   ctor         the ctor file is not empty
//   freeptr      the known in-object free pointers (§5.3)
// Every row matches: no exceptions are needed.

import {describe, expect, it} from 'vitest';
import {computeLayout, finalAlign, minObjectsFor, type Layout, type LayoutRequest} from '../../source/engine/layout.js';
import {SLAB_KMALLOC} from '../../source/engine/flags.js';
import {
	layoutGeometry,
	loadSysfsFixture,
	sysfsFlags,
	sysfsGeometry,
	type SysfsCacheRow,
} from '../fixtures/sysfs/sysfs-fixture.js';

const fixture = loadSysfsFixture();

/** Creators that ask for more alignment than their flags give, with where the request comes from. */
const EXPLICIT_ALIGN: Readonly<Record<string, {align: number; source: string}>> = {
	task_struct: {align: 64, source: 'kernel/fork.c fork_init(): max(L1_CACHE_BYTES, ARCH_MIN_TASKALIGN)'},
	maple_node: {align: 256, source: 'lib/maple_tree.c maple_tree_init(): args.align = sizeof(struct maple_node)'},
	kvm_vcpu: {
		align: 16,
		source: 'virt/kvm/kvm_main.c kvm_init(vcpu_size, vcpu_align): __alignof__ of the vendor vcpu struct',
	},
	x86_emulator: {
		align: 16,
		source: 'arch/x86/kvm/x86.c kvm_alloc_emulator_cache(): __alignof__(struct x86_emulate_ctxt)',
	},
	net_namespace: {align: 64, source: 'net/core/net_namespace.c net_ns_init(): SMP_CACHE_BYTES'},
	task_group: {
		align: 64,
		source: 'kernel/sched/core.c sched_init(): KMEM_CACHE(task_group, 0), struct has cacheline-aligned members',
	},
	pool_workqueue: {
		align: 256,
		source: 'kernel/workqueue.c: KMEM_CACHE(pool_workqueue, …), struct __aligned(1 << WORK_STRUCT_PWQ_SHIFT)',
	},
};

/** In-object free pointers: args.freeptr_offset of the TYPESAFE_BY_RCU creators (§5.3, offsets from BTF). */
const FREEPTR_OFFSET: Readonly<Record<string, number>> = {filp: 144, bfilp: 184, vm_area_struct: 0};

const KMALLOC_NAME = /^(?:kmalloc-(?:rcl-|cg-)?|dma-kmalloc-)\d+k?$/;

/** create_boot_cache(): kmalloc caches are aligned to the largest power of two dividing their size. */
const largestPowerOfTwoDivisor = (n: number): number => n & -n;

type Rules = {explicitAlign: boolean; kmallocAlign: boolean; freeptrOffset: boolean};
const ALL_RULES: Rules = {explicitAlign: true, kmallocAlign: true, freeptrOffset: true};

/** What the creator of this row passed to kmem_cache_create(), as far as the rules switched on infer it. */
function creatorRequest(row: SysfsCacheRow, cpus: number, rules: Rules = ALL_RULES): LayoutRequest {
	const isKmalloc = KMALLOC_NAME.test(row.name);
	let align = 0;
	if (isKmalloc && rules.kmallocAlign) align = largestPowerOfTwoDivisor(row.object_size);
	if (!isKmalloc && rules.explicitAlign) align = EXPLICIT_ALIGN[row.name]?.align ?? 0;
	return {
		objectSize: row.object_size,
		align,
		flags: sysfsFlags(row) | (isKmalloc ? SLAB_KMALLOC : 0),
		hasCtor: row.ctor !== '',
		freeptrOffset: rules.freeptrOffset ? (FREEPTR_OFFSET[row.name] ?? -1) : -1,
		cpus,
	};
}

function layoutOf(request: LayoutRequest): Layout {
	const result = computeLayout(request);
	if (!result.ok) throw new Error(result.message);
	return result.layout;
}

const rowsMismatching = (rules: Rules): string[] =>
	fixture.caches
		.filter(row => {
			const layout = layoutOf(creatorRequest(row, fixture.cpus, rules));
			return (
				layout.align !== row.align || JSON.stringify(layoutGeometry(layout)) !== JSON.stringify(sysfsGeometry(row))
			);
		})
		.map(row => row.name);

describe(`computeLayout reproduces /sys/kernel/slab of ${fixture.kernelRelease} with ${fixture.cpus} CPUs`, () => {
	it('the snapshot holds the 235 caches and 194 aliases the model was verified on', () => {
		expect([fixture.caches.length, Object.keys(fixture.symlinks).length]).toEqual([235, 194]);
	});

	it.each(fixture.caches.map(row => [row.name, row] as const))(
		'%s: slab_size, order, objs_per_slab, min_partial, cpu_partial, align',
		(_name, row) => {
			const layout = layoutOf(creatorRequest(row, fixture.cpus));
			expect({...layoutGeometry(layout), align: layout.align}).toEqual({...sysfsGeometry(row), align: row.align});
		},
	);

	it('the explicit-alignment table lists exactly the caches whose flags alone give less than the sysfs align', () => {
		const underAligned = fixture.caches
			.filter(row => !KMALLOC_NAME.test(row.name) && finalAlign(sysfsFlags(row), 0, row.object_size) < row.align)
			.map(row => row.name)
			.sort();
		expect(underAligned).toEqual(Object.keys(EXPLICIT_ALIGN).sort());
	});

	it('every inference rule is needed: dropping one breaks the rows that depend on it', () => {
		expect(rowsMismatching({...ALL_RULES, explicitAlign: false}).sort()).toEqual(Object.keys(EXPLICIT_ALIGN).sort());
		expect(rowsMismatching({...ALL_RULES, freeptrOffset: false})).toEqual(['vm_area_struct']);
		const kmallocBroken = rowsMismatching({...ALL_RULES, kmallocAlign: false});
		expect(kmallocBroken.length).toBeGreaterThan(0);
		expect(kmallocBroken.every(name => KMALLOC_NAME.test(name))).toBe(true);
	});
});

describe('--cpus N: the slab order follows num_present_cpus() (mm/slub.c calculate_order)', () => {
	it('min_objects is 8 for 1 CPU, 12 for 2–3, 16 for 4–7, then +4 per doubling up to 32 at 64', () => {
		const table: Array<[number, number, number]> = [
			[1, 1, 8],
			[2, 3, 12],
			[4, 7, 16],
			[8, 15, 20],
			[16, 31, 24],
			[32, 63, 28],
			[64, 64, 32],
		];
		for (const [from, to, minObjects] of table) {
			for (let cpus = from; cpus <= to; cpus++) expect([cpus, minObjectsFor(cpus)]).toEqual([cpus, minObjects]);
		}
	});

	const ordersChangedWith = (cpus: number): string[] =>
		fixture.caches.filter(row => layoutOf(creatorRequest(row, cpus)).order !== row.order).map(row => row.name);

	it('3 CPUs give the same geometry as the 2-CPU snapshot; 1 and 4 CPUs change the order of 47 and 26 caches', () => {
		expect(ordersChangedWith(3)).toEqual([]);
		expect(ordersChangedWith(1)).toHaveLength(47);
		expect(ordersChangedWith(4)).toHaveLength(26);
	});

	it('a cache whose order changes holds at least min_objects per slab when its slab can', () => {
		for (const cpus of [1, 4, 8, 64]) {
			const minObjects = minObjectsFor(cpus);
			for (const name of ordersChangedWith(cpus)) {
				const row = fixture.caches.find(r => r.name === name);
				if (!row) throw new Error(name);
				const layout = layoutOf(creatorRequest(row, cpus));
				const fitsAtMaxOrder = Math.floor((4096 << 3) / layout.size);
				expect([name, cpus, layout.objects >= Math.min(minObjects, fitsAtMaxOrder)]).toEqual([name, cpus, true]);
				expect(layout.objects).toBe(Math.floor((4096 << layout.order) / layout.size));
			}
		}
	});
});
