// The command line's flags: `parseArgv(argv)` turns the arguments into RawFlags (camelCase keys,
// string flags '' when given without a value) and positional input, with node:util's parseArgs
// (getopt-like: `-s c`, `-sc`, `--sort=c`, `--sort c`, grouped booleans `-oV`, `--` ends the
// options). An unknown option or one given twice is a usage error. Built into Node, it costs the
// --once path nothing to load.

import {parseArgs} from 'node:util';
import {err, ok, type Result} from '../result.js';
import {PROGRAM, type RawFlags} from './config.js';

type FlagSpec = {type: 'string' | 'boolean'; short?: string};

/** Every flag, by its RawFlags key (the long name is its kebab-case form). */
export const FLAGS: Readonly<Record<keyof RawFlags, FlagSpec>> = {
	delay: {type: 'string', short: 'd'},
	once: {type: 'boolean', short: 'o'},
	sort: {type: 'string', short: 's'},
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'V'},
	source: {type: 'string'},
	workload: {type: 'string', short: 'w'},
	seed: {type: 'string'},
	cpus: {type: 'string'},
	memory: {type: 'string'},
	ticks: {type: 'string'},
	speed: {type: 'string'},
	json: {type: 'boolean'},
	format: {type: 'string'},
	exportDir: {type: 'string'},
	exportTop: {type: 'string'},
	instance: {type: 'string'},
	interval: {type: 'string'},
	exec: {type: 'string'},
	execOnly: {type: 'boolean'},
	keepGoing: {type: 'boolean'},
	debug: {type: 'string'},
	listWorkloads: {type: 'boolean'},
	record: {type: 'string'},
	replay: {type: 'string'},
	trace: {type: 'string'},
	capture: {type: 'string'},
	boot: {type: 'string'},
};

const kebab = (key: string): string => key.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);

const KEY_OF_LONG = new Map(Object.keys(FLAGS).map(key => [kebab(key), key as keyof RawFlags]));

export type Argv = {flags: RawFlags; input: string[]};

export function parseArgv(argv: readonly string[]): Result<Argv, {kind: 'usage'; message: string}> {
	const options = Object.fromEntries(Object.entries(FLAGS).map(([key, spec]) => [kebab(key), spec]));
	const {tokens} = parseArgs({args: [...argv], options, strict: false, allowPositionals: true, tokens: true});
	const flags: Record<string, string | boolean> = {};
	const input: string[] = [];
	for (const token of tokens) {
		if (token.kind === 'positional') {
			input.push(token.value);
			continue;
		}

		if (token.kind !== 'option') continue;
		const key = KEY_OF_LONG.get(token.name);
		if (key === undefined) return err('usage', `unknown option ${token.rawName} (see ${PROGRAM} --help)`);
		if (key in flags) return err('usage', `option --${token.name} given more than once`);
		flags[key] = FLAGS[key].type === 'string' ? (token.value ?? '') : token.value !== 'false';
	}

	return ok({flags, input});
}
