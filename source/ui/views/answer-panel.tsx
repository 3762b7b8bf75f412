// A long command answer (show, validate, objects, a SLUB report) in its own scrollable panel,
// with its own hint: Esc closes it (and clears the answer); ↑ ↓ PgUp PgDn scroll it.

import {answerText, type CommandAnswer} from '../../commands/bar-command.js';
import {Lines, ScrollPage} from './scroll-page.js';

export type AnswerPanelProps = {answer: CommandAnswer | null; height: number; scroll: number};

/** The answer's lines, as the panel lists them. */
export function answerPanelLines(answer: CommandAnswer | null): string[] {
	return answer === null ? [] : answerText(answer).replace(/\n+$/, '').split('\n');
}

export function AnswerPanel({answer, height, scroll}: AnswerPanelProps) {
	const lines = answerPanelLines(answer);
	const title = `${answer?.ok === false ? 'Command refused' : 'Command answer'}  (Esc closes)`;
	return (
		<ScrollPage title={title} height={height} scroll={scroll} lines={lines.length}>
			<Lines lines={lines} />
		</ScrollPage>
	);
}
