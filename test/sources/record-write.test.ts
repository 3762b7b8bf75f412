import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {readRecording} from '../../source/sources/record-read.js';
import {openRecorder, recordSamples, type Recorder} from '../../source/sources/record-write.js';
import {isSimSource} from '../../source/sim/types.js';
import {simOf} from '../helpers/config.js';
import type {SampleResult, SlabSource} from '../../source/sources/source.js';
import {cacheRow} from '../helpers/fake-sources.js';

const dir = mkdtempSync(join(tmpdir(), 'slabtop-ts-record-'));
afterAll(() => {
	rmSync(dir, {recursive: true, force: true});
});

function recorder(file: string, source: SlabSource): Recorder {
	const opened = openRecorder(file, source);
	if (!opened.ok) throw new Error(opened.error.message);
	return opened.value;
}

/** A file-like source whose second sample fails to read. */
function flakySource(): SlabSource {
	let calls = 0;
	return {
		kind: 'file',
		label: 'snap.txt',
		sample(): SampleResult {
			calls++;
			if (calls === 2)
				return {ok: false, error: {kind: 'not-found', file: 'snap.txt', message: 'snap.txt: no such file'}};
			return {
				ok: true,
				value: {
					kind: 'file',
					label: 'snap.txt',
					version: calls,
					timeMs: calls * 1000,
					rows: [cacheRow(`cache-${calls}`)],
				},
			};
		},
	};
}

describe('recording samples', () => {
	it('writes the header, then each good sample as it is taken, and reads back the same samples', () => {
		const file = join(dir, 'flaky.jsonl');
		const inner = flakySource();
		const rec = recorder(file, inner);
		const source = recordSamples(inner, rec);
		const results = [source.sample(), source.sample(), source.sample()];
		expect(results.map(result => result.ok)).toEqual([true, false, true]);
		rec.close();
		const read = readRecording(file);
		expect(read.ok && read.value).toEqual({
			label: 'snap.txt',
			samples: [
				{timeMs: 1000, rows: [cacheRow('cache-1')]},
				{timeMs: 3000, rows: [cacheRow('cache-3')]},
			],
		});
		expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(4);
	});

	it('keeps a recorded simulator a simulator: commands, status and events still reach it', () => {
		const sim = simOf({memory: '256M'});
		const file = join(dir, 'sim.jsonl');
		const rec = recorder(file, sim);
		const source = recordSamples(sim, rec);
		expect(isSimSource(source)).toBe(true);
		if (!isSimSource(source)) return;
		expect(source.execute('alloc hello').ok).toBe(true);
		source.advance(3);
		expect(source.status().tick).toBe(3);
		expect(source.events().some(event => event.kind === 'command')).toBe(true);
		const taken = source.sample();
		rec.close();
		const read = readRecording(file);
		expect(read.ok && read.value.samples).toEqual([{timeMs: 30, rows: taken.ok ? taken.value.rows : null}]);
	});

	it("turns a failed write into that sample's error, naming the file", () => {
		const rec = recorder(join(dir, 'closed.jsonl'), flakySource());
		rec.close();
		const result = recordSamples(flakySource(), rec).sample();
		expect(result).toMatchObject({ok: false, error: {file: join(dir, 'closed.jsonl')}});
	});

	it('refuses a file it cannot create, with one line', () => {
		expect(openRecorder(join(dir, 'missing', 'r.jsonl'), flakySource())).toEqual({
			ok: false,
			error: {
				kind: 'not-found',
				file: join(dir, 'missing', 'r.jsonl'),
				message: `${join(dir, 'missing', 'r.jsonl')}: cannot create (no such directory)`,
			},
		});
		expect(openRecorder(dir, flakySource())).toMatchObject({ok: false, error: {message: `${dir}: is a directory`}});
	});

	it.skipIf(!existsSync('/dev/full'))('says "cannot write" with the reason when a write fails', () => {
		expect(openRecorder('/dev/full', flakySource())).toEqual({
			ok: false,
			error: {
				kind: 'unreadable',
				file: '/dev/full',
				message: '/dev/full: cannot write (no space left on device, write)',
			},
		});
	});
});

describe('reading recordings', () => {
	it('names a missing or unreadable file in one line', () => {
		expect(readRecording(join(dir, 'nope.jsonl'))).toMatchObject({
			ok: false,
			error: {kind: 'not-found', message: `${join(dir, 'nope.jsonl')}: no such file`},
		});
		const locked = join(dir, 'locked.jsonl');
		writeFileSync(locked, '');
		chmodSync(locked, 0o000);
		const result = readRecording(locked);
		const isRoot = process.getuid?.() === 0;
		expect(result).toMatchObject({ok: false, error: {kind: isRoot ? 'malformed-line' : 'permission-denied'}});
	});
});
