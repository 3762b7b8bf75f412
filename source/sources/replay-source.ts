// Recordings (`--record FILE`) and their playback (`--replay FILE`). Pure: record-write.ts and
// record-read.ts do the file access. Main entries: recordHeader()/recordLine() (the format),
// parseRecording(text, file) (text → samples, or a SourceError naming the line) and
// createReplaySource(file, recording) (one recorded sample per sample(), the last repeated).
//
// The format is JSON lines, one JSON object a line:
//   line 1   {"format":"slabtop-ts-record","version":1,"kind":"sim","label":"sim"}
//            the recorded source's kind and label
//   line 2…  {"timeMs":1500,"rows":[CacheRow, …]}
//            one per sample taken, in order: the sample's source time and its rows with the
//            CacheRow field names (name, activeObjs, numObjs, objSize, …, sysfs where known)
// A final newline is optional; any other blank line, or any line that is not such an object,
// rejects the whole file with the line's number.

import {failWith, ok, type Result} from '../result.js';
import type {CacheRow, Sample, SampleResult, SlabSource, SourceError, SourceKind, SysfsValue} from './source.js';

const RECORD_FORMAT = 'slabtop-ts-record';
const RECORD_VERSION = 1;

export type Recording = {
	/** The recorded source's label (the header's kind is checked, not kept: a replay is a file). */
	label: string;
	samples: ReadonlyArray<{timeMs: number; rows: readonly CacheRow[]}>;
};

export type RecordingResult = Result<Recording, SourceError>;

/** The first line of a recording of `source`, newline included. */
export function recordHeader(source: Pick<SlabSource, 'kind' | 'label'>): string {
	return `${JSON.stringify({format: RECORD_FORMAT, version: RECORD_VERSION, kind: source.kind, label: source.label})}\n`;
}

/** One sample as a recording line, newline included. */
export function recordLine(sample: Sample): string {
	return `${JSON.stringify({timeMs: sample.timeMs, rows: sample.rows})}\n`;
}

/** A line that is not what the format says; the message is the line's fault. */
class LineError extends Error {
	constructor(
		message: string,
		readonly kind: SourceError['kind'] = 'malformed-line',
	) {
		super(message);
	}
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(object: JsonObject, key: string, where: string): number {
	const value = object[key];
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		throw new LineError(`${where}: expected "${key}" to be a number of at least 0`);
	}

	return value;
}

function countOrNull(object: JsonObject, key: string, where: string): number | null {
	return object[key] === null ? null : count(object, key, where);
}

function sysfsValue(value: unknown): value is SysfsValue {
	if (typeof value === 'number') return Number.isFinite(value);
	if (typeof value === 'string') return true;
	return Array.isArray(value) && value.every(item => typeof item === 'string');
}

function sysfsFigures(value: unknown, where: string): Record<string, SysfsValue> {
	if (!isObject(value)) throw new LineError(`${where}: expected "sysfs" to be an object`);
	const figures: Record<string, SysfsValue> = {};
	for (const [key, figure] of Object.entries(value)) {
		if (!sysfsValue(figure))
			throw new LineError(`${where}: sysfs "${key}" must be a number, a string or a list of strings`);
		figures[key] = figure;
	}

	return figures;
}

function cacheRow(value: unknown, index: number): CacheRow {
	let where = `row ${index + 1}`;
	if (!isObject(value)) throw new LineError(`${where}: expected an object`);
	if (typeof value.name !== 'string' || value.name === '')
		throw new LineError(`${where}: expected "name" to be a cache name`);
	where = `row ${index + 1} (${value.name})`;
	const row: CacheRow = {
		name: value.name,
		activeObjs: count(value, 'activeObjs', where),
		numObjs: count(value, 'numObjs', where),
		objSize: count(value, 'objSize', where),
		objsPerSlab: count(value, 'objsPerSlab', where),
		pagesPerSlab: count(value, 'pagesPerSlab', where),
		activeSlabs: count(value, 'activeSlabs', where),
		numSlabs: count(value, 'numSlabs', where),
		limit: count(value, 'limit', where),
		batchCount: count(value, 'batchCount', where),
		sharedFactor: count(value, 'sharedFactor', where),
		sharedAvail: count(value, 'sharedAvail', where),
		partial: countOrNull(value, 'partial', where),
		allocs: countOrNull(value, 'allocs', where),
		frees: countOrNull(value, 'frees', where),
	};
	const allocFail = value.allocFail === undefined ? null : countOrNull(value, 'allocFail', where);
	if (allocFail !== null) row.allocFail = allocFail;
	if (value.sysfs !== undefined) row.sysfs = sysfsFigures(value.sysfs, where);
	return row;
}

