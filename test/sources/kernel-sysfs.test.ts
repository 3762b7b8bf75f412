// The kernel source over fixture /sys/kernel/slab trees (test/fixtures/sysfs/trees: a 6.18
// capture and its 7.0 reshaping, each with and without SLUB_STATS files): the sysfs columns,
// what a refresh reads, and the detail view's sections.

import {existsSync, readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {columnText, columnValue, listFilesFor, type ColumnId} from '../../source/report/columns.js';
import {kernelDetailSections, type DetailSection} from '../../source/report/kernel-detail.js';
import {createKernelSource, releaseHasSheaves} from '../../source/sources/kernel-source.js';
import {createSysfsReader} from '../../source/sources/sysfs-read.js';
import type {Sample} from '../../source/sources/source.js';

const tree = (name: string) => new URL(`../fixtures/sysfs/trees/${name}/`, import.meta.url).pathname;

function kernelSource(name: string) {
	return createKernelSource({
		slabinfoFile: `${tree(name)}slabinfo`,
		sysfsRoot: `${tree(name)}slab`,
		osreleaseFile: `${tree(name)}osrelease`,
	});
}

function sampleOf(source: ReturnType<typeof kernelSource>): Sample {
	const result = source.sample();
	if (!result.ok) throw new Error(result.error.message);
	return result.value;
}

const SYSFS_COLUMNS: ColumnId[] = ['partial', 'cpu_slabs', 'order', 'waste', 'rcl', 'aliases'];

function cells(sample: Sample, name: string): string[] {
	const row = sample.rows.find(candidate => candidate.name === name);
	if (row === undefined) throw new Error(`no ${name}`);
	return SYSFS_COLUMNS.map(id => columnText(id, columnValue(id, {row, rates: null, counters: null})));
}

function text(sections: DetailSection[]): string {
	return sections
		.map(section =>
			section.kind === 'lines' ? section.lines.join('\n') : section.rows.map(row => JSON.stringify(row)).join('\n'),
		)
		.join('\n');
}

describe('sysfs columns of the kernel source', () => {
	it('PARTIAL, CPU SLABS, ORDER, WASTE, RCL and ALIASES from a 6.18 tree', () => {
		const source = kernelSource('6.18');
		source.setSysfsRequest({
			names: ['dentry', 'kmalloc-64', 'task_struct'],
			listFiles: listFilesFor(SYSFS_COLUMNS),
			detail: null,
		});
		const sample = sampleOf(source);
		// dentry: 5547 one-page slabs less 116358 objects of 192 bytes = 379776 bytes (371K).
		expect(cells(sample, 'dentry')).toEqual(['22', '5', '0', '371K', 'yes', '0']);
		// task_struct: slabs of 8 pages; its objects are smaller than their slots (sysfs object_size).
		const objectSize = Number(readFileSync(`${tree('6.18')}slab/task_struct/object_size`, 'utf8'));
		const taskRow = sample.rows.find(row => row.name === 'task_struct')!;
		expect(taskRow).toMatchObject({pagesPerSlab: 8});
		expect(objectSize).toBeLessThan(taskRow.objSize);
		expect(columnValue('waste', {row: taskRow, rates: null, counters: null})).toBe(
			taskRow.numSlabs * 8 * 4096 - taskRow.activeObjs * objectSize,
		);
		// kmalloc-64: 36 slabs of 4096 bytes less 2195 objects of 64 bytes = 6976 bytes.
		expect(cells(sample, 'kmalloc-64').slice(2)).toEqual(['0', '7K', '-', '0']);
	});

	it('reads sysfs only for the requested caches, the layout once and the list files the columns need', () => {
		const source = kernelSource('6.18');
		source.setSysfsRequest({names: ['dentry', 'kmalloc-64'], listFiles: ['partial'], detail: null});
		const first = sampleOf(source);
		expect(first.rows.filter(row => row.sysfs !== undefined).map(row => row.name)).toEqual(['dentry', 'kmalloc-64']);
		expect(first.kernel?.sysfsFilesRead).toBe(2 * (20 + 1)); // 20 layout files once, `partial` each time
		const second = sampleOf(source);
		expect(second.kernel?.sysfsFilesRead).toBe(2);
		expect(second.rows.find(row => row.name === 'dentry')?.sysfs).not.toHaveProperty('cpu_slabs');
		source.setSysfsRequest({names: ['dentry'], listFiles: [], detail: null});
		expect(sampleOf(source).kernel?.sysfsFilesRead).toBe(0);
	});

	it('on 7.0, CPU SLABS reads 0 and the kernel is known to use sheaves', () => {
		const source = kernelSource('7.0');
		const sample = sampleOf(source);
		expect(sample.kernel).toMatchObject({release: '7.0.0-rc3', hasSheaves: true});
		expect(cells(sample, 'dentry')[1]).toBe('0');
		expect(cells(sample, 'maple_node')[1]).toBe('0');
		expect(releaseHasSheaves('6.18.44-fc-v669')).toBe(false);
		expect(releaseHasSheaves(null)).toBe(false);
	});
});

describe('/proc/buddyinfo through the kernel source', () => {
	it('is read only when asked for (the memory view)', () => {
		const source = createKernelSource({
			slabinfoFile: `${tree('6.18')}slabinfo`,
			sysfs: false,
			buddyinfoFile: `${tree('6.18')}slabinfo`,
		});
		expect(sampleOf(source).kernel).toMatchObject({buddyinfo: null, buddyinfoError: null});
		source.setSysfsRequest({names: [], listFiles: [], detail: null, buddyinfo: true});
		// A file of another shape: one line naming it, and no zones.
		expect(sampleOf(source).kernel?.buddyinfoError).toBe(
			`${tree('6.18')}slabinfo:1: expected "Node N, zone NAME" and free block counts`,
		);
	});

	it.skipIf(!existsSync('/proc/buddyinfo'))("reads the running kernel's zones", () => {
		const source = createKernelSource({slabinfoFile: `${tree('6.18')}slabinfo`, sysfs: false});
		source.setSysfsRequest({names: [], listFiles: [], detail: null, buddyinfo: true});
		expect(sampleOf(source).kernel?.buddyinfo?.length).toBeGreaterThan(0);
	});
});

describe('the detail view of a kernel cache', () => {
	function detail(name: string) {
		const source = kernelSource(name);
		source.setSysfsRequest({names: [], listFiles: [], detail: 'dentry'});
		const sample = sampleOf(source);
		const row = sample.rows.find(candidate => candidate.name === 'dentry')!;
		return {sample, page: text(kernelDetailSections(row, row.sysfs!, sample.kernel))};
	}

	it('6.18 without SLUB_STATS: layout, cpu slabs, waste, and one line saying the counters are missing', () => {
		const {sample, page} = detail('6.18');
		expect(sample.kernel?.hasSlubStats).toBe(false);
		expect(page).toContain('/sys/kernel/slab/dentry  (Linux 6.18.44-fc-v669)');
		expect(page).toContain('"cpu partial":"120"');
		expect(page).toContain('cpu slabs: 5 (active and cpu partial, over all CPUs)');
		expect(page).toContain('node partial: 22 slabs');
		expect(page).toContain('waste: 371K of 22188K in slabs (efficiency 98%, as tools/mm/slabinfo)');
		expect(page).toContain('SLUB_STATS: this kernel has no counter files (it is built without CONFIG_SLUB_STATS)');
		expect(page).not.toContain('sheaf capacity');
	});

	it("6.18 with SLUB_STATS: the counter files' totals", () => {
		const {sample, page} = detail('6.18-stats');
		expect(sample.kernel?.hasSlubStats).toBe(true);
		expect(page).toContain('{"counter":"alloc_fastpath","total":74125}');
		expect(page).toContain('{"counter":"deactivate_full","total":5558}');
		expect(page).not.toContain('no counter files');
	});

	it('7.0 without SLUB_STATS: sheaves instead of per-CPU slabs', () => {
		const {page} = detail('7.0');
		expect(page).toContain('"sheaf capacity":"28"');
		expect(page).toContain("per-CPU sheaves of up to 28 objects, exchanged with the node's barn");
		expect(page).toContain('Linux 7.0 has no per-CPU slabs');
		expect(page).not.toContain('cpu slabs:');
		expect(page).toContain('no counter files');
	});

	it('7.0 with SLUB_STATS: the renamed counters, sheaves and barn apart', () => {
		const {page} = detail('7.0-stats');
		expect(page).toContain('Sheaves and barn');
		expect(page).toMatch(/\{"counter":"barn_get","total":\d+\}/);
		expect(page).not.toContain('deactivate_full');
		expect(page).not.toContain('cpu_partial_alloc');
	});
});

describe('/sys/kernel/slab missing (a container)', () => {
	it('reads nothing, not a failed open per cache and file', () => {
		const reader = createSysfsReader('/nonexistent/sys/kernel/slab');
		expect(reader.read(['dentry', 'filp'], {listFiles: ['partial', 'slabs'], detail: 'dentry'})).toEqual(new Map());
		expect(reader.filesRead).toBe(0);
	});
});
