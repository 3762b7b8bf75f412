// The one help table: every key of the screen and every command-bar command, with what it does.
// Everything that lists them is generated from here: the help screen (`?`, and `:help`),
// `help <command>` and parse errors (usageOf), `--help`'s command section, and the README's
// key and command tables (test/commands/help.test.ts checks the README holds them).

import {SORT_KEY_DESCRIPTIONS, SORT_KEYS} from '../report/sort.js';

export type KeyHelp = {
	keys: string;
	action: string;
	/** Keys that only work on the simulator's screen. */
	isSimOnly?: boolean;
};

/** The screen's keys, in the order the help lists them. */
export const KEY_HELP: readonly KeyHelp[] = [
	{keys: SORT_KEYS.join(' '), action: 'sort by a column, as slabtop (see the sort keys); the sorted column is marked'},
	{keys: 'r', action: 'reverse the sort order'},
	{keys: 'space', action: 'refresh now'},
	{keys: '↑ ↓ PgUp PgDn Home End', action: 'move the selection (scroll in the other views)'},
	{keys: 'Enter / Esc', action: 'open / close the detail view of the selected cache'},
	{
		keys: 'Tab',
		action:
			'cycle views: caches, memory (buddy allocator), events, operation trace; with a Prometheus source: caches, fleet',
	},
	{
		keys: 't',
		action: 'operation trace of the selected cache; in the trace view: that cache or every cache',
		isSimOnly: true,
	},
	{
		keys: 'f',
		action:
			'in the trace view: the next path filter (every path, slow paths, new slabs, partial lists, discards, failures)',
		isSimOnly: true,
	},
	{
		keys: 'e',
		action: 'explain a number: what it is, the kernel code that fills it, its value worked out (← → another number)',
	},
	{
		keys: '← →',
		action: "on the detail view's slab map: choose a slab (Enter shows its objects); in explain: another number",
	},
	{keys: '/', action: 'filter caches by name (substring); Enter keeps it, Esc clears it'},
	{keys: 'C', action: 'column picker: ↑ ↓ move, space shows or hides a column, s sorts by it, Esc saves the choice'},
	{
		keys: 't',
		action:
			"rate columns since the last refresh, since start, or since the mark (other sources; the simulator's t is its trace)",
	},
	{keys: 'm', action: 'set the mark to now and show rates since it'},
	{
		keys: ':',
		action:
			'command bar (simulator only): ← → Home End, Ctrl-A Ctrl-E Ctrl-U Ctrl-W edit as readline; ↑ ↓ recall earlier lines; a paste runs each of its lines; Esc leaves it',
		isSimOnly: true,
	},
	{
		keys: 'z',
		action: 'pause / resume the simulator, as :pause and :resume (the screen keeps refreshing)',
		isSimOnly: true,
	},
	{
		keys: '[ / ]',
		action: 'simulated time slower / faster: 0.01x to max (--speed), on the status line with how far behind it is',
		isSimOnly: true,
	},
	{keys: '. / >', action: 'while paused: one tick / to the start of the next workload phase', isSimOnly: true},
	{keys: 'Ctrl-Z', action: 'suspend, as slabtop (fg resumes)'},
	{keys: '+ / -', action: 'refresh faster / slower'},
	{keys: 'h', action: 'pick the host shown (Prometheus source); Enter shows it'},
	{keys: 'w', action: 'fleet view: the growth window, 5m, 15m, 1h, 6h'},
	{keys: 'g', action: 'fleet view: hosts by cache size or by growth'},
	{keys: '?', action: 'this help, as :help (? or Esc closes it)'},
	{keys: 'q, Ctrl-C', action: 'quit, restoring the terminal'},
];

/** Every column of the cache table and what it means (the help screen and the README). */
export const COLUMN_HELP: ReadonlyArray<{column: string; meaning: string}> = [
	{column: 'OBJS', meaning: 'num_objs: object slots in all slabs of the cache, used or free'},
	{
		column: 'ACTIVE',
		meaning:
			'active_objs: num_objs minus the free objects on the node partial lists (free objects held by CPUs count as active)',
	},
	{column: 'USE', meaning: 'ACTIVE / OBJS in whole percent, truncated (slabtop computes it; it reads high, see e)'},
	{column: 'OBJ SIZE', meaning: 'the slot each object takes (s->size: object, metadata, alignment), in K'},
	{column: 'SLABS', meaning: 'num_slabs: every slab of the cache (SLUB reports active_slabs equal to it)'},
	{column: 'OBJ/SLAB', meaning: "objects one slab of the cache's order holds"},
	{
		column: 'CACHE SIZE',
		meaning: 'SLABS × pages per slab × page size: an upper bound (fallback-order slabs are smaller)',
	},
	{column: 'NAME', meaning: "the first creator's name; a merged cache hides its aliases (e shows them)"},
	{column: 'PARTIAL', meaning: 'slabs on the node partial lists (sysfs partial); - where the source cannot tell'},
	{
		column: 'ALLOC/s',
		meaning: 'objects allocated per second of source time (simulator: alloc_fastpath + alloc_slowpath); - when unknown',
	},
	{
		column: 'FREE/s',
		meaning: 'objects freed per second of source time (simulator: free_fastpath + free_slowpath); - when unknown',
	},
	{column: 'ACTIVE, 1 MIN', meaning: 'sparkline of ACTIVE over the last minute, scaled to its own range'},
	{
		column: 'FAIL',
		meaning:
			'simulator, a column of the picker (C): allocation failures of the cache so far; s in the picker sorts by it',
	},
	{
		column: 'FAIL line',
		meaning:
			"simulator, under the status line: allocation failures (ENOMEM) so far, the last one's cache, time and CPU (the events view has its report)",
	},
];