function parseJsonLine(line: string): unknown {
	if (line.trim() === '') throw new LineError('expected a JSON object, found a blank line');
	try {
		return JSON.parse(line) as unknown;
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new LineError(`not valid JSON (${reason})`);
	}
}

const SOURCE_KINDS: readonly SourceKind[] = ['sim', 'kernel', 'file', 'prometheus'];

function parseHeader(line: string): Pick<Recording, 'label'> {
	const header = parseJsonLine(line);
	const expected = `expected a ${RECORD_FORMAT} header (a file written by --record)`;
	if (!isObject(header) || header.format !== RECORD_FORMAT) throw new LineError(`not a recording: ${expected}`);
	if (header.version !== RECORD_VERSION) {
		throw new LineError(
			`recording version ${JSON.stringify(header.version)} is not supported (expected ${RECORD_VERSION})`,
			'unsupported-version',
		);
	}

	if (!SOURCE_KINDS.some(known => known === header.kind) || typeof header.label !== 'string') {
		throw new LineError(`header: expected "kind" (${SOURCE_KINDS.join(', ')}) and "label" (text)`);
	}

	return {label: header.label};
}

function parseSampleLine(line: string): {timeMs: number; rows: CacheRow[]} {
	const object = parseJsonLine(line);
	if (!isObject(object)) throw new LineError('expected a sample object {"timeMs": …, "rows": […]}');
	const timeMs = count(object, 'timeMs', 'sample');
	if (!Array.isArray(object.rows)) throw new LineError('sample: expected "rows" to be a list');
	return {timeMs, rows: object.rows.map((row: unknown, index) => cacheRow(row, index))};
}

/** A recording's text → its samples, or the first fault as `FILE:LINE: what`. */
export function parseRecording(text: string, file: string): RecordingResult {
	const lines = text.split('\n');
	if (lines.length > 1 && lines.at(-1) === '') lines.pop();
	let lineNumber = 1;
	try {
		const header = parseHeader(lines[0]);
		const samples: Array<{timeMs: number; rows: CacheRow[]}> = [];
		for (lineNumber = 2; lineNumber <= lines.length; lineNumber++) samples.push(parseSampleLine(lines[lineNumber - 1]));
		if (samples.length === 0) throw new LineError('expected a sample: the recording has none');
		return ok({...header, samples});
	} catch (error) {
		if (!(error instanceof LineError)) throw error;
		return failWith({kind: error.kind, file, line: lineNumber, message: `${file}:${lineNumber}: ${error.message}`});
	}
}

/** The label a replay shows: the file, and what was recorded. */
function replayLabel(file: string, recording: Pick<Recording, 'label'>): string {
	return `${file} (replay of ${recording.label})`;
}

/**
 * Plays `recording` back: each sample() gives the next recorded sample, with its recorded time,
 * and once they run out the last one again (a fresh version, the same time). The kind is
 * 'file' (a saved file: the screen offers no simulator views) and the label says it is a replay.
 */
export function createReplaySource(file: string, recording: Recording): SlabSource {
	const label = replayLabel(file, recording);
	let next = 0;
	let version = 0;
	return {
		kind: 'file',
		label,
		sample(): SampleResult {
			const recorded = recording.samples[Math.min(next, recording.samples.length - 1)];
			next++;
			version++;
			return ok({kind: 'file', label, version, timeMs: recorded.timeMs, rows: recorded.rows});
		},
	};
}
