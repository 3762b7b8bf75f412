// The header: slabtop's five summary lines (the figures --once prints) and one status line
// (source, simulated time, workload phase with a progress bar, memory in use, running or
// paused, sort and delay, the latest event or the last read error).

import {Box, Text} from 'ink';
import {PAGE_SIZE} from '../../report/row-figures.js';
import {EXTRA_SORT_NAMES, SORT_KEY_DESCRIPTIONS, type ExtraSort, type SortKey} from '../../report/sort.js';
import type {Totals} from '../../report/totals.js';
import type {SimStatus} from '../../sim/types.js';
import {headerLines} from '../../report/once.js';
import {durationText, progressBar, sizeText} from '../format.js';

export type StatusProps = {
	label: string;
	status: SimStatus | null;
	sortKey: SortKey;
	/** A sort by PARTIAL, ALLOC/s, FREE/s or FAIL (< and >), shown instead of the key. */
	extraSort?: ExtraSort | null;
	reversed: boolean;
	delayMs: number;
	/** The last refresh's failure, shown instead of the latest event. */
	error: string | null;
};

function delayText(ms: number): string {
	return ms < 1000 ? `${ms}ms` : `${ms / 1000}s`;
}

/** The status line's parts, in order (joined by two spaces). */
export function statusParts({label, status, sortKey, extraSort = null, reversed, delayMs, error}: StatusProps): string[] {
	const parts = [label];
	if (status !== null) {
		parts.push(`t=${durationText(status.timeMs)}`);
		const w = status.workload;
		if (w === null) parts.push('no workload');
		else if (w.isFinished) parts.push(`${w.name}: finished`);
		else {
			parts.push(
				`${w.name}: ${w.phase} ${w.phaseIndex + 1}/${w.phaseCount} ${progressBar(w.phaseProgress, 10)} ${Math.round(w.progress * 100)}%`,
			);
		}

		const m = status.memory;
		parts.push(`mem ${sizeText((m.totalPages - m.freePages) * PAGE_SIZE)}/${sizeText(m.totalPages * PAGE_SIZE)}`);
		parts.push(status.isPaused ? 'PAUSED' : 'running');
	}

	const sortName = SORT_KEY_DESCRIPTIONS[sortKey].replace(/ \(.*\)$/, '').replace(/^\(non display\) /, '');
	const sorted = extraSort === null ? `sort ${sortKey}${reversed ? '↑' : '↓'} ${sortName}` : `sort ${reversed ? '↑' : '↓'} ${EXTRA_SORT_NAMES[extraSort]}`;
	parts.push(sorted, `every ${delayText(delayMs)}`);
	if (error !== null) parts.push(`! ${error}`);
	else if (status?.latestEvent) parts.push(`» ${status.latestEvent.text.split('\n')[0]}`);
	return parts;
}

export type SummaryProps = StatusProps & {totals: Totals};

export function Summary(props: SummaryProps) {
	return (
		<Box flexDirection="column">
			{headerLines(props.totals, {nanText: '-'}).map((line, index) => (
				// Fixed lines in a fixed order: the index is their identity.
				<Text key={index} wrap="truncate">
					{line}
				</Text>
			))}
			<Text wrap="truncate" color={props.error === null ? 'cyan' : 'red'}>
				{statusParts(props).join('  ')}
			</Text>
		</Box>
	);
}
