// File access for `--replay FILE`: `readRecording(file)` reads a recording written by --record
// and parses it (replay-source.ts). Every expected failure is a value: a SourceError whose one
// line names the file (and the line, for a malformed recording).

import {parseRecording, type RecordingResult} from './replay-source.js';
import {readTextFile} from './slabinfo-read.js';

export function readRecording(file: string): RecordingResult {
	const read = readTextFile(file);
	return read.ok ? parseRecording(read.value, file) : read;
}
