// File access for `--replay FILE`: `readRecording(file)` reads a recording written by --record
// and parses it (replay-source.ts). Every expected failure is a value: a SourceError whose one
// line names the file (and the line, for a malformed recording).

import {readFileSync} from 'node:fs';
import {parseRecording, type RecordingResult} from './replay-source.js';
import {readError} from './slabinfo-read.js';

export function readRecording(file: string): RecordingResult {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		return {ok: false, error: readError(file, error)};
	}

	return parseRecording(text, file);
}
