// The simulator's narration line under the status line: allocation failures (count and the
// last one, in red) and what to watch in the running workload phase, or that the workload has
// finished and how to run it again, or how to start one.

import {Text} from 'ink';
import type {SimStatus} from '../../sim/types.js';
import {MS_PER_TICK} from '../../workload/tick-machine.js';
import {durationText} from '../format.js';

export type Narration = {
	/** `FAIL 37, last kmalloc-8k at 1m13.2s on CPU 1`, or null without failures (the events view has the whole report). */
	failure: string | null;
	note: string;
};

/** The narration of a simulator status. */
export function narration(status: SimStatus): Narration {
	const {count, last} = status.failures;
	let failure: string | null = null;
	if (count > 0) {
		const cpu = last === null ? null : /on CPU (\d+)/.exec(last.text)?.[1];
		const what =
			last === null
				? ''
				: `, last ${last.cache} at ${durationText(last.tick * MS_PER_TICK)}${cpu === undefined || cpu === null ? '' : ` on CPU ${cpu}`}`;
		failure = `FAIL ${count}${what}:`;
	}
	const w = status.workload;
	let note: string;
	if (w === null) note = 'no workload: `:workload steady` starts one (`slabtop-ts --list-workloads` lists them)';
	else if (w.isFinished) note = `workload ${w.name} finished: \`:workload ${w.name}\` runs it again`;
	else note = w.watch === '' ? `${w.name}: ${w.phase}` : `${w.phase}: ${w.watch}`;
	return {failure, note};
}

export function NarrationLine({status}: {status: SimStatus}) {
	const {failure, note} = narration(status);
	return (
		<Text wrap="truncate">
			{failure === null ? null : <Text color="red">{`${failure}  `}</Text>}
			<Text color="yellow">{note}</Text>
		</Text>
	);
}
