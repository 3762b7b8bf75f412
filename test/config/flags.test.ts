import {describe, expect, it} from 'vitest';
import {parseArgv} from '../../source/config/flags.js';

describe('parseArgv', () => {
	it('reads long, short, attached and inline values as getopt does', () => {
		expect(parseArgv(['-o', '-sc', '--source', 'kernel', '--json', '--list-workloads', '--exec', '-'])).toEqual({
			ok: true,
			value: {flags: {once: true, sort: 'c', source: 'kernel', json: true, listWorkloads: true, exec: '-'}, input: []},
		});
		expect(parseArgv(['--sort=N', '-d', '5', 'extra'])).toEqual({
			ok: true,
			value: {flags: {sort: 'N', delay: '5'}, input: ['extra']},
		});
	});

	it('a string flag without its value is the empty string (the config says what it needs)', () => {
		expect(parseArgv(['-o', '-s'])).toEqual({ok: true, value: {flags: {once: true, sort: ''}, input: []}});
	});

	it('an unknown option or one given twice is one usage line', () => {
		expect(parseArgv(['-x'])).toEqual({
			ok: false,
			error: {kind: 'usage', message: 'unknown option -x (see slabtop-ts --help)'},
		});
		expect(parseArgv(['--frob=1'])).toEqual({
			ok: false,
			error: {kind: 'usage', message: 'unknown option --frob (see slabtop-ts --help)'},
		});
		expect(parseArgv(['-s', 'a', '--sort', 'b'])).toEqual({
			ok: false,
			error: {kind: 'usage', message: 'option --sort given more than once'},
		});
	});

	it('-- ends the options', () => {
		expect(parseArgv(['--', '-o'])).toEqual({ok: true, value: {flags: {}, input: ['-o']}});
	});
});
