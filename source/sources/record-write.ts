// File access for `--record FILE`: `openRecorder(file, source)` creates (or truncates) the file
// and writes the header; `recordSamples(source, recorder)` gives the same source back with every
// good sample it takes appended to the file as it is taken (replay-source.ts has the format).
// Writes are synchronous, so a run that ends at any point leaves whole lines behind.
// Failures are values: a SourceError naming the file.

import {closeSync, openSync} from 'node:fs';
import {failWith, ok, type Result} from '../result.js';
import {recordHeader, recordLine} from './replay-source.js';
import {afterEachSample} from './after-sample.js';
import {writeAll, writeError} from './slabinfo-read.js';
import type {Sample, SlabSource, SourceError} from './source.js';

export type Recorder = {
	readonly file: string;
	/** Appends one sample; null when written, else the error. */
	write(sample: Sample): SourceError | null;
	close(): void;
};

export type RecorderResult = Result<Recorder, SourceError>;

export function openRecorder(file: string, source: Pick<SlabSource, 'kind' | 'label'>): RecorderResult {
	let fd: number;
	try {
		fd = openSync(file, 'w');
		writeAll(fd, recordHeader(source));
	} catch (error) {
		return failWith(writeError(file, error));
	}

	let isClosed = false;
	return ok({
		file,
		write(sample) {
			if (isClosed) return {kind: 'unreadable', file, message: `${file}: the recording is closed`};
			try {
				writeAll(fd, recordLine(sample));
				return null;
			} catch (error) {
				return writeError(file, error);
			}
		},
		close() {
			if (isClosed) return;
			isClosed = true;
			closeSync(fd);
		},
	});
}

/**
 * The same source, recording: every successful sample() is written before it is returned; a
 * failed write turns that sample into the write's error (the screen shows it, --once exits 1).
 * Everything else (a simulator's commands, status, events) goes to the source untouched.
 */
export function recordSamples<S extends SlabSource>(source: S, recorder: Recorder): S {
	return afterEachSample(source, sample => recorder.write(sample));
}
