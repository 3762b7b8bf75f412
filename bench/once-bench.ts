// Start-up cost of the --once path: `benchOnce()` times `node dist/cli.js --once --source
// <fixture>` against `node -e 0` in alternating runs (so drift hits both alike) and reports the
// medians and the median of the paired ratios. The contract: the ratio stays at or below 2.

import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {median, pairedRatio, round2} from './stats.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = `${ROOT}dist/cli.js`;
const FIXTURE = `${ROOT}test/fixtures/slabinfo/real-1.txt`;
const RUNS = 15;
const WARMUP_RUNS = 2;
const MAX_RATIO = 1.5;
const SIM_MAX_RATIO = 3;

function timeRun(args: string[]): number {
	const start = process.hrtime.bigint();
	const result = spawnSync(process.execPath, args, {stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8'});
	const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
	if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
	return elapsed;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * `file`: --once on a slabinfo file, within MAX_RATIO of `node -e 0`. `sim`: --once on the
 * simulator, which boots the committed capture (every cache rebuilt), within SIM_MAX_RATIO.
 */
export function benchOnce(kind: 'file' | 'sim' = 'file'): Record<string, unknown> {
	if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first`);
	const onceArgs = kind === 'file' ? [CLI, '--once', '--source', FIXTURE] : [CLI, '--once', '--source', 'sim'];
	const maxRatio = kind === 'file' ? MAX_RATIO : SIM_MAX_RATIO;
	const nodeArgs = ['-e', '0'];
	for (let run = 0; run < WARMUP_RUNS; run++) {
		timeRun(nodeArgs);
		timeRun(onceArgs);
	}

	const nodeMs: number[] = [];
	const onceMs: number[] = [];
	for (let run = 0; run < RUNS; run++) {
		nodeMs.push(timeRun(nodeArgs));
		onceMs.push(timeRun(onceArgs));
	}

	const ratio = pairedRatio(onceMs, nodeMs);
	return {
		name: kind === 'file' ? 'once-vs-node' : 'sim-boot-once-vs-node',
		runs: RUNS,
		fixture: kind === 'file' ? 'test/fixtures/slabinfo/real-1.txt' : 'the committed 6.18 capture (--source sim)',
		nodeMedianMs: round(median(nodeMs)),
		onceMedianMs: round(median(onceMs)),
		ratio: round2(ratio),
		maxRatio,
		isWithinBudget: ratio <= maxRatio,
	};
}
