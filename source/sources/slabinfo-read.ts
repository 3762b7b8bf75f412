// File access for slabinfo text: `readSlabinfo(path)` reads /proc/slabinfo or a saved snapshot
// and parses it. Every expected failure is a value (a SourceError with one line for the user),
// never an exception. The only place that opens slabinfo files.

import {readFileSync} from 'node:fs';
import {parseSlabinfo} from './slabinfo-parse.js';
import type {CacheRow, SourceError} from './source.js';

export const PROC_SLABINFO = '/proc/slabinfo';

export type ReadResult = {ok: true; rows: CacheRow[]} | {ok: false; error: SourceError};

function errorCode(error: unknown): string {
	if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
	return 'EIO';
}

/** The SourceError for a failed read of `file`. */
export function readError(file: string, error: unknown): SourceError {
	const code = errorCode(error);
	if (code === 'EACCES' || code === 'EPERM') {
		const message =
			file === PROC_SLABINFO
				? `${file}: permission denied: only root can read it (run as root, e.g. with sudo)`
				: `${file}: permission denied`;
		return {kind: 'permission-denied', file, message};
	}

	if (code === 'ENOENT' || code === 'ENOTDIR') {
		const message =
			file === PROC_SLABINFO
				? `${file}: no such file: this kernel does not provide slab statistics`
				: `${file}: no such file`;
		return {kind: 'not-found', file, message};
	}

	if (code === 'EISDIR') return {kind: 'unreadable', file, message: `${file}: is a directory`};
	const reason = error instanceof Error ? error.message.replace(/^[A-Z]+: /, '') : String(error);
	return {kind: 'unreadable', file, message: `${file}: cannot read (${reason})`};
}

/** Reads and parses one slabinfo file. */
export function readSlabinfo(file: string): ReadResult {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		return {ok: false, error: readError(file, error)};
	}

	const parsed = parseSlabinfo(text, file);
	return parsed.ok ? {ok: true, rows: parsed.rows} : parsed;
}
