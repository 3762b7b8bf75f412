// TEMPORARY — minimal stand-in written by the slabinfo/CLI engineer so that cli.tsx
// type-checks before the UI exists: it prints one --once report and returns 0. The UI's
// author replaces this file with the Ink application (same export and signature).

import type {Config} from '../config.js';
import {formatOnce} from '../report/once.js';
import type {SlabSource} from '../sources/source.js';

export async function runUi(config: Config, source: SlabSource): Promise<number> {
	const result = source.sample();
	if (!result.ok) {
		process.stderr.write(`slabtop-ts: ${result.error.message}\n`);
		return 1;
	}

	process.stdout.write(formatOnce(result.sample, config.sortKey));
	return 0;
}
