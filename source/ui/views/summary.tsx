// The header: slabtop's five summary lines (the figures --once prints) and one status line
// (source, simulated time, workload phase with a progress bar, memory in use, running or
// paused, sort and delay, the latest event or the last read error).

import {Box, Text} from 'ink';
import {PAGE_SIZE} from '../../report/row-figures.js';
import {SORT_KEY_DESCRIPTIONS, type SortKey} from '../../report/sort.js';
import type {Totals} from '../../report/totals.js';
import type {SimStatus} from '../../sim/types.js';
import {headerLines} from '../../report/once.js';
import {speedText} from '../../sim/clock.js';
import {durationText, printable, progressBar, sizeText} from '../format.js';
import {RATE_BASIS_TEXT, type RateBasis} from '../../report/rates.js';
import {columnById, type ColumnId} from '../../report/columns.js';
import {useColor} from '../palette.js';

export type StatusProps = {
	label: string;
	status: SimStatus | null;
	sortKey: SortKey;
	reversed: boolean;
	delayMs: number;
	/** The last refresh's failure, shown instead of the latest event. */
	error: string | null;
	/** An optional column the table is sorted by instead of the sort key. */
	sortColumn?: ColumnId | null;
	/** What the rate columns are taken against (shown when a rate column is). */
	rateBasis?: RateBasis | null;
	/** A note to show once (a settings file that could not be used). */
	note?: string | null;
};

/** Simulated time behind the clock the status line mentions (less is a refresh's normal lag). */
const BEHIND_SHOWN_MS = 500;

function delayText(ms: number): string {
	return ms < 1000 ? `${ms}ms` : `${ms / 1000}s`;
}

/** The status line's parts, in order (joined by two spaces). */
export function statusParts({
	label,
	status,
	sortKey,
	reversed,
	delayMs,
	error,
	sortColumn = null,
	rateBasis = null,
	note = null,
}: StatusProps): string[] {
	const parts = [printable(label)];
	if (status !== null) {
		parts.push(`t=${durationText(status.timeMs)}`);
		const w = status.workload;
		if (w === null) parts.push('no workload');
		else if (w.isFinished) parts.push(`${w.name}: finished`);
		else {
			// The bar and the percentage after it are the phase's; with more phases, the whole workload's follows.
			const phase = `${w.name}: ${w.phase} ${w.phaseIndex + 1}/${w.phaseCount} ${progressBar(w.phaseProgress, 10)} ${Math.floor(w.phaseProgress * 100)}%`;
			parts.push(w.phaseCount > 1 ? `${phase} (workload ${Math.floor(w.progress * 100)}%)` : phase);
		}

		const m = status.memory;
		parts.push(`mem ${sizeText((m.totalPages - m.freePages) * PAGE_SIZE)}/${sizeText(m.totalPages * PAGE_SIZE)}`);
		parts.push(`${status.isPaused ? 'PAUSED' : 'running'} ${speedText(status.speed)}`);
		// The simulator cannot keep up with its clock: say by how much, in simulated time.
		if (!status.isPaused && status.behindMs >= BEHIND_SHOWN_MS) parts.push(`behind ${durationText(status.behindMs)}`);
	}

	const sortName = SORT_KEY_DESCRIPTIONS[sortKey].replace(/ \(.*\)$/, '').replace(/^\(non display\) /, '');
	const sorted =
		sortColumn === null
			? `sort ${sortKey}${reversed ? '↑' : '↓'} ${sortName}`
			: `sort ${columnById(sortColumn).header}${reversed ? '↑' : '↓'}`;
	parts.push(sorted, `every ${delayText(delayMs)}`);
	// A failure first: the line is cut at the terminal's width.
	if (error !== null) parts.push(`! ${printable(error)}`);
	else if (note !== null) parts.push(`! ${note}`);
	if (rateBasis !== null) parts.push(`rates ${RATE_BASIS_TEXT[rateBasis]}`);
	if (error === null && note === null && status?.latestEvent)
		parts.push(`» ${printable(status.latestEvent.text.split('\n')[0])}`);
	return parts;
}

export type SummaryProps = StatusProps & {totals: Totals};

export function Summary(props: SummaryProps) {
	const color = useColor(props.error === null && (props.note ?? null) === null ? 'cyan' : 'red');
	return (
		<Box flexDirection="column">
			{headerLines(props.totals, {nanText: '-'}).map((line, index) => (
				// Fixed lines in a fixed order: the index is their identity.
				<Text key={index} wrap="truncate">
					{line}
				</Text>
			))}
			<Text wrap="truncate" color={color}>
				{statusParts(props).join('  ')}
			</Text>
		</Box>
	);
}
