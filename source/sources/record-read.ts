// File access for `--replay FILE`: `readRecording(file)` reads a recording written by --record
// and parses it (replay-source.ts). Every expected failure is a value: a SourceError whose one
// line names the file (and the line, for a malformed recording).

import {parseRecording, type RecordingResult} from './replay-source.js';
import {readTextFile} from './slabinfo-read.js';

/** A recording holds a sample a refresh (some 30 KB each): hours of them fit. */
export const MAX_RECORDING_BYTES = 512 * 1024 * 1024;

export function readRecording(file: string): RecordingResult {
	const read = readTextFile(file, file, 'utf8', {maxBytes: MAX_RECORDING_BYTES});
	return read.ok ? parseRecording(read.value, file) : read;
}
