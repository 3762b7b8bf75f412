// The bottom of the screen: the filter or command line being typed, the command bar's last
// answer (up to a few lines; Esc clears it), or a line of key hints. `CroppedNote` is the
// line that says the terminal is smaller than 80x24: the app draws it first, so it shows
// however few lines the terminal has.

import {Box, Text} from 'ink';
import {answerText, type CommandAnswer} from '../../commands/bar-command.js';
import {lineWindow, type EditLine} from '../../commands/line-editor.js';
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
	/** The filter or command line being typed, with its cursor. */
	line: EditLine;
	answer: CommandAnswer | null;
	/** Lines the answer may take. */
	answerRows: number;
	filter: string;
	/** The answer panel is open: the hints say Esc closes it. */
	isAnswerPanel?: boolean;
	/** Columns of the screen. */
	width: number;
	/** The footer lists only the keys that work for this source. */
	sourceKind?: SourceKind;
};

/** Columns of the filter shown in the key hints (the filter line itself shows all of it). */
const FILTER_HINT_COLUMNS = 24;

/**
 * The footer's key hints for a source, within 80 columns: `:` and `z` only for the simulator,
 * the rate keys for the others (? lists every key).
 */
export function hints(filter: string, sourceKind: SourceKind = 'sim'): string {
	const keys = sourceKind === 'sim' ? ': command  z pause  C columns' : 'C columns  t rates  m mark';
	const base = `q quit  ? help  Enter detail  Tab views  / filter  ${keys}`;
	if (filter === '') return base;
	const shown = filter.length > FILTER_HINT_COLUMNS ? `${filter.slice(0, FILTER_HINT_COLUMNS - 1)}…` : filter;
	return `filter '${shown}' (Esc clears)  ${base}`;
}

const EDIT_HINTS: Record<'filter' | 'command', string> = {
	filter: '  (Enter keeps, Esc clears)',
	command: '  (Enter runs, ↑ ↓ history, Esc leaves)',
};

/** Columns the line being edited gets at the least; the hint gives way below that. */
const MIN_EDIT_COLUMNS = 20;

/**
 * The line being edited: its prompt, the part of it around the cursor that fits (only that part
 * is measured and drawn, however long the line), the cursor as an inverse cell, then a hint, or
 * the note of the last edit (a paste cut short).
 */
function EditedLine({
	mode,
	line,
	answer,
	width,
}: {
	mode: 'filter' | 'command';
	line: EditLine;
	answer: CommandAnswer | null;
	width: number;
}) {
	const note = answer !== null && !answer.ok ? `  ${answerText(answer)}` : EDIT_HINTS[mode];
	const isNoteShown = width - 1 - note.length >= MIN_EDIT_COLUMNS;
	const room = Math.max(1, width - 1 - (isNoteShown ? note.length : 0));
	const {left, right} = lineWindow(line, room);
	const under = right === '' ? ' ' : String.fromCodePoint(right.codePointAt(0) ?? 32);
	return (
		<Text wrap="truncate">
			{mode === 'filter' ? '/' : ':'}
			{left}
			<Text inverse>{under}</Text>
			{right.slice(under.length)}
			{isNoteShown ? <Text color={note === EDIT_HINTS[mode] ? undefined : 'red'}>{note}</Text> : null}
		</Text>
	);
}

export function CommandBar({
	mode,
	line,
	answer,
	answerRows,
	filter,
	width,
	sourceKind = 'sim',
	isAnswerPanel = false,
}: CommandBarProps) {
	const lines = mode === 'browse' ? answerLines(answer, answerRows) : [];
	const answerColor = useColor(answer?.ok === false ? 'red' : 'green');
	return (
		<Box flexDirection="column">
			{lines.map((text, index) => (
				// Lines of one answer: the index is their identity.
				<Text key={index} wrap="truncate" color={answerColor}>
					{text === '' ? ' ' : text}
				</Text>
			))}
			{mode === 'browse' ? (
				<Text wrap="truncate" dimColor>
					{isAnswerPanel ? 'Esc closes the answer  ↑ ↓ PgUp PgDn scroll  : command  q quit' : hints(filter, sourceKind)}
				</Text>
			) : null}
			{mode === 'picker' ? (
				<Text wrap="truncate" dimColor>
					{'↑ ↓ move  space show/hide  s sort by  Esc done'}
				</Text>
			) : null}
			{mode === 'filter' || mode === 'command' ? (
				<EditedLine mode={mode} line={line} answer={answer} width={width} />
			) : null}
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
