// SlabSource over a slabinfo file: `createFileSource(path)` for `--source PATH`. Every
// sample() re-reads the file, so a snapshot being rewritten is followed.

import {ok} from '../result.js';
import {readSlabinfo} from './slabinfo-read.js';
import type {CacheRow, SampleResult, SlabSource, SourceKind} from './source.js';

export type SlabinfoSourceOptions = {
	kind: SourceKind;
	file: string;
	label: string;
	/** Adds what else the source knows (sysfs partial counts) to freshly read rows. */
	enrich?: (rows: CacheRow[]) => CacheRow[];
	/** Wall-clock milliseconds; injectable for tests. */
	now?: () => number;
};

/** The shared core of the file and kernel sources. */
export function createSlabinfoSource(options: SlabinfoSourceOptions): SlabSource {
	const now = options.now ?? Date.now;
	let version = 0;
	return {
		kind: options.kind,
		label: options.label,
		sample(): SampleResult {
			const read = readSlabinfo(options.file);
			if (!read.ok) return read;
			version++;
			const rows = options.enrich ? options.enrich(read.value) : read.value;
			return ok({kind: options.kind, label: options.label, version, timeMs: now(), rows});
		},
	};
}

export function createFileSource(file: string, now?: () => number): SlabSource {
	return createSlabinfoSource({kind: 'file', file, label: file, now});
}