export type CommandHelp = {
	/** The command word (`alloc`); a word may have several forms. */
	word: string;
	usage: string;
	summary: string;
	/** The kmem_cache_demo module's /proc interface, the allocator and the simulator, or the kernel's kmalloc API and object handles. */
	group: 'demo' | 'allocator' | 'kernel';
};

/** Every form of every command, in `help` order. */
export const COMMAND_HELP: readonly CommandHelp[] = [
	{
		word: 'alloc',
		usage: 'alloc <data>',
		summary: 'allocate an object from demo_objects, store <data> in it, print its id',
		group: 'demo',
	},
	{word: 'free', usage: 'free <id>', summary: 'free that demo object', group: 'demo'},
	{word: 'access', usage: 'access <id>', summary: "increment a demo object's access count", group: 'demo'},
	{word: 'freeall', usage: 'freeall', summary: 'free every demo object', group: 'demo'},
	{
		word: 'show',
		usage: 'show',
		summary: "the demo's statistics and object listing (/proc/kmem_cache_demo)",
		group: 'demo',
	},
	{
		word: 'create',
		usage: 'create <name> <size> [align=N] [flags=A|B…] [ctor]',
		summary: 'kmem_cache_create (may merge with an existing cache, as SLUB does)',
		group: 'allocator',
	},
	{
		word: 'destroy',
		usage: 'destroy <name>',
		summary:
			'kmem_cache_destroy (with objects left it warns and leaks the cache, which stays listed, as the kernel does)',
		group: 'allocator',
	},
	{
		word: 'alloc',
		usage: 'alloc -c <cache> [-n N] [--cpu C]',
		summary: 'allocate N objects of any cache on CPU C',
		group: 'allocator',
	},
	{
		word: 'free',
		usage: 'free -c <cache> [-n N] [--cpu C]',
		summary: 'free N of the objects the command bar allocated from that cache, newest first',
		group: 'allocator',
	},
	{word: 'shrink', usage: 'shrink [<cache>|all]', summary: 'kmem_cache_shrink one cache, or all', group: 'allocator'},
	{
		word: 'validate',
		usage: 'validate <cache>',
		summary: "SLUB's consistency checks, as writing to /sys/kernel/slab/<cache>/validate",
		group: 'allocator',
	},
	{
		word: 'drop_caches',
		usage: 'drop_caches',
		summary: 'reclaim the reclaimable caches, as echo 2 > /proc/sys/vm/drop_caches',
		group: 'allocator',
	},
	{
		word: 'workload',
		usage: 'workload <preset|file> [rate=X]',
		summary: 'start a workload, replacing the running one (rate scales it)',
		group: 'allocator',
	},
	{word: 'workload', usage: 'workload stop', summary: 'stop the running workload', group: 'allocator'},
	{word: 'pause', usage: 'pause', summary: 'stop the simulated clock (z)', group: 'allocator'},
	{word: 'resume', usage: 'resume', summary: 'restart the simulated clock (z)', group: 'allocator'},
	{
		word: 'kmalloc',
		usage: 'kmalloc <size> [gfp=GFP_KERNEL|__GFP_ACCOUNT|…] [-n N] [--cpu C] [-c <cache>]',
		summary:
			'kmalloc: an object of the size class and type the gfp mask picks (kmalloc-8 … kmalloc-8k), or pages above 8 KiB; -c names the cache (__kmalloc_cache)',
		group: 'kernel',
	},
	{
		word: 'kzalloc',
		usage: 'kzalloc <size> [gfp=…] [-n N] [--cpu C] [-c <cache>]',
		summary: 'kmalloc with __GFP_ZERO',
		group: 'kernel',
	},
	{
		word: 'kfree',
		usage: 'kfree <#handle|address> [--cpu C]',
		summary: "kfree: the object goes back to its cache, a large kmalloc's pages to the buddy allocator",
		group: 'kernel',
	},
	{
		word: 'free',
		usage: 'free <#handle|address> [--cpu C]',
		summary: 'kmem_cache_free of one object, to the cache it came from',
		group: 'kernel',
	},
	{
		word: 'krealloc',
		usage: 'krealloc <#handle|address> <size> [gfp=…] [--cpu C]',
		summary:
			'krealloc: in place when the size fits the object (6.18 zeroing and kmalloc red zone), else a new object with a copy',
		group: 'kernel',
	},
	{
		word: 'kfree_rcu',
		usage: 'kfree_rcu <#handle|address>',
		summary: 'kfree after a simulated RCU grace period (3 ticks)',
		group: 'kernel',
	},
	{
		word: 'objects',
		usage: 'objects [<cache>|large]',
		summary: "the command bar's objects: handle, address, cache, slab and state",
		group: 'kernel',
	},
	{
		word: 'write',
		usage: 'write <#handle|address> <offset> <hex bytes>',
		summary:
			'write bytes into the simulated memory, in or beyond an object (red zone, free pointer, padding), as slub_kunit does',
		group: 'kernel',
	},
	{word: 'help', usage: 'help [command]', summary: 'this help (?), or the usage of one command', group: 'allocator'},
];

