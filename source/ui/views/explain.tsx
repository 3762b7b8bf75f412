// The explain view: what a number on the screen is, the kernel code that fills it, and its
// value worked out from this cache's figures (report/explain.ts).

import type {Explanation} from '../../report/explain.js';
import {explanationLines} from '../../report/explain.js';
import {Lines, ScrollPage} from './scroll-page.js';

export type ExplainViewProps = {
	explanation: Explanation;
	height: number;
	scroll: number;
};

export function explainLineCount(explanation: Explanation): number {
	return explanationLines(explanation).length;
}

export function ExplainView({explanation, height, scroll}: ExplainViewProps) {
	const lines = explanationLines(explanation);
	return (
		<ScrollPage title={`Explain  (← → another number, Esc back)`} height={height} scroll={scroll} lines={lines.length}>
			<Lines lines={lines} />
		</ScrollPage>
	);
}
