// File access for `--trace FILE`: openTraceFile(file) creates (or truncates) the file and gives
// a writer of trace_pipe lines (engine/trace-format.ts); lines are buffered and written at each
// flush() (the simulator flushes after every advance) and at close().
// Failures are values: a SourceError naming the file.

import {closeSync, openSync, writeSync} from 'node:fs';
import {readError} from './slabinfo-read.js';
import type {SourceError} from './source.js';

export type TraceWriter = {
	readonly file: string;
	write(line: string): void;
	/** Writes what is buffered; the error of a failed write, else null. */
	flush(): SourceError | null;
	close(): void;
};

export type TraceWriterResult = {ok: true; writer: TraceWriter} | {ok: false; error: SourceError};

/** Lines buffered before a write even without a flush. */
const BUFFER_LINES = 4096;

export function openTraceFile(file: string): TraceWriterResult {
	let fd: number;
	try {
		fd = openSync(file, 'w');
	} catch (error) {
		const failed = readError(file, error, 'write');
		return {
			ok: false,
			error: failed.kind === 'not-found' ? {...failed, message: `${file}: cannot create (no such directory)`} : failed,
		};
	}

	let lines: string[] = [];
	let isClosed = false;
	let failure: SourceError | null = null;
	const flush = (): SourceError | null => {
		if (isClosed || failure !== null || lines.length === 0) return failure;
		const bytes = Buffer.from(lines.join('\n') + '\n', 'utf8');
		lines = [];
		try {
			for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset);
		} catch (error) {
			failure = readError(file, error, 'write');
		}
		return failure;
	};

	return {
		ok: true,
		writer: {
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
		},
	};
}
