// A borderless, windowed table with one selected row: slabtop's layout. Columns are data
// ({key, header, width, align, format, priority, grow}); `fitColumns` drops the least important
// columns that do not fit the terminal and gives what is left to the growing one. It draws
// the rows it is given, each as one line of text: the caller passes the window that fits.

import {Box, Text, Transform} from 'ink';
import {fit, type Align} from '../format.js';

export type Column<Row> = {
	key: string;
	header: string;
	width: number;
	align: Align;
	format: (row: Row) => string;
	/** Lower numbers are dropped first when the terminal is narrow; undefined never is. */
	priority?: number;
	/** Takes the width left over (up to maxWidth). */
	grow?: boolean;
	/**
	 * Cells may hold one-column symbols (block characters, not wide text): drawn after the ASCII
	 * cells, so keep such columns last.
	 */
	isUnicode?: boolean;
	maxWidth?: number;
};

/** The columns that fit in `width` (one space between columns), with the growing one widened. */
export function fitColumns<Row>(columns: ReadonlyArray<Column<Row>>, width: number): Array<Column<Row>> {
	const used = (list: ReadonlyArray<Column<Row>>): number =>
		list.reduce((sum, column) => sum + column.width, 0) + Math.max(0, list.length - 1);
	let kept = [...columns];
	const droppable = columns
		.filter(column => column.priority !== undefined)
		.sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
	for (const column of droppable) {
		if (used(kept) <= width) break;
		kept = kept.filter(other => other !== column);
	}

	const spare = width - used(kept);
	return kept.map(column =>
		column.grow === true && spare > 0
			? {...column, width: Math.min(column.maxWidth ?? Number.POSITIVE_INFINITY, column.width + spare)}
			: column,
	);
}

/** A cell's text: right-aligned (numeric) cells overflow rather than lose digits; others are cut. */
function cell<Row>(column: Column<Row>, row: Row): string {
	const text = column.format(row);
	return column.align === 'right' ? text.padStart(column.width) : fit(text, column.width);
}

export type TableProps<Row> = {
	columns: ReadonlyArray<Column<Row>>;
	rows: readonly Row[];
	rowKey: (row: Row) => string;
	selectedKey: string | null;
	/** The column whose header is marked (the sort column), if shown. */
	markedKey: string | null;
};

export function Table<Row>({columns, rows, rowKey, selectedKey, markedKey}: TableProps<Row>) {
	const plain = columns.filter(column => column.isUnicode !== true);
	const unicode = columns.filter(column => column.isUnicode === true);
	const plainWidth = plain.reduce((sum, column) => sum + column.width, 0) + Math.max(0, plain.length - 1);
	return (
		<Box flexDirection="column">
			<Text wrap="truncate">
				{columns.map((column, index) => (
					<Text key={column.key}>
						{index === 0 ? '' : ' '}
						<Text bold inverse={column.key === markedKey}>
							{fit(column.header, column.width, column.align)}
						</Text>
					</Text>
				))}
			</Text>
			{rows.map(row => {
				const key = rowKey(row);
				const isSelected = key === selectedKey;
				const ascii = plain.map(column => cell(column, row)).join(' ');
				if (unicode.length === 0) {
					return (
						<Text key={key} wrap="truncate" inverse={isSelected}>
							{ascii}
						</Text>
					);
				}

				const symbols = ' ' + unicode.map(column => cell(column, row)).join(' ');
				return (
					<Box key={key}>
						<Text wrap="truncate" inverse={isSelected}>
							{ascii}
						</Text>
						{ascii.length === plainWidth ? (
							// Never shrunk: if the table is wider than its box, the numbers are cut, not the symbols.
							<Box flexShrink={0}>
								<UnicodeCells text={symbols} isSelected={isSelected} />
							</Box>
						) : (
							// A number wider than its column pushed the row past the terminal: Ink cuts it.
							<Text wrap="truncate" inverse={isSelected}>
								{symbols}
							</Text>
						)}
					</Box>
				);
			})}
		</Box>
	);
}

/**
 * Cells with one-column symbols (the sparkline's blocks). Ink measures the text of every text
 * node on every frame with string-width, which is fast for printable ASCII only (about 2 µs a
 * block character otherwise: a millisecond a refresh for the sparklines alone). So Ink lays out
 * and measures an ASCII stand-in of the same width, and the symbols go in when the line is
 * written (a Transform, which must not change the width: every character here is one column,
 * and its box never shrinks, so Ink never wraps or cuts the stand-in).
 */
function UnicodeCells({text, isSelected}: {text: string; isSelected: boolean}) {
	const standIn = text.replaceAll(/[^\u0020-\u007E]/g, '#');
	return (
		<Transform transform={line => line.replace(standIn, text)}>
			<Text inverse={isSelected}>{standIn}</Text>
		</Transform>
	);
}