/** The command words, each once, in `help` order. */
export const COMMAND_WORDS: readonly string[] = [...new Set(COMMAND_HELP.map(entry => entry.word))];

/** `usage: a  |  b` for one command word, or null when it is no command. */
export function usageOf(word: string): string | null {
	const forms = COMMAND_HELP.filter(entry => entry.word === word).map(entry => entry.usage);
	return forms.length === 0 ? null : `usage: ${forms.join('  |  ')}`;
}

/** `usage  summary` lines, the usages padded to one width. */
function usageLines(entries: readonly CommandHelp[], indent: string): string[] {
	const width = Math.max(...entries.map(entry => entry.usage.length));
	return entries.map(entry => `${indent}${entry.usage.padEnd(width)}  ${entry.summary}`);
}

/** The answer to `help` (every command) or `help <word>` (its usage and forms). */
export function commandHelp(topic: string | null): string {
	if (topic === null) return ['commands (help <command> for one):', ...usageLines(COMMAND_HELP, '')].join('\n');
	const entries = COMMAND_HELP.filter(entry => entry.word === topic);
	if (entries.length === 0) return `no command named "${topic}" (commands: ${COMMAND_WORDS.join(', ')})`;
	return [usageOf(topic) ?? '', ...usageLines(entries, '  ')].join('\n');
}

const COLUMN_WIDTH = Math.max(...COLUMN_HELP.map(entry => entry.column.length));

/**
 * The help screen's lines (`?` and `:help`): only the keys that work for the source, and the
 * command bar's commands only on the simulator.
 */
export function helpLines(isSim = true): string[] {
	const keys = KEY_HELP.filter(entry => isSim || entry.isSimOnly !== true);
	const width = Math.max(...keys.map(entry => entry.keys.length));
	const lines = [
		'Keys',
		...keys.map(entry => `  ${entry.keys.padEnd(width)}  ${entry.action}`),
		'',
		'Sort keys',
		...SORT_KEYS.map(key => `  ${key}  ${SORT_KEY_DESCRIPTIONS[key]}`),
		'',
		'Columns',
		...COLUMN_HELP.map(entry => `  ${entry.column.padEnd(COLUMN_WIDTH)}  ${entry.meaning}`),
	];
	if (isSim) lines.push('', 'Command bar (:)', ...usageLines(COMMAND_HELP, '  '));
	else lines.push('', 'The command bar (:) and pause (z) drive the simulator (--source sim).');
	return lines;
}

/** `--help`'s section on the command bar (for `--exec`): the forms of each command, one command a line. */
export function cliCommandSection(): string {
	const forms = COMMAND_WORDS.map(
		word =>
			` ${COMMAND_HELP.filter(entry => entry.word === word)
				.map(entry => entry.usage)
				.join('  |  ')}`,
	);
	return ['Commands (--exec, or : on the screen; help <command> there says what one does):', ...forms].join('\n');
}

/** A Markdown table cell: code, with `|` escaped as GitHub tables need. */
function code(text: string): string {
	return `\`${text.replaceAll('|', '\\|')}\``;
}

/** A Markdown table cell of text: `|` escaped, and `<` so that `<data>` is not read as HTML. */
function cell(text: string): string {
	return text.replaceAll('|', '\\|').replaceAll('<', '\\<');
}

/** The README's table of keys, and of sort keys. */
export function readmeKeyTables(): string {
	return [
		'| key | action |',
		'|---|---|',
		...KEY_HELP.map(entry => `| ${code(entry.keys)} | ${cell(entry.action)} |`),
		'',
		'| sort key | sorts by |',
		'|---|---|',
		...SORT_KEYS.map(key => `| ${code(key)} | ${cell(SORT_KEY_DESCRIPTIONS[key])} |`),
	].join('\n');
}

/** The README's table of one group of commands. */
export function readmeCommandTable(group: CommandHelp['group']): string {
	return [
		'| command | effect |',
		'|---|---|',
		...COMMAND_HELP.filter(entry => entry.group === group).map(
			entry => `| ${code(entry.usage)} | ${cell(entry.summary)} |`,
		),
	].join('\n');
}

/** The README's table of the cache table's columns. */
export function readmeColumnTable(): string {
	return [
		'| column | meaning |',
		'|---|---|',
		...COLUMN_HELP.map(entry => `| ${code(entry.column)} | ${cell(entry.meaning)} |`),
	].join('\n');
}
