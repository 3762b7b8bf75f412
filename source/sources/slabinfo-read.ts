// File access for slabinfo text: `readSlabinfo(path)` reads /proc/slabinfo or a saved snapshot
// and parses it; `readTextFile(file)` is the one way every file named on the command line (a
// slabinfo file, a recording, a workload, standard input) is read: regular files only (standard
// input may be a pipe), up to a size limit. Every expected failure is a
// value (a SourceError with one line for the user), never an exception.

import {closeSync, constants, fstatSync, openSync, readSync, writeSync, type Stats} from 'node:fs';
import {isatty} from 'node:tty';
import {failWith, ok, type Result} from '../result.js';
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
	if (code === 'EACCES' || code === 'EPERM')
		return {kind: 'permission-denied', file, message: `${file}: permission denied`};
	if (code === 'ENOENT' || code === 'ENOTDIR') return {kind: 'not-found', file, message: `${file}: no such file`};
	if (code === 'EISDIR') return {kind: 'unreadable', file, message: `${file}: is a directory`};
	const reason = error instanceof Error ? error.message.replace(/^[A-Z]+: /, '') : String(error);
	return {kind: 'unreadable', file, message: `${file}: cannot ${verb} (${reason})`};
}

/** A failed create or write as one line naming the file. */
export function writeError(file: string, error: unknown): SourceError {
	const failed = readError(file, error, 'write');
	return failed.kind === 'not-found' ? {...failed, message: `${file}: cannot create (no such directory)`} : failed;
}

/** Writes all of `text` to `fd` (writeSync may write less than asked). */
export function writeAll(fd: number, text: string): void {
	const bytes = Buffer.from(text, 'utf8');
	for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset);
}

/** Bytes a file named on the command line may hold (a slabinfo file is some 30 KB). */
export const MAX_TEXT_FILE_BYTES = 16 * 1024 * 1024;

export type ReadLimits = {
	/** Bytes read at the most; a larger file is refused with a message. */
	maxBytes?: number;
};

function mib(bytes: number): string {
	return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

/** Why a file of this kind is not read, or null to read it. Standard input may also be a pipe or a terminal. */
function refusal(stats: Stats, isStdin: boolean): string | null {
	if (stats.isFile()) return null;
	if (stats.isDirectory()) return 'is a directory';
	if (isStdin && (stats.isFIFO() || stats.isSocket() || isatty(0))) return null;
	if (stats.isFIFO()) return 'is a pipe (FIFO), not a regular file';
	if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device, not a regular file';
	return 'is not a regular file';
}

/** Reads `fd` to its end, or stops past `maxBytes` (null then). */
function readAll(fd: number, maxBytes: number): Buffer | null {
	const chunks: Buffer[] = [];
	let total = 0;
	for (;;) {
		const chunk = Buffer.allocUnsafe(64 * 1024);
		let count: number;
		try {
			count = readSync(fd, chunk, 0, chunk.length, null);
		} catch (error) {
			// A non-blocking pipe with nothing yet: wait for it (standard input only).
			if (error instanceof Error && 'code' in error && error.code === 'EAGAIN') {
				Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
				continue;
			}

			throw error;
		}

		if (count === 0) return Buffer.concat(chunks, total);
		total += count;
		if (total > maxBytes) return null;
		chunks.push(chunk.subarray(0, count));
	}
}

/**
 * The whole text of `file` (a path, or a file descriptor such as 0 for standard input), or the
 * failure as a SourceError; `name` is what the error message calls the file; `latin1` gives one
 * character per byte. Only a regular
 * file is read (standard input may also be a pipe or a terminal): a FIFO would block and a
 * device such as /dev/zero never ends, so both are refused; so is a file over the size limit.
 */
export function readTextFile(
	file: string | number,
	name: string = String(file),
	encoding: 'utf8' | 'latin1' = 'utf8',
	limits: ReadLimits = {},
): TextResult {
	const maxBytes = limits.maxBytes ?? MAX_TEXT_FILE_BYTES;
	const isStdin = typeof file === 'number';
	let fd: number | null = null;
	try {
		// O_NONBLOCK: opening a FIFO with no writer returns at once (to be refused) instead of waiting.
		fd = isStdin ? file : openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
		const stats = fstatSync(fd);
		const refused = refusal(stats, isStdin);
		if (refused !== null) return failWith({kind: 'unreadable', file: name, message: `${name}: ${refused}`});
		if (stats.isFile() && stats.size > maxBytes) return failWith(tooLarge(name, maxBytes));
		const bytes = readAll(fd, maxBytes);
		if (bytes === null) return failWith(tooLarge(name, maxBytes));
		return ok(bytes.toString(encoding));
	} catch (error) {
		return {ok: false, error: readError(name, error)};
	} finally {
		if (fd !== null && !isStdin) closeSync(fd);
	}
}

function tooLarge(name: string, maxBytes: number): SourceError {
	return {kind: 'unreadable', file: name, message: `${name}: larger than ${mib(maxBytes)}, the most slabtop-ts reads`};
}

/** Reads and parses one slabinfo file. */
export function readSlabinfo(file: string): ReadResult {
	// The parser takes bytes, one character each, as procps reads the file.
	const read = readTextFile(file, file, 'latin1');
	if (!read.ok) return read;
	const parsed = parseSlabinfo(read.value, file);
	return parsed.ok ? ok(parsed.value.rows) : parsed;
}
