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

function timeRun(args: string[]): number {
	const start = process.hrtime.bigint();
	const result = spawnSync(process.execPath, args, {stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8'});
	const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
	if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
	return elapsed;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export function benchOnce(): Record<string, unknown> {
	if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first`);
	const onceArgs = [CLI, '--once', '--source', FIXTURE];
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
		name: 'once-vs-node',
		runs: RUNS,
		fixture: 'test/fixtures/slabinfo/real-1.txt',
		nodeMedianMs: round(median(nodeMs)),
		onceMedianMs: round(median(onceMs)),
		ratio: round2(ratio),
		maxRatio: MAX_RATIO,
		isWithinBudget: ratio <= MAX_RATIO,
	};
}
