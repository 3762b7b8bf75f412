// npm run bench: the engine workloads W1–W4 (shared/bench/README.md) against the C reference
// (shared/bench/ref, built here with cc -O2), alternating the two over several rounds in one
// run and reporting medians and ratios; resident memory against Node's bare baseline; and the
// further timings the issues ask for (the --once path against `node -e 0`, UI frames), and the
// files under /sys/kernel/slab one refresh of the kernel source reads.
//
//   node dist-bench/bench.js                 everything, 3 rounds
//   node dist-bench/bench.js W2 W4 --rounds 5
//   node dist-bench/bench.js ui | responsive   the frame figures / the responsiveness figures only
//   node dist-bench/bench-one.cjs W2 [-v]    one workload in its own process (what the runner spawns)

import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {WorkloadResult} from './engine-bench.js';
import {benchOnce} from './once-bench.js';
import {median, pairedRatio, round2} from './stats.js';
import {fixInk} from '../source/ui/ink-fixes.js';
import {benchSysfsFiles} from './sysfs-bench.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

/** Build shared/bench/ref into `dir`; null (and a note on stderr) when it cannot be built. */
function buildReference(dir: string): string | null {
	const src = path.resolve(root, '..', 'shared', 'bench', 'ref', 'ref.c');
	const out = path.join(dir, 'ref-bench');
	const r = existsSync(src) ? spawnSync('cc', ['-O2', '-std=c11', '-o', out, src], {encoding: 'utf8'}) : null;
	if (r?.status === 0) return out;
	process.stderr.write(
		`bench: no C reference (${r === null ? `${src} is missing` : `cc failed: ${r.stderr.trim()}`}); ratios are left out\n`,
	);
	return null;
}

function parseLines(text: string): WorkloadResult[] {
	return text
		.split('\n')
		.filter(l => l.startsWith('{'))
		.map(l => JSON.parse(l) as WorkloadResult);
}

function nodeBaselineMib(): number {
	const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.memoryUsage().rss))'], {
		encoding: 'utf8',
	});
	return Math.round((Number(r.stdout) / 2 ** 20) * 10) / 10;
}

/**
 * The benches that draw the screen, loaded (in their own chunks) after Ink is
 * fixed, as the CLI does before its screen loads Ink (source/ui/ink-fixes-hook.ts).
 */
async function uiBenches() {
	fixInk();
	const [{run: benchUi}, {run: benchResponsive}] = await Promise.all([
		import('./ui-bench.js'),
		import('./responsive-bench.js'),
	]);
	return {benchUi, benchResponsive};
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const roundsAt = args.indexOf('--rounds');
	const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 3;
	if (args.includes('ui')) {
		// Only the frame figures: node dist-bench/bench.js ui
		for (const row of await (await uiBenches()).benchUi()) process.stdout.write(`${JSON.stringify(row)}\n`);
		return;
	}

	if (args.includes('responsive')) {
		// Only the responsiveness figures (issue 8): node dist-bench/bench.js responsive
		for (const row of await (await uiBenches()).benchResponsive()) process.stdout.write(`${JSON.stringify(row)}\n`);
		return;
	}

	const picked = args.filter(a => /^W[1-5]$/.test(a));
	const names = picked.length > 0 ? picked : ['W1', 'W2', 'W3', 'W4', 'W5'];
	const refDir = mkdtempSync(path.join(tmpdir(), 'slabtop-ref-'));
	try {
		await runAll(names, rounds, buildReference(refDir), picked.length === 0);
	} finally {
		rmSync(refDir, {recursive: true, force: true});
	}
}

async function runAll(
	names: readonly string[],
	rounds: number,
	ref: string | null,
	isEverything: boolean,
): Promise<void> {
	const baseline = nodeBaselineMib();
	for (const name of names) {
		const ours: WorkloadResult[] = [];
		const theirs: WorkloadResult[] = [];
		for (let r = 0; r < rounds; r++) {
			const a = spawnSync(process.execPath, [path.join(here, 'bench-one.cjs'), name], {
				encoding: 'utf8',
				maxBuffer: 1 << 24,
			});
			if (a.status !== 0) throw new Error(`${name}: ${a.stderr}`);
			ours.push(...parseLines(a.stdout));
			if (ref && name !== 'W5') {
				// W5 (sheaves) is ours: the C reference models no sheaves.
				const b = spawnSync(ref, [name], {encoding: 'utf8'});
				if (b.status === 0) theirs.push(...parseLines(b.stdout));
			}
		}
		const nsOurs = median(ours.map(o => o.ns_per_op));
		const nsRef = theirs.length === ours.length ? median(theirs.map(o => o.ns_per_op)) : null;
		const rss = median(ours.map(o => o.rss_mib));
		const line: Record<string, unknown> = {
			workload: name,
			ns_per_op: nsOurs,
			ops: ours[0].ops,
			live_peak: ours[0].live_peak,
			rss_mib: rss,
			ref_ns_per_op: nsRef,
			// median of the per-round ratios (the two programs run in turn)
			ratio_vs_ref:
				nsRef === null
					? null
					: round2(
							pairedRatio(
								ours.map(o => o.ns_per_op),
								theirs.map(o => o.ns_per_op),
							),
						),
			rounds,
		};
		if (name === 'W2') {
			// Budget: 1.25 x simulated bytes in use (num_slabs x 4 KiB) + Node's bare baseline.
			const simMib = (Math.ceil(1_000_000 / 64) * 4096) / 2 ** 20;
			line.node_baseline_mib = baseline;
			line.rss_budget_mib = Math.round((1.25 * simMib + baseline) * 10) / 10;
			line.ref_rss_mib = theirs.length > 0 ? median(theirs.map(o => o.rss_mib)) : null;
		}
		process.stdout.write(`${JSON.stringify(line)}\n`);
	}
	if (isEverything || process.argv.includes('--trace')) benchTrace(rounds);
	if (isEverything) {
		process.stdout.write(`${JSON.stringify(benchOnce())}\n`);
		process.stdout.write(`${JSON.stringify(benchOnce('sim'))}\n`);
		process.stdout.write(`${JSON.stringify(benchSysfsFiles())}\n`);
		const {benchUi, benchResponsive} = await uiBenches();
		for (const row of await benchUi()) process.stdout.write(`${JSON.stringify(row)}\n`);
		for (const row of await benchResponsive()) process.stdout.write(`${JSON.stringify(row)}\n`);
	}
}

/**
 * The operation trace's cost: bench/trace-ab-run.ts runs the engine with the trace hook as
 * shipped (the trace closed) and with the hook compiled out, in turn in one process, then with
 * the trace open on every operation. Budget: closed within 10 % of no trace support.
 */
function benchTrace(rounds: number): void {
	const r = spawnSync(process.execPath, [path.join(here, 'trace-ab-run.cjs'), String(Math.max(9, rounds * 3))], {
		encoding: 'utf8',
	});
	if (r.status !== 0) throw new Error(`trace: ${r.stderr}`);
	process.stdout.write(r.stdout);
}

main().catch((error: unknown) => {
	process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exitCode = 1;
});
