import {describe, expect, it} from 'vitest';
import {SLAB_ACCOUNT, SLAB_HWCACHE_ALIGN} from '../../source/engine/index.js';
import {parseCommand} from '../../source/commands/bar-parse.js';
import type {BarCommand} from '../../source/commands/bar-command.js';

function command(line: string): BarCommand {
	const result = parseCommand(line);
	if (!result.ok) throw new Error(`${line}: ${result.error.message}`);
	return result.value;
}

function error(line: string): string {
	const result = parseCommand(line);
	if (result.ok) throw new Error(`${line}: parsed`);
	return result.error.message;
}

describe('parseCommand: every command', () => {
	it.each<[string, BarCommand]>([
		['alloc my_data_1', {kind: 'demo-alloc', data: 'my_data_1'}],
		['  free 12 ', {kind: 'demo-free', id: 12}],
		['access 0', {kind: 'demo-access', id: 0}],
		['freeall', {kind: 'demo-freeall'}],
		['show', {kind: 'demo-show'}],
		['create my_cache 200', {kind: 'create', name: 'my_cache', size: 200, align: 0, flags: 0, hasCtor: false}],
		[
			'create my_cache 200 align=64 flags=HWCACHE_ALIGN|slab_account ctor',
			{kind: 'create', name: 'my_cache', size: 200, align: 64, flags: SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, hasCtor: true},
		],
		['destroy my_cache', {kind: 'destroy', name: 'my_cache'}],
		['alloc -c kmalloc-64', {kind: 'alloc', cache: 'kmalloc-64', count: 1, cpu: 0}],
		['alloc -c kmalloc-64 -n 100 --cpu 1', {kind: 'alloc', cache: 'kmalloc-64', count: 100, cpu: 1}],
		['alloc --cpu 1 -n 5 -c dentry', {kind: 'alloc', cache: 'dentry', count: 5, cpu: 1}],
		['free -c kmalloc-64 -n 3', {kind: 'free', cache: 'kmalloc-64', count: 3, cpu: 0}],
		['shrink', {kind: 'shrink', cache: null}],
		['shrink all', {kind: 'shrink', cache: null}],
		['shrink dentry', {kind: 'shrink', cache: 'dentry'}],
		['validate kmalloc-64', {kind: 'validate', cache: 'kmalloc-64'}],
		['drop_caches', {kind: 'drop-caches'}],
		['workload steady', {kind: 'workload', name: 'steady', rate: 1}],
		['workload ./my.json rate=2.5', {kind: 'workload', name: './my.json', rate: 2.5}],
		['workload stop', {kind: 'workload-stop'}],
		['pause', {kind: 'pause'}],
		['resume', {kind: 'resume'}],
		['help', {kind: 'help', topic: null}],
		['help create', {kind: 'help', topic: 'create'}],
	])('%s', (line, expected) => {
		expect(command(line)).toEqual(expected);
	});
});

