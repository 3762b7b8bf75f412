// The help screen (?): the keys of product.md "Keys", slabtop's sort letters and the command
// bar's commands.

import {SORT_KEY_DESCRIPTIONS, SORT_KEYS} from '../../report/sort.js';
import {Lines, ScrollPage} from './scroll-page.js';

const KEYS: ReadonlyArray<[string, string]> = [
	['a b c l v n o p s u', 'sort (see below); the sort column is marked'],
	['r', 'reverse the sort order'],
	['space', 'refresh now'],
	['↑ ↓ PgUp PgDn Home End', 'move the selection (scroll in the other views)'],
	['Enter / Esc', 'open / close the detail view of the selected cache'],
	['Tab', 'cycle views: caches, memory, events'],
	['/', 'filter caches by name (substring); Enter keeps it, Esc clears it'],
	[':', 'command bar (simulator only); ↑ ↓ recall earlier lines, Esc leaves it'],
	['z', 'pause / resume the simulator (the screen keeps refreshing)'],
	['+ / -', 'refresh faster / slower'],
	['?', 'this help (? or Esc closes it)'],
	['q, Ctrl-C', 'quit'],
];

const COMMANDS: readonly string[] = [
	'alloc <data> | free <id> | access <id> | freeall | show      demo_objects, as /proc/kmem_cache_demo',
	'create <name> <size> [align=N] [flags=A|B…] [ctor] | destroy <name>',
	'alloc -c <cache> [-n N] [--cpu C] | free -c <cache> [-n N] [--cpu C]',
	'shrink [<cache>|all] | validate <cache> | drop_caches',
	'workload <preset|file> [rate=X] | workload stop | pause | resume | help [command]',
];

export function helpLines(): string[] {
	const width = Math.max(...KEYS.map(([key]) => key.length));
	return [
		'Keys',
		...KEYS.map(([key, what]) => `  ${key.padEnd(width)}  ${what}`),
		'',
		'Sort keys',
		...SORT_KEYS.map(key => `  ${key}  ${SORT_KEY_DESCRIPTIONS[key]}`),
		'',
		'Command bar (:)',
		...COMMANDS.map(line => `  ${line}`),
	];
}

export type HelpProps = {height: number; scroll: number};

export function Help({height, scroll}: HelpProps) {
	const lines = helpLines();
	return (
		<ScrollPage title="Help  (Esc back)" height={height} scroll={scroll} lines={lines.length}>
			<Lines lines={lines} />
		</ScrollPage>
	);
}
