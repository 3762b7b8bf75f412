// The host picker (h, with a Prometheus source; open at start when several hosts have slab
// series and --instance was not given): the hosts, the one shown marked, one selected; Enter
// shows the selected host's table. A function of its props.

import {Box, Text} from 'ink';
import {fit} from '../format.js';

export type HostPickerProps = {
	/** Hosts with slab series, sorted; null while the list is being asked for. */
	hosts: readonly string[] | null;
	/** The host the table shows. */
	current: string;
	selected: string | null;
	error: string | null;
	width: number;
	height: number;
};

export function HostPicker({hosts, current, selected, error, width, height}: HostPickerProps) {
	const list = hosts ?? [];
	const rows = Math.max(1, height - 2);
	const marked = selected ?? current;
	const index = list.indexOf(marked);
	const first = Math.max(0, Math.min(index - rows + 1, list.length - rows));
	return (
		<Box flexDirection="column">
			<Text bold>{fit(`Hosts with slab series: ${list.length}  (Enter: show  Esc: back)`, width)}</Text>
			{error === null ? null : <Text color="red">{fit(error, width)}</Text>}
			{hosts === null && error === null ? <Text>querying…</Text> : null}
			{list.slice(first, first + rows).map(host => (
				<Text key={host} inverse={host === marked}>
					{fit(`${host === current ? '* ' : '  '}${host}`, width)}
				</Text>
			))}
		</Box>
	);
}
