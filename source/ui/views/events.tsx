// The event log: allocation failures, debug reports (double free, poison overwritten, …),
// workload phase changes and command results, newest first. Each event is a headline and, for
// debug reports, the kernel's report lines indented below it.

import {Text} from 'ink';
import type {SimEvent} from '../../sim/types.js';
import {MS_PER_TICK} from '../../workload/tick-machine.js';
import {durationText, printable} from '../format.js';
import {Lines, ScrollPage} from './scroll-page.js';

export type EventsProps = {
	/** Newest first. */
	events: readonly SimEvent[];
	isSim: boolean;
	height: number;
	scroll: number;
};

/** The log as lines: `t=1.23s  kind  cache  headline`, then report lines indented. */
export function eventLines(events: readonly SimEvent[], isSim: boolean): string[] {
	if (!isSim) return ['The event log needs the simulator (--source sim).'];
	if (events.length === 0) return ['No events yet.'];
	const lines: string[] = [];
	for (const event of events) {
		const [headline = '', ...report] = event.text.split('\n').map(line => printable(line));
		const cache = event.cache === '' ? '' : `${printable(event.cache)}  `;
		lines.push(
			`t=${durationText(event.tick * MS_PER_TICK).padStart(8)}  ${event.kind.padEnd(13)}  ${cache}${headline}`,
		);
		for (const line of report) lines.push(`    ${line}`);
	}

	return lines;
}

export function eventsLineCount(props: EventsProps): number {
	return eventLines(props.events, props.isSim).length;
}

export function Events({events, isSim, height, scroll}: EventsProps) {
	const lines = eventLines(events, isSim);
	return (
		<ScrollPage title="Events, newest first  (Tab next view)" height={height} scroll={scroll} lines={lines.length}>
			{isSim && events.length > 0 ? <Lines lines={lines} /> : <Text dimColor>{lines[0]}</Text>}
		</ScrollPage>
	);
}
