// File access for `--trace FILE`: openTraceFile(file) creates (or truncates) the file and gives
// a writer of trace_pipe lines (engine/trace-format.ts); lines are buffered and written at each
// flush() (the simulator flushes after every advance) and at close().
// Failures are values: a SourceError naming the file.

import {closeSync, openSync} from 'node:fs';
import {failWith, ok, type Result} from '../result.js';
import {readError, writeAll, writeError} from './slabinfo-read.js';
import type {SourceError} from './source.js';

export type TraceWriter = {
	readonly file: string;
	write(line: string): void;
	/** Writes what is buffered; the error of a failed write, else null. */
	flush(): SourceError | null;
	close(): void;
};

export type TraceWriterResult = Result<TraceWriter, SourceError>;

/** Lines buffered before a write even without a flush. */
const BUFFER_LINES = 4096;

export function openTraceFile(file: string): TraceWriterResult {
	let fd: number;
	try {
		fd = openSync(file, 'w');
	} catch (error) {
		return failWith(writeError(file, error));
	}

	let lines: string[] = [];
	let isClosed = false;
	let failure: SourceError | null = null;
	const flush = (): SourceError | null => {
		if (isClosed || failure !== null || lines.length === 0) return failure;
		const text = lines.join('\n') + '\n';
		lines = [];
		try {
			writeAll(fd, text);
		} catch (error) {
			failure = readError(file, error, 'write');
		}
		return failure;
	};

	return ok({
		file,
		write(line) {
			if (isClosed) return;
			lines.push(line);
			if (lines.length >= BUFFER_LINES) flush();
		},
		flush,
		close() {
			if (isClosed) return;
			flush();
			isClosed = true;
			closeSync(fd);
		},
	});
}
