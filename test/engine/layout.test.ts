import {describe, expect, it} from 'vitest';
import {computeLayout, finalAlign, type Layout} from '../../source/engine/layout.js';
import {
	SLAB_CONSISTENCY_CHECKS,
	SLAB_HWCACHE_ALIGN,
	SLAB_KMALLOC,
	SLAB_POISON,
	SLAB_RED_ZONE,
	SLAB_STORE_USER,
	SLAB_TYPESAFE_BY_RCU,
} from '../../source/engine/flags.js';

function layout(
	objectSize: number,
	align: number,
	flags: number,
	hasCtor = false,
	freeptrOffset = -1,
	cpus = 2,
): Layout {
	const r = computeLayout({objectSize, align, flags, hasCtor, freeptrOffset, cpus});
	if (!r.ok) throw new Error(r.message);
	return r.layout;
}

describe('computeLayout gives the layouts mm/slub.c gives 6.18 caches', () => {
	// name, O, align, flags, ctor, fpo → align, size, order, objs, min_partial, cpu_partial
	const rows: Array<[string, number, number, number, boolean, number, number, number, number, number, number, number]> =
		[
			['kmalloc-8', 8, 8, SLAB_KMALLOC, false, -1, 8, 8, 0, 512, 5, 120],
			['kmalloc-96', 96, 32, SLAB_KMALLOC, false, -1, 32, 96, 0, 42, 5, 120],
			['kmalloc-192', 192, 64, SLAB_KMALLOC, false, -1, 64, 192, 0, 21, 5, 120],
			['kmalloc-1k', 1024, 1024, SLAB_KMALLOC, false, -1, 1024, 1024, 2, 16, 5, 24],
			['kmalloc-8k', 8192, 8192, SLAB_KMALLOC, false, -1, 8192, 8192, 3, 4, 6, 6],
			['anon_vma', 96, 0, SLAB_TYPESAFE_BY_RCU, true, -1, 8, 104, 0, 39, 5, 120],
			['vm_area_struct', 192, 0, SLAB_TYPESAFE_BY_RCU | SLAB_HWCACHE_ALIGN, false, 0, 64, 192, 0, 21, 5, 120],
			['TCP', 2304, 0, SLAB_TYPESAFE_BY_RCU | SLAB_HWCACHE_ALIGN, false, -1, 64, 2368, 3, 13, 5, 24],
			['kmem_cache', 232, 0, SLAB_HWCACHE_ALIGN, false, -1, 64, 256, 0, 16, 5, 52],
			['task_struct', 5840, 64, 0, false, -1, 64, 5888, 3, 5, 6, 6],
			['kvm_vcpu', 51472, 16, 0, false, -1, 16, 51472, 4, 1, 7, 6],
		];
	for (const [name, o, a, flags, ctor, fpo, align, size, order, objs, minP, cpuP] of rows) {
		it(`${name}: size ${size}, order ${order}, ${objs} per slab`, () => {
			const l = layout(o, a, flags, ctor, fpo);
			expect([l.align, l.size, l.order, l.objects, l.minPartial, l.cpuPartial]).toEqual([
				align,
				size,
				order,
				objs,
				minP,
				cpuP,
			]);
		});
	}

	it('the bench cache (64 bytes) keeps its free pointer at offset 32 and 4 slabs per CPU partial list', () => {
		const l = layout(64, 8, 0);
		expect([l.size, l.order, l.objects, l.offset, l.cpuPartialSlabs]).toEqual([64, 0, 64, 32, 4]);
	});

	it('kmalloc-64 with F+Z+P+U lays out red zones, tracks and the pointer after the object', () => {
		const l = layout(64, 64, SLAB_KMALLOC | SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER);
		expect([l.inuse, l.offset, l.redLeftPad, l.size, l.objects, l.cpuPartial]).toEqual([72, 72, 64, 256, 16, 0]);
	});

	it('a 60-byte cache with Z only keeps the free pointer in the middle', () => {
		const l = layout(60, 0, SLAB_RED_ZONE);
		expect([l.inuse, l.offset, l.size]).toEqual([64, 24, 80]);
	});

	it('HWCACHE_ALIGN halves the line for small objects', () => {
		expect(finalAlign(SLAB_HWCACHE_ALIGN, 0, 16)).toBe(16);
		expect(finalAlign(SLAB_HWCACHE_ALIGN, 0, 17)).toBe(32);
		expect(finalAlign(SLAB_HWCACHE_ALIGN, 0, 33)).toBe(64);
		expect(finalAlign(0, 0, 100)).toBe(8);
	});

	it('the CPU count changes the order, as on a kernel with more CPUs', () => {
		const two = layout(632, 0, 0, false, -1, 2);
		const many = layout(632, 0, 0, false, -1, 64);
		expect([two.order, two.objects]).toEqual([2, 25]);
		expect(many.order).toBeGreaterThanOrEqual(two.order);
		expect(layout(256, 0, 0, false, -1, 1).order).not.toBe(layout(256, 0, 0, false, -1, 16).order);
	});

	it('rejects bad sizes and alignments with a message', () => {
		expect(computeLayout({objectSize: 0, align: 0, flags: 0, hasCtor: false, freeptrOffset: -1, cpus: 2}).ok).toBe(
			false,
		);
		expect(computeLayout({objectSize: 64, align: 3, flags: 0, hasCtor: false, freeptrOffset: -1, cpus: 2}).ok).toBe(
			false,
		);
		expect(computeLayout({objectSize: 64, align: 0, flags: 0, hasCtor: false, freeptrOffset: 8, cpus: 2}).ok).toBe(
			false,
		);
	});
});
