// Test helpers shared by the report, source and CLI tests (kept here because test/helpers/
// belongs to another part of the project): a CacheRow with defaults, and a readability probe.

import {readFileSync} from 'node:fs';
import type {CacheRow} from '../../source/sources/source.js';

/** A SLUB-style row (zero tunables, nothing unknown filled in) with the given fields. */
export function cacheRow(name: string, fields: Partial<CacheRow> = {}): CacheRow {
	return {
		name,
		activeObjs: 0,
		numObjs: 0,
		objSize: 64,
		objsPerSlab: 64,
		pagesPerSlab: 1,
		activeSlabs: 0,
		numSlabs: 0,
		limit: 0,
		batchCount: 0,
		sharedFactor: 0,
		sharedAvail: 0,
		partial: null,
		allocs: null,
		frees: null,
		...fields,
	};
}

/** Whether this process may read `file` (tests of /proc/slabinfo skip when it may not). */
export function canRead(file: string): boolean {
	try {
		readFileSync(file);
		return true;
	} catch {
		return false;
	}
}
