// The detail view of one cache: layout (object size, slot size, align, order, objects per slab,
// free pointer offset, flags, constructor), aliases, the slabs by state (per-CPU active, per-CPU
// partial, node partial, full), a map of every slab shaded by fullness, the SLUB_STATS
// counters, and for demo_objects its live objects as /proc/kmem_cache_demo lists them.
// `detailParts(props)` builds the page as data (so its height is known); the view shows it.

import type {SlabInfo} from '../../engine/index.js';
import {demoObjectLines} from '../../workload/demo.js';
import type {SimDetail, SlabMapCell} from '../../sim/types.js';
import {MS_PER_TICK} from '../../workload/tick-machine.js';
import type {CacheRow, KernelInfo} from '../../sources/source.js';
import {kernelDetailSections} from '../../report/kernel-detail.js';
import {formatFixed} from '../../report/printf.js';
import {cacheSizeBytes, utilisationPercent} from '../../report/row-figures.js';
import {hexText, plural, printable, shade, SHADES} from '../format.js';
import {Parts, partsHeight, ScrollPage, type Part} from './scroll-page.js';

/** Lines of slab map at the most; beyond that each cell stands for several slabs. */
export const MAP_LINES = 8;

export type DetailProps = {
	name: string;
	/** The cache's slabinfo row in the latest sample, or null when it is gone. */
	row: CacheRow | null;
	/** What the simulator knows; null for kernel and file sources (or a cache that is gone). */
	detail: SimDetail | null;
	isSim: boolean;
	/** What the kernel source knows of the kernel (release, sheaves, SLUB_STATS). */
	kernel?: KernelInfo;
	/** The simulator's clock, for the ages of demo objects. */
	tick: number;
	/** The slab chosen on the slab map (← →; Enter shows its objects), or -1 for none. */
	slabCursor?: number;
	width: number;
	height: number;
	scroll: number;
};

function used(slab: SlabInfo): string {
	return `${slab.inuse}/${slab.objects}`;
}

function sumUsed(slabs: readonly SlabInfo[]): string {
	let inuse = 0;
	let objects = 0;
	for (const slab of slabs) {
		inuse += slab.inuse;
		objects += slab.objects;
	}

	return `${plural(slabs.length, 'slab')}, ${inuse}/${objects} objects in use`;
}

function statesLines(detail: SimDetail): string[] {
	const {states} = detail;
	const lines = ['Slabs by state'];
	states.cpuSlab.forEach((slab, cpu) => {
		const active =
			slab === null
				? 'no cpu slab'
				: `cpu slab ${hexText(slab.address)} ${used(slab)} in use, ${states.cpuFreelistLength[cpu]} on the cpu freelist`;
		lines.push(`  cpu${cpu}  ${active}; cpu partial: ${sumUsed(states.cpuPartial[cpu] ?? [])}`);
	});
	lines.push(`  node partial: ${sumUsed(states.nodePartial)}`, `  full: ${plural(states.full, 'slab')}`);
	return lines;
}

/** The cell of the slab the cursor is on. */
const CURSOR = '◆';

const STATE_NAMES: Readonly<Record<number, string>> = {1: 'cpu slab', 2: 'cpu partial', 3: 'node partial', 4: 'full'};

/** The slab map: one cell per slab, wrapped to the width; past MAP_LINES lines cells group slabs. */
export function slabMapLines(map: readonly SlabMapCell[], width: number, cursor = -1): string[] {
	const legend = `Slab map: ${plural(map.length, 'slab')}  ${SHADES[0]} empty ${SHADES[1]} ≤⅓ ${SHADES[2]} ≤⅔ ${SHADES[3]} <full ${SHADES[4]} full`;
	if (map.length === 0) return [legend, '  (no slabs)'];
	const perLine = Math.max(1, width - 2);
	const group = Math.max(1, Math.ceil(map.length / (perLine * MAP_LINES)));
	let cells = '';
	const chosen = cursor >= 0 && cursor < map.length ? Math.floor(cursor / group) * group : -1;
	for (let start = 0; start < map.length; start += group) {
		if (start === chosen) {
			cells += CURSOR;
			continue;
		}

		let inuse = 0;
		let objects = 0;
		for (const cell of map.slice(start, start + group)) {
			inuse += cell.used;
			objects += cell.objects;
		}

		cells += shade(inuse, objects);
	}

	const lines = [legend];
	for (let start = 0; start < cells.length; start += perLine) lines.push(`  ${cells.slice(start, start + perLine)}`);
	if (group > 1) lines.push(`  (${map.length} slabs: each cell is ${group} slabs, shaded by their objects in use)`);
	if (chosen >= 0) {
		const slab = map[cursor];
		lines.push(
			`  ${CURSOR} slab ${cursor + 1} of ${map.length}: ${hexText(slab.slab * 4096)} ${slab.used}/${slab.objects} in use, ${STATE_NAMES[slab.state] ?? 'full'}  (← → another slab, Enter its objects)`,
		);
	}
	return lines;
}

