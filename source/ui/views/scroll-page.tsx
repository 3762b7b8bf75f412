// A page taller than the screen, shown `height` lines at a time from line `scroll`: the
// detail, memory, events and help views. The caller knows the content's height in lines.

import {Table} from '@alcalzone/ink-table';
import {Box, Text} from 'ink';
import type {ReactNode} from 'react';

export type ScrollPageProps = {
	title: string;
	height: number;
	scroll: number;
	/** Lines of content (for the "lines a–b of n" note). */
	lines: number;
	children: ReactNode;
};

export function ScrollPage({title, height, scroll, lines, children}: ScrollPageProps) {
	const bodyHeight = Math.max(0, height - 1);
	const top = Math.max(0, Math.min(scroll, lines - bodyHeight));
	const position =
		lines > bodyHeight
			? `  lines ${top + 1}–${Math.min(lines, top + bodyHeight)} of ${lines} (↑↓ PgUp PgDn Home End)`
			: '';
	return (
		<Box flexDirection="column" height={Math.max(0, height)} overflow="hidden">
			<Text bold wrap="truncate">
				{title}
				<Text dimColor>{position}</Text>
			</Text>
			<Box flexDirection="column" height={bodyHeight} overflow="hidden">
				<Box flexDirection="column" flexShrink={0} marginTop={-top}>
					{children}
				</Box>
			</Box>
		</Box>
	);
}

/** Plain lines of text, each cut to the screen's width. */
export function Lines({lines}: {lines: readonly string[]}) {
	return (
		<>
			{lines.map((line, index) => (
				// Fixed lines in a fixed order: the index is their identity.
				<Text key={index} wrap="truncate">
					{line === '' ? ' ' : line}
				</Text>
			))}
		</>
	);
}

type Cell = string | number;

/** A piece of a scrolled page: plain lines, or a boxed table (@alcalzone/ink-table). */
export type Part =
	{kind: 'lines'; lines: readonly string[]} | {kind: 'table'; rows: ReadonlyArray<Record<string, Cell>>};

/** Lines a part takes: a boxed table has a top border, a heading and a bottom border, and a separator above each row. */
export function partHeight(part: Part): number {
	if (part.kind === 'lines') return part.lines.length;
	return part.rows.length === 0 ? 0 : 3 + 2 * part.rows.length;
}

export function partsHeight(parts: readonly Part[]): number {
	return parts.reduce((sum, part) => sum + partHeight(part), 0);
}

export function Parts({parts}: {parts: readonly Part[]}) {
	return (
		<>
			{parts.map((part, index) =>
				part.kind === 'lines' ? (
					// Fixed lines in a fixed order: the index is their identity.
					<Lines key={index} lines={part.lines} />
				) : part.rows.length === 0 ? null : (
					// Fixed lines in a fixed order: the index is their identity.
					<Table key={index} data={[...part.rows]} />
				),
			)}
		</>
	);
}
