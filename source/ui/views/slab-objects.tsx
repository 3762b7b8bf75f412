// The objects inside one slab (the detail view's slab map, Enter on a slab): each slot as a
// cell — in use, free on the slab's freelist (fN: N-th on it), or free on the CPU freelist of
// the CPU holding the slab (cN) — with the slab's address, order, inuse/objects, frozen and
// list, the byte layout of a slot (red zones, free pointer, tracks, padding), and for
// demo_objects the data, age and accesses of each live object.

import {Box, Text} from 'ink';
import type {SlabObjectCell, SlabObjects, SlotLayout} from '../../engine/index.js';
import type {DemoObjectView} from '../../workload/demo.js';
import {MS_PER_TICK} from '../../workload/tick-machine.js';
import {durationText} from '../format.js';
import {Lines, ScrollPage} from './scroll-page.js';

export type SlabObjectsViewProps = {
	cacheName: string;
	view: SlabObjects;
	/** demo_objects only: its live objects (those in this slab are listed). */
	demoObjects: readonly DemoObjectView[] | null;
	tick: number;
	width: number;
	height: number;
	scroll: number;
};

const CELL = 5;

const hex = (address: number): string => `0x${address.toString(16).padStart(8, '0')}`;

export function cellText(cell: SlabObjectCell): string {
	if (cell.state === 'used') return '██';
	return `${cell.state === 'slab-free' ? 'f' : 'c'}${cell.freeOrder ?? ''}`;
}

/** Cells per grid row for a screen width (a 6-column row label in front). */
export function cellsPerRow(width: number): number {
	return Math.max(4, Math.floor((width - 6) / CELL));
}

export function slotText(slot: SlotLayout): string {
	const parts = [];
	if (slot.leftRedZone > 0) parts.push(`red zone ${slot.leftRedZone}`);
	parts.push(
		`object ${slot.object}${slot.isFreePointerAfter ? '' : ` (free pointer at +${slot.freePointerOffset} while free)`}`,
	);
	if (slot.rightRedZone > 0) parts.push(`${slot.hasRedZone ? 'red zone' : 'alignment'} ${slot.rightRedZone}`);
	if (slot.isFreePointerAfter) parts.push('free pointer 8');
	if (slot.tracks > 0) parts.push(`alloc/free tracks ${slot.tracks}`);
	if (slot.padding > 0) parts.push(`padding ${slot.padding}`);
	const poison = slot.isPoisoned ? '; free objects are poisoned (0x6b … 0xa5)' : '';
	return `slot ${slot.size} B = ${parts.join(' + ')}${poison}`;
}

/** The heading lines above the grid. */
export function slabHeading(cacheName: string, view: SlabObjects): string[] {
	const where =
		view.list === 'cpu slab'
			? `frozen: the cpu slab of CPU ${view.cpu}`
			: view.list === 'cpu partial'
				? `on CPU ${view.cpu}'s partial list`
				: view.list === 'node partial'
					? 'on the node partial list'
					: 'full: on no list';
	const pages = 1 << view.order;
	return [
		`${cacheName} slab ${hex(view.address)} order ${view.order} (${pages} page${pages === 1 ? '' : 's'}): ${view.used}/${view.objects} in use (inuse ${view.inuse}), ${where}`,
		`slab freelist ${view.slabFreelist.length} object${view.slabFreelist.length === 1 ? '' : 's'}${view.list === 'cpu slab' ? `, CPU ${view.cpu} freelist ${view.cpuFreelist.length}` : ''}`,
	];
}

/** demo_objects listing lines for the objects of this slab. */
export function demoLines(view: SlabObjects, objects: readonly DemoObjectView[], tick: number): string[] {
	const end = view.address + (4096 << view.order);
	const here = objects.filter(o => o.address >= view.address && o.address < end);
	if (here.length === 0) return ['no demo object lives in this slab'];
	return here.map(
		o =>
			`#${o.id} ${hex(o.address)}  age ${durationText((tick - o.allocatedTick) * MS_PER_TICK)}  accesses ${o.accessCount}  "${o.data}"`,
	);
}

const COLOR: Readonly<Record<SlabObjectCell['state'], string>> = {
	used: 'green',
	'slab-free': 'yellow',
	'cpu-free': 'cyan',
};

export function SlabObjectsView({cacheName, view, demoObjects, tick, width, height, scroll}: SlabObjectsViewProps) {
	const perRow = cellsPerRow(width);
	const rows: SlabObjectCell[][] = [];
	for (let i = 0; i < view.cells.length; i += perRow) rows.push(view.cells.slice(i, i + perRow));
	const heading = slabHeading(cacheName, view);
	const after = [
		'',
		`██ in use   fN free on the slab freelist (N: order on it)   cN free on the CPU freelist   (${hex(view.cells[0]?.address ?? view.address)} is object 0)`,
		slotText(view.slot),
		...(demoObjects === null ? [] : ['', 'demo_objects in this slab:', ...demoLines(view, demoObjects, tick)]),
	];
	return (
		<ScrollPage
			title={`Objects of one slab  (Esc back to the slab map)`}
			height={height}
			scroll={scroll}
			lines={heading.length + rows.length + after.length}
		>
			<Lines lines={heading} />
			{rows.map(row => (
				<Box key={row[0].index}>
					<Text dimColor>{`${String(row[0].index).padStart(4)}  `}</Text>
					{row.map(cell => (
						<Text key={cell.index} color={COLOR[cell.state]}>
							{cellText(cell).padEnd(CELL)}
						</Text>
					))}
				</Box>
			))}
			<Lines lines={after} />
		</ScrollPage>
	);
}
