// The bottom of the screen: the filter or command line being typed, the command bar's last
// answer (up to a few lines; Esc clears it), or a line of key hints. `CroppedNote` is the
// line that says the terminal is smaller than 80x24: the app draws it first, so it shows
// however few lines the terminal has.

import {Box, Text} from 'ink';
import {answerText, type CommandAnswer} from '../../commands/bar-command.js';
import type {Mode} from '../../commands/state.js';
import type {SourceKind} from '../../sources/source.js';
import {useColor} from '../palette.js';

/** Answer lines shown at the most; longer answers end with a note. */
export const MAX_ANSWER_LINES = 8;

/** The answer's lines as shown (at most `max`, the last one saying how many were left out). */
export function answerLines(answer: CommandAnswer | null, max: number): string[] {
	if (answer === null || max <= 0) return [];
	const lines = answerText(answer).replace(/\n+$/, '').split('\n');
	if (lines.length <= max) return lines;
	const shown = lines.slice(0, Math.max(0, max - 1));
	return [...shown, `… ${lines.length - shown.length} more lines (the events view has them all)`];
}

export type CommandBarProps = {
	mode: Mode;
	input: string;
	answer: CommandAnswer | null;
	/** Lines the answer may take. */
	answerRows: number;
	filter: string;
	/** The answer panel is open: the hints say Esc closes it. */
	isAnswerPanel?: boolean;
	/** The footer lists only the keys that work for this source. */
	sourceKind?: SourceKind;
};

/**
 * The footer's key hints for a source, within 80 columns: `:` and `z` only for the simulator,
 * the rate keys for the others (? lists every key).
 */
export function hints(filter: string, sourceKind: SourceKind = 'sim'): string {
	const keys = sourceKind === 'sim' ? ': command  z pause  C columns' : 'C columns  t rates  m mark';
	const base = `q quit  ? help  Enter detail  Tab views  / filter  ${keys}`;
	return filter === '' ? base : `filter '${filter}' (Esc clears)  ${base}`;
}

export function CommandBar({mode, input, answer, answerRows, filter, sourceKind = 'sim', isAnswerPanel = false}: CommandBarProps) {
	const lines = mode === 'browse' ? answerLines(answer, answerRows) : [];
	const answerColor = useColor(answer?.ok === false ? 'red' : 'green');
	return (
		<Box flexDirection="column">
			{lines.map((line, index) => (
				// Lines of one answer: the index is their identity.
				<Text key={index} wrap="truncate" color={answerColor}>
					{line === '' ? ' ' : line}
				</Text>
			))}
			<Text wrap="truncate">
				{mode === 'filter' ? `/${input}▏  (Enter keeps, Esc clears)` : null}
				{mode === 'command' ? `:${input}▏  (Enter runs, ↑ ↓ history, Esc leaves)` : null}
				{mode === 'browse' ? <Text dimColor>{isAnswerPanel ? 'Esc closes the answer  ↑ ↓ PgUp PgDn scroll  : command  q quit' : hints(filter, sourceKind)}</Text> : null}
				{mode === 'picker' ? <Text dimColor>↑ ↓ move  space show/hide  s sort by  Esc done</Text> : null}
			</Text>
		</Box>
	);
}

/** The terminal's size when it is smaller than 80x24. */
export type CroppedNoteProps = {columns: number; rows: number};

export function CroppedNote({columns, rows}: CroppedNoteProps) {
	const color = useColor('yellow');
	// flexShrink 0: in a frame too short for the header, the header gives way, not this line.
	return (
		<Box flexShrink={0}>
			<Text wrap="truncate" color={color}>
				{`cropped: ${columns}x${rows} is smaller than 80x24`}
			</Text>
		</Box>
	);
}
