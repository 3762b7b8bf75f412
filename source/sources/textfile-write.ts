// File access for `--export-dir DIR`: `writeTextfile(dir, text)` replaces DIR/slabtop_ts.prom
// atomically (write a temporary file in DIR, then rename it over the old one), so
// node_exporter's textfile collector never reads half a file; `exportSamples(source, dir,
// render)` gives the same source back with every good sample written out as it is taken.
// The temporary file's name does not end in `.prom`, so the collector never reads it.
// Failures are values: a SourceError naming the file.

import {renameSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEachSample} from './after-sample.js';
import {readError} from './slabinfo-read.js';
import type {Sample, SlabSource, SourceError} from './source.js';

export const TEXTFILE_NAME = 'slabtop_ts.prom';
const TEMP_NAME = `.${TEXTFILE_NAME}.tmp`;

/** Writes `text` to `dir`/slabtop_ts.prom through a temporary file; null when written. */
export function writeTextfile(dir: string, text: string): SourceError | null {
	const file = join(dir, TEXTFILE_NAME);
	const temp = join(dir, TEMP_NAME);
	try {
		writeFileSync(temp, text, 'utf8');
		renameSync(temp, file);
		return null;
	} catch (error) {
		rmSync(temp, {force: true});
		const failed = readError(file, error, 'write');
		return failed.kind === 'not-found' ? {...failed, message: `${dir}: no such directory (--export-dir)`} : failed;
	}
}

/**
 * The same source, exporting: every successful sample() is rendered and written before it is
 * returned; a failed write turns that sample into the write's error (the screen shows it and
 * tries again at the next refresh, --once exits 1). Other members go to the source untouched.
 */
export function exportSamples<S extends SlabSource>(source: S, dir: string, render: (sample: Sample) => string): S {
	return afterEachSample(source, sample => writeTextfile(dir, render(sample)));
}
