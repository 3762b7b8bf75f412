// The explain view: what a number on the screen is, the kernel code that fills it, and its
// value worked out from this cache's figures (report/explain.ts).

import type {Explanation} from '../../report/explain.js';
import {explanationLines} from '../../report/explain.js';
import {Lines, ScrollPage} from './scroll-page.js';

export type ExplainViewProps = {
	explanation: Explanation;
	width: number;
	height: number;
	scroll: number;
};

/** A line broken at spaces to fit `width`; continuation lines keep the first line's indent. */
export function wrapLine(line: string, width: number): string[] {
	if (line.length <= width || width < 20) return [line];
	const indent = /^\s*/.exec(line)?.[0] ?? '';
	const out: string[] = [];
	let rest = line;
	while (rest.length > width) {
		let cut = rest.lastIndexOf(' ', width);
		if (cut <= indent.length) cut = width;
		out.push(rest.slice(0, cut));
		rest = `${indent}  ${rest.slice(cut).trimStart()}`;
	}
	out.push(rest);
	return out;
}

export function explainViewLines(explanation: Explanation, width: number): string[] {
	return explanationLines(explanation).flatMap(line => wrapLine(line, width));
}

export function explainLineCount(explanation: Explanation, width: number): number {
	return explainViewLines(explanation, width).length;
}

export function ExplainView({explanation, width, height, scroll}: ExplainViewProps) {
	const lines = explainViewLines(explanation, width);
	return (
		<ScrollPage title={`Explain  (← → another number, Esc back)`} height={height} scroll={scroll} lines={lines.length}>
			<Lines lines={lines} />
		</ScrollPage>
	);
}
