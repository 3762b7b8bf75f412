#!/usr/bin/env node
// Differential fuzz of the slabinfo parser and the --once report against the real procps-ng
// slabtop (run as root: slabtop reads each file through a bind mount over /proc/slabinfo in a
// private mount namespace, as scripts/gen-slabtop-expected.sh does).
//
// Each case mutates one of the real captures in test/fixtures/slabinfo (seeded, so a run is
// repeatable), runs `slabtop -o -s KEY` and `node dist/cli.js --once --source FILE -s KEY`, and
// compares acceptance (exit status 0 or not) and, when both accept, the output byte for byte.
// Disagreements are written to DIR (default /tmp/slabtop-fuzz) with both outputs.
//
// --keep N also writes the first N cases to DIR as fuzz-SEED-INDEX.txt (fixtures for the corpus).
//
// usage: sudo node scripts/fuzz-slabtop.mjs [--cases N] [--seed S] [--out DIR] [--slabtop PATH] [--keep N]
import {spawnSync} from 'node:child_process';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {parseArgs} from 'node:util';

const {values} = parseArgs({
	options: {
		cases: {type: 'string', default: '300'},
		seed: {type: 'string', default: '1'},
		out: {type: 'string', default: '/tmp/slabtop-fuzz'},
		slabtop: {type: 'string', default: '/usr/bin/slabtop'},
		keep: {type: 'string', default: '0'},
	},
});

const root = new URL('..', import.meta.url).pathname;
const fixtures = ['real-1.txt', 'real-2.txt', 'real-3.txt', 'v2.1-statistics.txt', 'v2.0.txt'].map(name =>
	readFileSync(join(root, 'test/fixtures/slabinfo', name)),
);
const keys = ['a', 'b', 'c', 'l', 'v', 'n', 'o', 'p', 's', 'u'];

// splitmix32: the seeded choices of every mutation.
let state = Number(values.seed) >>> 0;
function random() {
	state = (state + 0x9e3779b9) >>> 0;
	let z = state;
	z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
	z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
	return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
}

const pick = list => list[Math.floor(random() * list.length)];
const BYTES = [' ', '\t', '\v', '\f', '\r', '\0', '#', ':', '-', '+', '\xff', '\xc3', 'x', '\x1b', '9'];
const NUMBERS = [
	'4294967295',
	'4294967296',
	'4294967297',
	'18446744073709551615',
	'18446744073709551616',
	'-1',
	'+7',
	'-4294967296',
	'99999999999999999999999',
	'0',
	'9007199254740993',
];

/** One mutation of a latin1 text (one character per byte). */
function mutate(text) {
	const lines = text.split('\n');
	const at = 1 + Math.floor(random() * Math.max(1, lines.length - 2));
	const line = lines[at] ?? '';
	const tokens = line.split(/( +)/);
	const numberIndexes = tokens.map((token, index) => (/^\d+$/.test(token) ? index : -1)).filter(index => index >= 0);
	switch (Math.floor(random() * 11)) {
		case 0:
			if (numberIndexes.length > 0) tokens[pick(numberIndexes)] = pick(NUMBERS);
			lines[at] = tokens.join('');
			break;
		case 1: {
			const index = Math.floor(random() * tokens.length);
			tokens.splice(index, 1);
			lines[at] = tokens.join('');
			break;
		}
		case 2: {
			const position = Math.floor(random() * (line.length + 1));
			lines[at] = line.slice(0, position) + pick(BYTES) + line.slice(position);
			break;
		}
		case 3: {
			const position = Math.floor(random() * line.length);
			lines[at] = line.slice(0, position) + line.slice(position + 1);
			break;
		}
		case 4:
			lines[at] = line.slice(0, Math.floor(random() * line.length));
			break;
		case 5:
			lines[0] = pick([
				'slabinfo - version: 2.7',
				'slabinfo - version: 1.1',
				'slabinfo - version: 3.0',
				'slabinfo-version:2.1',
				'slabinfo - version: 2',
				'slabinfo - version: 2.1 (statistics)',
				' slabinfo - version: 2.1',
				'slabinfo - version: +2.-1',
			]);
			break;
		case 6:
			lines[at] = `${line} : vendor ${Math.floor(random() * 1000)} ${Math.floor(random() * 1000)}`;
			break;
		case 7:
			lines.splice(at, 0, pick(['', ' ', '\r', '#', '# comment', '\t#x']));
			break;
		case 8:
			lines[at] =
				line +
				' '.repeat(2000 + Math.floor(random() * 200)) +
				pick(['', '#x', '1', 'a 1 2 3 4 5 : tunables 0 0 0 : slabdata 1 1 0']);
			break;
		case 9: {
			const replacement = String.fromCharCode(0x80 + Math.floor(random() * 128));
			lines[at] = line.replace(/^(\S)/, `$1${replacement}`);
			break;
		}
		default:
			if (numberIndexes.length > 0) tokens[pick(numberIndexes)] = String(Math.floor(random() * 2 ** 33));
			lines[at] = tokens.join('');
	}

	return lines.join('\n');
}

function run(command, args) {
	const result = spawnSync(command, args, {encoding: 'latin1', env: {...process.env, LC_ALL: 'C'}, maxBuffer: 1 << 26});
	return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

mkdirSync(values.out, {recursive: true});
const file = join(values.out, 'case.txt');
const totals = {cases: 0, bothAccept: 0, bothReject: 0, acceptMismatch: 0, outputMismatch: 0};
for (let index = 0; index < Number(values.cases); index++) {
	let text = pick(fixtures).toString('latin1');
	const count = 1 + Math.floor(random() * 3);
	for (let step = 0; step < count; step++) text = mutate(text);
	const key = pick(keys);
	writeFileSync(file, Buffer.from(text, 'latin1'));
	if (index < Number(values.keep))
		writeFileSync(join(values.out, `fuzz-${values.seed}-${index}.txt`), Buffer.from(text, 'latin1'));
	const real = run('unshare', [
		'-m',
		'sh',
		'-c',
		'mount --bind "$1" /proc/slabinfo && exec "$2" -o -s "$3"',
		'sh',
		file,
		values.slabtop,
		key,
	]);
	const ours = run(process.execPath, [join(root, 'dist/cli.js'), '--once', '--source', file, '-s', key]);
	totals.cases++;
	const isRealOk = real.status === 0;
	const isOursOk = ours.status === 0;
	let problem = null;
	if (isRealOk !== isOursOk) problem = 'accept';
	else if (isRealOk && real.stdout !== ours.stdout) problem = 'output';
	if (problem === null) {
		if (isRealOk) totals.bothAccept++;
		else totals.bothReject++;
		continue;
	}

	if (problem === 'accept') totals.acceptMismatch++;
	else totals.outputMismatch++;
	const name = join(values.out, `${problem}-${index}`);
	writeFileSync(`${name}.txt`, Buffer.from(text, 'latin1'));
	writeFileSync(
		`${name}.slabtop`,
		Buffer.from(`exit ${real.status} -s ${key}\n${real.stdout}${real.stderr}`, 'latin1'),
	);
	writeFileSync(`${name}.ours`, Buffer.from(`exit ${ours.status} -s ${key}\n${ours.stdout}${ours.stderr}`, 'latin1'));
}

process.stdout.write(`${JSON.stringify(totals)}\n`);
process.exitCode = totals.acceptMismatch + totals.outputMismatch === 0 ? 0 : 1;
