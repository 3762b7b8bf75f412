import {describe, expect, it} from 'vitest';
import {
	EXPLAIN_COLUMNS,
	EXPLAIN_HEADER_LINES,
	explain,
	explanationLines,
	type ExplainInput,
} from '../../source/report/explain.js';
import {cacheRow} from '../helpers/fake-sources.js';

// dentry as a real 2-CPU 6.18 machine shows it: 192-byte slots, 21 per order-0 slab.
const dentry = cacheRow('dentry', {
	activeObjs: 22045,
	numObjs: 27510,
	objSize: 192,
	objsPerSlab: 21,
	pagesPerSlab: 1,
	numSlabs: 1310,
	partial: 270,
	allocs: 40000,
	frees: 19000,
});
const kmalloc8k = cacheRow('kmalloc-8k', {
	activeObjs: 40,
	numObjs: 44,
	objSize: 8192,
	objsPerSlab: 4,
	pagesPerSlab: 8,
	numSlabs: 11,
});

function text(input: Partial<ExplainInput> & Pick<ExplainInput, 'target'>): string {
	return explanationLines(explain({row: dentry, rows: [dentry, kmalloc8k], sourceKind: 'sim', ...input})).join('\n');
}

describe('explain', () => {
	it('works USE out from active_objs and num_objs, and says that CPU-held free objects count as active', () => {
		const out = text({target: {kind: 'column', column: 'use'}});
		// 22045 / 27510 = 0.80134… → 80.1 %, slabtop truncates to 80 %
		expect(out).toContain('USE = 22045 / 27510 = 80.1 % → shown as 80%');
		// the simulator knows the real count: 40000 − 19000 = 21000 of 27510 = 76.3 %
		expect(out).toContain('objects really in use: 21000 / 27510 = 76.3 %');
		expect(out).toContain('includes free objects held by CPUs');
		expect(out).toContain('procps-ng library/slabinfo.c');
	});

	it('ACTIVE: num_objs minus the free objects on the node partial lists, and how many of them are free', () => {
		const out = text({target: {kind: 'column', column: 'active'}});
		expect(out).toContain('active_objs = num_objs − free on node partial lists = 27510 − 5465 = 22045');
		expect(out).toContain('= 21000: 1045 of the "active" objects are free');
		expect(out).toContain('count_partial_free_approx');
	});

	it('without allocation counts (a kernel or file source) it does not claim to know the real count', () => {
		const out = text({
			target: {kind: 'column', column: 'use'},
			sourceKind: 'kernel',
			row: {...dentry, allocs: null, frees: null},
		});
		expect(out).not.toContain('really in use');
	});

	it('the slab header line is always 100 % on SLUB, and says why', () => {
		const out = text({target: {kind: 'header', line: 'slabs'}});
		// 1310 + 11 slabs, active_slabs = num_slabs
		expect(out).toContain('1321 / 1321 = 100.0 %');
		expect(out).toContain('sinfo->active_slabs = nr_slabs');
	});

	it('CACHE SIZE: num_slabs × pages per slab × 4 KiB, an upper bound', () => {
		const out = text({target: {kind: 'column', column: 'cacheSize'}, row: kmalloc8k});
		// 11 × 8 × 4096 = 360448 bytes = 352K
		expect(out).toContain('CACHE SIZE = 11 × 8 × 4096 = 352K');
		expect(out).toContain('upper bound');
	});

	it('PARTIAL: node partial slabs, their share, and min_partial where sysfs gives it', () => {
		const out = text({target: {kind: 'column', column: 'partial'}, sysfs: {min_partial: 5}});
		// 270 / 1310 = 20.6 %
		expect(out).toContain('PARTIAL = 270 of 1310 slabs (20.6 %)');
		expect(out).toContain('min_partial = 5');
		const unknown = text({
			target: {kind: 'column', column: 'partial'},
			row: {...dentry, partial: null},
			sourceKind: 'file',
		});
		expect(unknown).toContain('not known to this source');
	});

	it('NAME of a merged cache lists its aliases', () => {
		const out = text({
			target: {kind: 'column', column: 'name'},
			row: cacheRow('kmalloc-192'),
			sysfs: {aliases: ['kmalloc-192', 'my_cache', 'bio-192'], sysfs_name: ':0000192'},
		});
		expect(out).toContain('3 creators share this cache: kmalloc-192, my_cache, bio-192');
		expect(out).toContain('/sys/kernel/slab/:0000192');
	});

	it('rates: the simulator counts allocations, /proc/slabinfo does not', () => {
		expect(
			text({target: {kind: 'column', column: 'allocRate'}, rates: {allocPerSec: 1998.4, freePerSec: 612}, failures: 3}),
		).toContain('rate = Δallocations / Δt = 1998/s');
		const kernel = text({
			target: {kind: 'column', column: 'freeRate'},
			sourceKind: 'kernel',
			row: {...dentry, allocs: null, frees: null},
		});
		expect(kernel).toContain('not known to this source');
	});

	it('OBJ/SLAB: the division of the slab by the slot', () => {
		// order 3: 32768 / 8192 = 4, nothing left over
		expect(text({target: {kind: 'column', column: 'objPerSlab'}, row: kmalloc8k})).toContain(
			'order 3: 8 pages = 32768 bytes; 32768 / 8192 = 4 slots, 0 bytes left over',
		);
	});

	it('has an explanation for every column and header line', () => {
		for (const column of EXPLAIN_COLUMNS)
			expect(
				explain({target: {kind: 'column', column}, row: dentry, rows: [dentry], sourceKind: 'kernel'}).worked.length,
			).toBeGreaterThan(0);
		for (const line of EXPLAIN_HEADER_LINES)
			expect(
				explain({target: {kind: 'header', line}, row: null, rows: [dentry], sourceKind: 'file'}).worked.length,
			).toBeGreaterThan(0);
	});
});
