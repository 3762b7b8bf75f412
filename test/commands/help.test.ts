// The one help table and what is generated from it: the help screen, `help`, `--help` and the
// README's tables must all list the same keys and commands.

import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {parseCommand} from '../../source/commands/bar-parse.js';
import {
	cliCommandSection,
	COMMAND_HELP,
	COMMAND_WORDS,
	commandHelp,
	helpLines,
	KEY_HELP,
	readmeCommandTable,
	readmeColumnTable,
	readmeKeyTables,
	usageOf,
	COLUMN_HELP,
} from '../../source/commands/help.js';
import {HELP_TEXT} from '../../source/config/config.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the help table', () => {
	it('is what the README shows: its key, sort-key and command tables are generated from it', () => {
		expect(README).toContain(`## Keys\n\n${readmeKeyTables()}\n`);
		expect(README).toContain(readmeCommandTable('demo'));
		expect(README).toContain(readmeCommandTable('allocator'));
		expect(README).toContain(readmeCommandTable('kernel'));
		expect(readmeCommandTable('allocator')).toContain(
			'| `shrink [<cache>\\|all]` | kmem_cache_shrink one cache, or all |',
		);
		expect(README).toContain(readmeColumnTable());
	});

	it('is what --help lists, one line of forms per command', () => {
		expect(HELP_TEXT).toContain(`${cliCommandSection()}\n`);
		expect(cliCommandSection().split('\n').slice(1)).toEqual(
			COMMAND_WORDS.map(word => ` ${usageOf(word)?.replace(/^usage: /, '')}`),
		);
		expect(HELP_TEXT).toContain(' workload <preset|file> [rate=X]  |  workload stop\n');
	});

	it('is what the help screen shows: every key and every command form with its summary', () => {
		const screen = helpLines();
		for (const {keys, action} of KEY_HELP)
			expect(screen.some(line => line.startsWith(`  ${keys} `) && line.endsWith(`  ${action}`))).toBe(true);
		for (const {usage, summary} of COMMAND_HELP)
			expect(screen.some(line => line.startsWith(`  ${usage} `) && line.endsWith(`  ${summary}`))).toBe(true);
		expect(screen).toContain('  u  cache utilization');
		for (const {column} of COLUMN_HELP) expect(screen.some(line => line.startsWith(`  ${column} `))).toBe(true);
	});

	it('gives `help` and `help <command>` their answers', () => {
		const list = commandHelp(null).split('\n');
		expect(list[0]).toBe('commands (help <command> for one):');
		expect(list).toHaveLength(COMMAND_HELP.length + 1);
		expect(commandHelp('pause')).toBe('usage: pause\n  pause  stop the simulated clock (z)');
		expect(commandHelp('nope')).toBe(`no command named "nope" (commands: ${COMMAND_WORDS.join(', ')})`);
	});

	it('lists exactly the commands the parser knows, each of which parses in its simplest form', () => {
		expect(COMMAND_WORDS).toEqual([
			'alloc',
			'free',
			'access',
			'freeall',
			'show',
			'create',
			'destroy',
			'shrink',
			'validate',
			'drop_caches',
			'workload',
			'pause',
			'resume',
			'kmalloc',
			'kzalloc',
			'kfree',
			'krealloc',
			'kfree_rcu',
			'objects',
			'write',
			'help',
		]);
		const simplest: Record<string, string> = {
			alloc: 'alloc x',
			free: 'free 1',
			access: 'access 1',
			create: 'create c 8',
			destroy: 'destroy c',
			validate: 'validate c',
			workload: 'workload steady',
			kmalloc: 'kmalloc 8',
			kzalloc: 'kzalloc 8',
			kfree: 'kfree #1',
			krealloc: 'krealloc #1 16',
			kfree_rcu: 'kfree_rcu #1',
			write: 'write #1 0 00',
		};
		for (const word of COMMAND_WORDS) expect(parseCommand(simplest[word] ?? word).ok).toBe(true);
		expect(parseCommand('frobnicate')).toMatchObject({ok: false, error: {kind: 'parse', column: 1}});
	});
});

describe('help and footer for the source', () => {
	it('the help lists : and z and the commands only for the simulator', () => {
		const kernel = helpLines(false);
		expect(kernel.some(line => line.startsWith('  :  ') || line.startsWith('  z  '))).toBe(false);
		expect(kernel.some(line => line.startsWith('  C '))).toBe(true);
		expect(kernel).not.toContain('Command bar (:)');
		expect(helpLines(true)).toContain('Command bar (:)');
	});

	it('the footer advertises : and z only for the simulator', async () => {
		const {hints} = await import('../../source/ui/views/command-bar.js');
		expect(hints('', 'kernel')).not.toMatch(/: command|z pause/);
		expect(hints('', 'file')).toContain('C columns  t rates  m mark');
		expect(hints('', 'sim')).toContain(': command  z pause');
		for (const kind of ['sim', 'kernel', 'file'] as const) expect(hints('', kind).length).toBeLessThanOrEqual(80);
	});
});