/** A cache with sheaves (6.18): each CPU's main and spare sheaf, and the node's barn. */
export function sheafLines(detail: SimDetail): string[] {
	const sh = detail.sheaves;
	if (sh === null) return [];
	const lines = [
		`Sheaves: capacity ${sh.capacity}, ${plural(sh.objects, 'object')} held (allocated as far as the slabs know)`,
	];
	sh.cpus.forEach((c, cpu) => {
		lines.push(
			`  cpu${cpu}  main ${c.main}/${sh.capacity}  spare ${c.spare === null ? 'none' : `${c.spare}/${sh.capacity}`}`,
		);
	});
	lines.push(`  barn: ${sh.barnFull} full (at most ${sh.maxFull}), ${sh.barnEmpty} empty`);
	return lines;
}

function layoutParts(detail: SimDetail): Part[] {
	const {cache} = detail;
	const layout = cache.layout;
	return [
		{
			kind: 'table',
			rows: [
				{
					'object size': layout.objectSize,
					'slot size': layout.size,
					align: layout.align,
					order: layout.order,
					'objs/slab': layout.objects,
					'free ptr offset': layout.offset,
				},
			],
		},
		{
			kind: 'lines',
			lines: [
				`flags: ${cache.flagNames.length === 0 ? 'none' : cache.flagNames.join(' ')}`,
				`ctor: ${cache.ctorName ?? 'none'}   refcount ${cache.refcount}   aliases: ${cache.aliases.length === 0 ? 'none' : cache.aliases.join(', ')}`,
				`min_partial ${layout.minPartial}   cpu_partial ${layout.cpuPartial} objects   pages ${cache.pages}   in use ${cache.inUse}   allocs ${cache.allocs}   frees ${cache.frees}   failures ${cache.failures}`,
			],
		},
	];
}

function countersPart(detail: SimDetail): Part {
	const nonZero = detail.counters.filter(counter => counter.total !== 0);
	if (nonZero.length === 0) return {kind: 'lines', lines: ['SLUB_STATS: every counter is 0']};
	return {
		kind: 'table',
		rows: nonZero.map(counter => {
			const row: Record<string, string | number> = {counter: counter.name, total: counter.total};
			counter.perCpu.forEach((value, cpu) => {
				row[`C${cpu}`] = value;
			});
			return row;
		}),
	};
}

/** The kmem_cache_demo module's listing (stats_show): `[id] data='…' age=N ms accesses=N`. */
export function demoLines(detail: SimDetail, tick: number): string[] {
	const objects = detail.demoObjects;
	if (objects === null) return [];
	return ['', 'Active Objects:', ...demoObjectLines(objects, tick, MS_PER_TICK)];
}

function slabinfoPart(row: CacheRow): Part {
	return {
		kind: 'table',
		rows: [
			{
				objs: row.numObjs,
				active: row.activeObjs,
				use: `${utilisationPercent(row)}%`,
				'obj size': row.objSize,
				'objs/slab': row.objsPerSlab,
				'pages/slab': row.pagesPerSlab,
				slabs: row.numSlabs,
				'cache size': `${formatFixed(cacheSizeBytes(row) / 1024, 0)}K`,
			},
		],
	};
}

export function detailParts(props: DetailProps): Part[] {
	const {row, detail, isSim, width, tick} = props;
	if (detail === null) {
		const parts: Part[] = [];
		if (row === null) parts.push({kind: 'lines', lines: ['This cache is no longer in the sample.']});
		else parts.push(slabinfoPart(row));
		if (!isSim && row?.sysfs !== undefined) {
			parts.push(...kernelDetailSections(row, row.sysfs, props.kernel));
			parts.push({kind: 'lines', lines: ['', "The slab map and each slab's state need the simulator (--source sim)."]});
			return parts;
		}

		parts.push({
			kind: 'lines',
			lines: isSim
				? ['The simulator has no detail for this cache.']
				: [
						'',
						'Layout, slabs by state, the slab map and the SLUB_STATS counters need /sys/kernel/slab',
						'(--source kernel, as root) or the simulator (--source sim).',
					],
		});
		return parts;
	}

	return [
		...layoutParts(detail),
		{
			kind: 'lines',
			lines: [
				'',
				...statesLines(detail),
				...(detail.sheaves === null ? [] : ['', ...sheafLines(detail)]),
				'',
				...slabMapLines(detail.map, width, props.slabCursor ?? -1),
				'',
				'SLUB_STATS (non-zero counters)',
			],
		},
		countersPart(detail),
		{kind: 'lines', lines: demoLines(detail, tick)},
	];
}

export function detailLineCount(props: DetailProps): number {
	return partsHeight(detailParts(props));
}

export function Detail(props: DetailProps) {
	const parts = detailParts(props);
	return (
		<ScrollPage
			title={`${printable(props.name)}  (Esc back)`}
			height={props.height}
			scroll={props.scroll}
			lines={partsHeight(parts)}
		>
			<Parts parts={parts} />
		</ScrollPage>
	);
}
