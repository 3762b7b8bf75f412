// The help screen (`?` and `:help`): the keys, slabtop's sort letters and the command bar's
// commands, all from the one help table (commands/help.ts).

import {helpLines} from '../../commands/help.js';
import {Lines, ScrollPage} from './scroll-page.js';

export type HelpProps = {height: number; scroll: number; isSim?: boolean};

export function Help({height, scroll, isSim = true}: HelpProps) {
	const lines = helpLines(isSim);
	return (
		<ScrollPage title="Help  (Esc back)" height={height} scroll={scroll} lines={lines.length}>
			<Lines lines={lines} />
		</ScrollPage>
	);
}
