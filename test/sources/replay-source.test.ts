import {describe, expect, it} from 'vitest';
import {
	createReplaySource,
	parseRecording,
	recordHeader,
	recordLine,
	type Recording,
} from '../../source/sources/replay-source.js';
import type {CacheRow, Sample, SampleResult} from '../../source/sources/source.js';
import {cacheRow} from '../helpers/fake-sources.js';

const FILE = 'run.jsonl';

function sample(timeMs: number, rows: readonly CacheRow[]): Sample {
	return {kind: 'sim', label: 'sim', version: 1, timeMs, rows};
}

const first = [
	cacheRow('kmalloc-64', {activeObjs: 10, numObjs: 64, numSlabs: 1, activeSlabs: 1, partial: 1, allocs: 12, frees: 2}),
];
const second = [
	cacheRow('kmalloc-64', {
		activeObjs: 60,
		numObjs: 128,
		numSlabs: 2,
		activeSlabs: 2,
		partial: 0,
		allocs: 70,
		frees: 10,
		sysfs: {slab_size: 64, flags: ['KMALLOC'], ctor: '', aliases: []},
	}),
	cacheRow('dentry', {objSize: 192}),
];
const text =
	recordHeader({kind: 'sim', label: 'sim'}) + recordLine(sample(100, first)) + recordLine(sample(200, second));

function parsed(recordingText: string): Recording {
	const result = parseRecording(recordingText, FILE);
	if (!result.ok) throw new Error(result.error.message);
	return result.value;
}

function rowsOf(result: SampleResult): readonly CacheRow[] {
	if (!result.ok) throw new Error(result.error.message);
	return result.value.rows;
}

describe('parseRecording', () => {
	it('reads back the header and every sample as recorded, sysfs figures included', () => {
		expect(parsed(text)).toEqual({
			label: 'sim',
			samples: [
				{timeMs: 100, rows: first},
				{timeMs: 200, rows: second},
			],
		});
	});

	it('accepts a recording without a final newline', () => {
		expect(parsed(text.trimEnd()).samples).toHaveLength(2);
	});

	const faults: Array<[string, string, number, string]> = [
		['an empty file', '', 1, 'expected a JSON object, found a blank line'],
		['a slabinfo file', 'slabinfo - version: 2.1\n', 1, 'not valid JSON ('],
		['another JSON document', '{"caches": []}\n', 1, 'not a recording: expected a slabtop-ts-record header'],
		[
			'a header without samples',
			recordHeader({kind: 'file', label: 'x'}),
			2,
			'expected a sample: the recording has none',
		],
		['a truncated last line', text + recordLine(sample(300, first)).slice(0, 30), 4, 'not valid JSON ('],
		[
			'a blank line between samples',
			text.replace('\n{"timeMs":200', '\n\n{"timeMs":200'),
			3,
			'expected a JSON object, found a blank line',
		],
		[
			'a count that is not a number',
			text.replace('"numObjs":128', '"numObjs":"128"'),
			3,
			'row 1 (kmalloc-64): expected "numObjs" to be a number of at least 0',
		],
		['a row without a name', text.replace('"name":"dentry",', ''), 3, 'row 2: expected "name" to be a cache name'],
		[
			'a bad sysfs figure',
			text.replace('"slab_size":64', '"slab_size":null'),
			3,
			'row 1 (kmalloc-64): sysfs "slab_size" must be a number, a string or a list of strings',
		],
		[
			'a header with an unknown kind',
			text.replace('"kind":"sim"', '"kind":"tape"'),
			1,
			'header: expected "kind" (sim, kernel, file, prometheus) and "label" (text)',
		],
		[
			'a header without a label',
			text.replace(',"label":"sim"', ''),
			1,
			'header: expected "kind" (sim, kernel, file, prometheus) and "label" (text)',
		],
		[
			'a sample without rows',
			`${recordHeader({kind: 'sim', label: 'sim'})}{"timeMs":1}\n`,
			2,
			'sample: expected "rows" to be a list',
		],
	];

	for (const [what, input, line, message] of faults) {
		it(`rejects ${what}, naming the file and line`, () => {
			const result = parseRecording(input, FILE);
			expect(result.ok).toBe(false);
			if (result.ok) return;
			expect(result.error).toMatchObject({kind: 'malformed-line', file: FILE, line});
			expect(result.error.message.startsWith(`${FILE}:${line}: ${message}`)).toBe(true);
			expect(result.error.message).not.toContain('\n');
		});
	}

	it('rejects another format version as unsupported', () => {
		const result = parseRecording(text.replace('"version":1', '"version":2'), FILE);
		expect(result).toEqual({
			ok: false,
			error: {
				kind: 'unsupported-version',
				file: FILE,
				line: 1,
				message: `${FILE}:1: recording version 2 is not supported (expected 1)`,
			},
		});
	});
});

describe('the replay source', () => {
	it('plays one recorded sample per sample(), then repeats the last with a fresh version', () => {
		const source = createReplaySource(FILE, parsed(text));
		expect(source).toMatchObject({kind: 'file', label: 'run.jsonl (replay of sim)'});
		const results = [source.sample(), source.sample(), source.sample(), source.sample()];
		expect(results.map(result => rowsOf(result))).toEqual([first, second, second, second]);
		expect(results.map(result => (result.ok ? [result.value.version, result.value.timeMs] : null))).toEqual([
			[1, 100],
			[2, 200],
			[3, 200],
			[4, 200],
		]);
		expect(
			results.every(result => result.ok && result.value.kind === 'file' && result.value.label === source.label),
		).toBe(true);
	});
});
