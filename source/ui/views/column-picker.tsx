// The column picker (C, as htop's F2 Setup → Columns): every optional column with whether it is
// shown, what it shows, and whether this source can fill it; the cursor row is inverse. Space
// shows or hides a column, s sorts by it, Esc / Enter / C close the picker and save the choice
// to the settings file. `pickerLines` is the page as data.

import {Box, Text} from 'ink';
import {OPTIONAL_COLUMNS, type ColumnId, type ColumnNeed} from '../../report/columns.js';
import type {SourceKind} from '../../sources/source.js';

export type ColumnPickerProps = {
	columns: readonly ColumnId[];
	sortColumn: ColumnId | null;
	cursor: number;
	sourceKind: SourceKind;
	/** Where the choice is saved, or why it cannot be. */
	settingsNote: string;
	height: number;
};

/** Whether a source can fill a column: sysfs figures on the kernel and the simulator, counters on the simulator. */
export function canFill(need: ColumnNeed, sourceKind: SourceKind): boolean {
	if (need === 'rates') return true;
	if (need === 'counters') return sourceKind === 'sim';
	return sourceKind !== 'file';
}

export function pickerLines({
	columns,
	sortColumn,
	sourceKind,
}: Pick<ColumnPickerProps, 'columns' | 'sortColumn' | 'sourceKind'>): string[] {
	const width = Math.max(...OPTIONAL_COLUMNS.map(column => column.header.length));
	return OPTIONAL_COLUMNS.map(column => {
		const mark = columns.includes(column.id) ? '[x]' : '[ ]';
		const sorted = sortColumn === column.id ? ' (sorted by)' : '';
		const blank = canFill(column.need, sourceKind) ? '' : ' (blank for this source)';
		return `${mark} ${column.header.padEnd(width)}  ${column.description}${sorted}${blank}`;
	});
}

export function ColumnPicker(props: ColumnPickerProps) {
	const lines = pickerLines(props);
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate">
				{'Columns  (↑ ↓ move, space show/hide, s sort by, Esc done)'}
			</Text>
			{lines.slice(0, Math.max(0, props.height - 2)).map((line, index) => (
				<Text key={OPTIONAL_COLUMNS[index].id} wrap="truncate" inverse={index === props.cursor}>
					{line}
				</Text>
			))}
			<Text dimColor wrap="truncate">
				{props.settingsNote}
			</Text>
		</Box>
	);
}