describe('parseCommand: every error says where, what, and how to write it', () => {
	it.each<[string, string]>([
		['', 'col 1: empty command: type a command such as show, or help for the list'],
		['   ', 'col 1: empty command: type a command such as show, or help for the list'],
		[
			'allocate x',
			'col 1: unknown command "allocate" (commands: alloc, free, access, freeall, show, create, destroy, shrink, validate, drop_caches, workload, pause, resume, kmalloc, kzalloc, kfree, krealloc, kfree_rcu, objects, write, help; help <command> shows its usage)',
		],
		[
			'alloc',
			'col 7: alloc needs data (one word) or -c <cache>; usage: alloc <data>  |  alloc -c <cache> [-n N] [--cpu C]',
		],
		[
			'alloc two words',
			'col 11: alloc takes one word of data, without spaces (e.g. alloc my_data_1); usage: alloc <data>  |  alloc -c <cache> [-n N] [--cpu C]',
		],
		[
			`alloc ${'x'.repeat(32)}`,
			'col 7: data is at most 31 characters (the module reads %31s), not 32; usage: alloc <data>  |  alloc -c <cache> [-n N] [--cpu C]',
		],
		['alloc -c', 'col 10: -c needs a value; usage: alloc <data>  |  alloc -c <cache> [-n N] [--cpu C]'],
		[
			'alloc -n 5',
			'col 7: alloc with options needs -c <cache>; usage: alloc <data>  |  alloc -c <cache> [-n N] [--cpu C]',
		],
		[
			'alloc -c x -n 0',
			'col 15: -n (the object count) must be a whole number from 1 to 1000000, not "0"; usage: alloc <data>  |  alloc -c <cache> [-n N] [--cpu C]',
		],
		[
			'alloc -c x -n many',
			'col 15: -n (the object count) must be a whole number from 1 to 1000000, not "many"; usage: alloc <data>  |  alloc -c <cache> [-n N] [--cpu C]',
		],
		[
			'alloc -c x --cpu -1',
			'col 18: --cpu (the CPU number) must be a whole number from 0 to 63, not "-1"; usage: alloc <data>  |  alloc -c <cache> [-n N] [--cpu C]',
		],
		[
			'alloc -c x --cpu 64',
			'col 18: --cpu (the CPU number) must be a whole number from 0 to 63, not "64"; usage: alloc <data>  |  alloc -c <cache> [-n N] [--cpu C]',
		],
		['alloc -c x -c y', 'col 12: -c is given twice; usage: alloc <data>  |  alloc -c <cache> [-n N] [--cpu C]'],
		[
			'alloc -c x -x 1',
			'col 12: unknown option "-x" (options: -c <cache>, -n N, --cpu C); usage: alloc <data>  |  alloc -c <cache> [-n N] [--cpu C]',
		],
		[
			'alloc -c bad/name',
			'col 10: "bad/name" is not a cache name (1-64 letters, digits and _ : . ( ) + -); usage: alloc <data>  |  alloc -c <cache> [-n N] [--cpu C]',
		],
		[
			'free',
			'col 6: free needs an object id (as alloc printed it); usage: free <id>  |  free -c <cache> [-n N] [--cpu C]  |  free <#handle|address> [--cpu C]',
		],
		[
			'free abc',
			'col 6: the object id must be a whole number from 0 to 2147483647, not "abc"; usage: free <id>  |  free -c <cache> [-n N] [--cpu C]  |  free <#handle|address> [--cpu C]',
		],
		[
			'free 1 2',
			'col 8: free takes one argument ("2" is extra); usage: free <id>  |  free -c <cache> [-n N] [--cpu C]  |  free <#handle|address> [--cpu C]',
		],
		[
			'free -c x -n',
			'col 14: -n needs a value; usage: free <id>  |  free -c <cache> [-n N] [--cpu C]  |  free <#handle|address> [--cpu C]',
		],
		['access', 'col 8: access needs an object id (as alloc printed it); usage: access <id>'],
		['access -1', 'col 8: the object id must be a whole number from 0 to 2147483647, not "-1"; usage: access <id>'],
		['freeall now', 'col 9: freeall takes no arguments ("now" is extra); usage: freeall'],
		['show all', 'col 6: show takes no arguments ("all" is extra); usage: show'],
		[
			'create',
			'col 8: create needs a cache name and an object size; usage: create <name> <size> [align=N] [flags=A|B…] [ctor]',
		],
		[
			'create c',
			'col 10: create needs an object size in bytes after the name; usage: create <name> <size> [align=N] [flags=A|B…] [ctor]',
		],
		[
			'create c big',
			'col 10: the object size must be a whole number from 1 to 8388608, not "big"; usage: create <name> <size> [align=N] [flags=A|B…] [ctor]',
		],
		[
			'create c 64 align=24',
			'col 19: align must be 0 or a power of two (8, 64, …), not 24; usage: create <name> <size> [align=N] [flags=A|B…] [ctor]',
		],
		[
			'create c 64 align=x',
			'col 19: align must be a whole number from 0 to 8192, not "x"; usage: create <name> <size> [align=N] [flags=A|B…] [ctor]',
		],
		[
			'create c 64 flags=A||B',
			'col 21: "" is not a flag name (write flags=HWCACHE_ALIGN|ACCOUNT); usage: create <name> <size> [align=N] [flags=A|B…] [ctor]',
		],
		[
			'create c 64 flags=HWCACHE_ALIGN|FAST',
			'col 33: unknown flag "FAST" (known: CONSISTENCY_CHECKS RED_ZONE POISON KMALLOC HWCACHE_ALIGN CACHE_DMA CACHE_DMA32 STORE_USER PANIC TYPESAFE_BY_RCU TRACE NOLEAKTRACE NO_MERGE ACCOUNT NO_USER_FLAGS RECLAIM_ACCOUNT NO_OBJ_EXT); usage: create <name> <size> [align=N] [flags=A|B…] [ctor]',
		],
		['create c 64 ctor ctor', 'col 18: ctor is given twice; usage: create <name> <size> [align=N] [flags=A|B…] [ctor]'],
		[
			'create c 64 align=8 align=8',
			'col 21: align= is given twice; usage: create <name> <size> [align=N] [flags=A|B…] [ctor]',
		],
		[
			'create c 64 flags=A flags=B',
			'col 21: flags= is given twice; usage: create <name> <size> [align=N] [flags=A|B…] [ctor]',
		],
		[
			'create c 64 fast',
			'col 13: unknown option "fast" (options: align=N, flags=A|B, ctor); usage: create <name> <size> [align=N] [flags=A|B…] [ctor]',
		],
		['destroy', 'col 9: destroy needs a cache name; usage: destroy <name>'],
		['destroy a b', 'col 11: destroy takes one argument ("b" is extra); usage: destroy <name>'],
		['shrink a b', 'col 10: shrink takes one argument ("b" is extra); usage: shrink [<cache>|all]'],
		['validate', 'col 10: validate needs a cache name; usage: validate <cache>'],
		['drop_caches 3', 'col 13: drop_caches takes no arguments ("3" is extra); usage: drop_caches'],
		[
			'workload',
			'col 10: workload needs a preset name, a file, or stop; usage: workload <preset|file> [rate=X]  |  workload stop',
		],
		[
			'workload stop now',
			'col 15: workload stop takes no arguments ("now" is extra); usage: workload <preset|file> [rate=X]  |  workload stop',
		],
		[
			'workload steady speed=2',
			'col 17: unknown option "speed=2" (the only option is rate=X); usage: workload <preset|file> [rate=X]  |  workload stop',
		],
		[
			'workload steady rate=1 rate=3',
			'col 24: rate= is given twice; usage: workload <preset|file> [rate=X]  |  workload stop',
		],
		[
			'workload steady rate=2 rate=2',
			'col 24: rate= is given twice; usage: workload <preset|file> [rate=X]  |  workload stop',
		],
		[
			'workload steady rate=0',
			'col 22: rate must be a number above 0 and at most 100 (1 is the workload as written), not "0"; usage: workload <preset|file> [rate=X]  |  workload stop',
		],
		[
			'workload steady rate=',
			'col 22: rate must be a number above 0 and at most 100 (1 is the workload as written), not ""; usage: workload <preset|file> [rate=X]  |  workload stop',
		],
		['pause 5', 'col 7: pause takes no arguments ("5" is extra); usage: pause'],
		['resume x', 'col 8: resume takes no arguments ("x" is extra); usage: resume'],
		[
			'help me',
			'col 6: no command named "me" (commands: alloc, free, access, freeall, show, create, destroy, shrink, validate, drop_caches, workload, pause, resume, kmalloc, kzalloc, kfree, krealloc, kfree_rcu, objects, write, help); usage: help [command]',
		],
		['help a b', 'col 8: help takes one argument ("b" is extra); usage: help [command]'],
	])('%j', (line, message) => {
		expect(error(line)).toBe(message);
	});
});
