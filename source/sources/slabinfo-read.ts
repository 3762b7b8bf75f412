// File access for slabinfo text: `readSlabinfo(path)` reads /proc/slabinfo or a saved snapshot
// and parses it; `readTextFile(file)` is the one way every file named on the command line (a
// slabinfo file, a recording, a workload, standard input) is read. Every expected failure is a
// value (a SourceError with one line for the user), never an exception.

import {readFileSync} from 'node:fs';
import {ok, type Result} from '../result.js';
import {parseSlabinfo} from './slabinfo-parse.js';
import type {CacheRow, SourceError} from './source.js';

export const PROC_SLABINFO = '/proc/slabinfo';

export type ReadResult = Result<CacheRow[], SourceError>;

export type TextResult = Result<string, SourceError>;

function errorCode(error: unknown): string {
	if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
	return 'EIO';
}

/** The SourceError for a failed read (or, with verb 'write', a failed write) of `file`. */
export function readError(file: string, error: unknown, verb: 'read' | 'write' = 'read'): SourceError {
	const code = errorCode(error);
	if (code === 'EACCES' || code === 'EPERM') return {kind: 'permission-denied', file, message: `${file}: permission denied`};
	if (code === 'ENOENT' || code === 'ENOTDIR') return {kind: 'not-found', file, message: `${file}: no such file`};
	if (code === 'EISDIR') return {kind: 'unreadable', file, message: `${file}: is a directory`};
	const reason = error instanceof Error ? error.message.replace(/^[A-Z]+: /, '') : String(error);
	return {kind: 'unreadable', file, message: `${file}: cannot ${verb} (${reason})`};
}

/**
 * The whole text of `file` (a path, or a file descriptor such as 0 for standard input), or the
 * failure as a SourceError; `name` is what the error message calls the file; `latin1` gives one
 * character per byte.
 */
export function readTextFile(
	file: string | number,
	name: string = String(file),
	encoding: 'utf8' | 'latin1' = 'utf8',
): TextResult {
	try {
		return ok(readFileSync(file, encoding));
	} catch (error) {
		return {ok: false, error: readError(name, error)};
	}
}

/** Reads and parses one slabinfo file. */
export function readSlabinfo(file: string): ReadResult {
	// The parser takes bytes, one character each, as procps reads the file.
	const read = readTextFile(file, file, 'latin1');
	if (!read.ok) return read;
	const parsed = parseSlabinfo(read.value, file);
	return parsed.ok ? ok(parsed.value.rows) : parsed;
}
