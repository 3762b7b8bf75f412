// The memory view: the page allocator. On the simulator: free blocks per order as
// /proc/buddyinfo prints them, pages used by slabs, by large kmalloc and free, and fragmentation
// (the share of free memory unusable for a request of each order). On the kernel source: the
// real /proc/buddyinfo, per node and zone, with the same figures. For a file only the slab
// pages (from slabinfo) are known.

import type {MemoryStats} from '../../engine/index.js';
import {freePages, unusableIndex, type BuddyZone} from '../../sources/buddyinfo-parse.js';
import type {SourceKind} from '../../sources/source.js';
import {PAGE_SIZE} from '../../report/row-figures.js';
import {formatFixed} from '../../report/printf.js';
import {percentText} from '../../report/once.js';
import {sizeText} from '../format.js';
import {Parts, partsHeight, ScrollPage, type Part} from './scroll-page.js';

export type MemoryProps = {
	memory: MemoryStats | null;
	/** Pages held by slabs according to the sample (Σ num_slabs × pages_per_slab). */
	samplePages: number;
	/** The kernel's /proc/buddyinfo zones, when the kernel source read them. */
	zones?: readonly BuddyZone[] | null;
	zonesError?: string | null;
	sourceKind?: SourceKind;
	height: number;
	scroll: number;
};

function pagesText(pages: number, total: number): string {
	return `${pages} pages (${sizeText(pages * PAGE_SIZE)}, ${percentText(pages, total, '-')}%)`;
}

/** /proc/buddyinfo's line for the one simulated zone. */
export function buddyinfoLine(freeBlocks: readonly number[]): string {
	return `Node 0, zone   Normal ${freeBlocks.map(count => String(count).padStart(6)).join(' ')}`;
}

/** The kernel's zones: /proc/buddyinfo's lines, then per zone its free blocks and fragmentation. */
function zoneParts(zones: readonly BuddyZone[], samplePages: number): Part[] {
	const parts: Part[] = [
		{
			kind: 'lines',
			lines: [
				`slabs   ${samplePages} pages (${sizeText(samplePages * PAGE_SIZE)}, from slabinfo)`,
				'',
				'/proc/buddyinfo',
				...zones.map(
					zone =>
						`Node ${zone.node}, zone ${zone.zone.padStart(8)} ${zone.freeBlocks.map(count => String(count).padStart(6)).join(' ')}`,
				),
			],
		},
	];
	for (const zone of zones) {
		const free = freePages(zone);
		const unusable = unusableIndex(zone);
		parts.push(
			{
				kind: 'lines',
				lines: ['', `Node ${zone.node} ${zone.zone}: ${free} free pages (${sizeText(free * PAGE_SIZE)})`],
			},
			{
				kind: 'table',
				rows: zone.freeBlocks.map((count, order) => ({
					order,
					'block size': sizeText(PAGE_SIZE * 2 ** order),
					'free blocks': count,
					'free pages': count * 2 ** order,
					'unusable for this order': `${formatFixed((unusable[order] ?? 0) * 100, 1)}%`,
				})),
			},
		);
	}

	return parts;
}

export function memoryParts({memory, samplePages, zones = null, zonesError = null, sourceKind}: MemoryProps): Part[] {
	if (memory === null && zones !== null) return zoneParts(zones, samplePages);
	if (memory === null) {
		const why =
			sourceKind === 'kernel'
				? (zonesError ?? 'Reading /proc/buddyinfo…')
				: 'Free blocks per order need --source kernel (/proc/buddyinfo) or --source sim.';
		return [
			{
				kind: 'lines',
				lines: [`Pages used by slabs (from slabinfo): ${samplePages} (${sizeText(samplePages * PAGE_SIZE)})`, '', why],
			},
		];
	}

	const total = memory.totalPages;
	const otherPages = total - memory.freePages - memory.slabPages - memory.largeKmallocPages;
	const unusableOrder3 = memory.unusable.length > 3 ? memory.unusable[3] : 0;
	return [
		{
			kind: 'lines',
			lines: [
				`total   ${pagesText(total, total)}`,
				`slabs   ${pagesText(memory.slabPages, total)}`,
				...(memory.largeKmallocs > 0
					? [
							`large kmalloc ${pagesText(memory.largeKmallocPages, total)} in ${memory.largeKmallocs} compound page${memory.largeKmallocs === 1 ? '' : 's'} (above 8 KiB, not in slabinfo)`,
						]
					: []),
				...(otherPages > 0 ? [`other   ${pagesText(otherPages, total)}`] : []),
				`free    ${pagesText(memory.freePages, total)}`,
				`fragmentation: ${formatFixed(unusableOrder3 * 100, 1)}% of free memory is unusable for an order-3 request`,
				'',
				'/proc/buddyinfo',
				buddyinfoLine(memory.freeBlocks),
				'',
			],
		},
		{
			kind: 'table',
			rows: memory.freeBlocks.map((count, order) => ({
				order,
				'block size': sizeText(PAGE_SIZE * 2 ** order),
				'free blocks': count,
				'free pages': count * 2 ** order,
				'unusable for this order': `${formatFixed((memory.unusable[order] ?? 0) * 100, 1)}%`,
			})),
		},
	];
}

export function memoryLineCount(props: MemoryProps): number {
	return partsHeight(memoryParts(props));
}

export function Memory(props: MemoryProps) {
	const parts = memoryParts(props);
	return (
		<ScrollPage
			title="Memory: the page allocator  (Tab next view)"
			height={props.height}
			scroll={props.scroll}
			lines={partsHeight(parts)}
		>
			<Parts parts={parts} />
		</ScrollPage>
	);
}
