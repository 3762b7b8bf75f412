// The screen's layout for a terminal size: the frame is one line shorter than the terminal
// (Ink clears and rewrites the whole screen on every render once a frame fills the terminal,
// and an unchanged frame must write nothing); in a terminal smaller than 80x24 the frame's
// first line says it is cropped. Then the six header lines, the body, the command bar's answer
// and its line.

import type {UiState} from '../commands/state.js';
import {answerLines, MAX_ANSWER_LINES} from './views/command-bar.js';
import type {TerminalSize} from './use-terminal-size.js';

/** The header: slabtop's five lines and the status line. */
export const HEADER_LINES = 6;
export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export type ScreenLayout = {
	width: number;
	/** Lines the frame takes (the terminal's rows minus one). */
	height: number;
	/** Whether the terminal is smaller than 80x24 (the first line says so). */
	isCropped: boolean;
	answerRows: number;
	/** Lines between the header and the command bar. */
	bodyHeight: number;
	/** Table rows (caches view) or page lines (other views) that fit. */
	pageRows: number;
};

/**
 * The screen's parts for a terminal size; depends on the state's mode, answer and view only, and on
 * `extraHeaderLines` (the simulator's narration line under the status line).
 */
export function screenLayout(
	size: TerminalSize,
	state: Pick<UiState, 'mode' | 'answer'> & Partial<Pick<UiState, 'view'>>,
	extraHeaderLines = 0,
): ScreenLayout {
	const height = Math.max(1, size.rows - 1);
	const isCropped = size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;
	const free = Math.max(0, height - (isCropped ? 1 : 0) - HEADER_LINES - extraHeaderLines - 1);
	const answerRows =
		state.mode === 'browse' && state.view !== 'answer'
			? answerLines(state.answer, Math.min(MAX_ANSWER_LINES, Math.floor(free / 3))).length
			: 0;
	const bodyHeight = Math.max(0, free - answerRows);
	return {width: size.columns, height, isCropped, answerRows, bodyHeight, pageRows: Math.max(1, bodyHeight - 1)};
}
