// Runs bench/trace-ab.ts's two builds in turn in this one process (see there) and prints one JSON
// line per workload: ns/op with the trace hook compiled out, with it closed, the median of the
// per-round ratios, and ns/op with the trace open. `node dist-bench/trace-ab-run.cjs [rounds]`.

import {createRequire} from 'node:module';
import path from 'node:path';
import type {AbWorkload, run as Run} from './trace-ab.js';
import {median, round2} from './stats.js';

const load = createRequire(__filename);
const on = load(path.join(__dirname, 'trace-ab-on.cjs')) as {run: typeof Run};
const off = load(path.join(__dirname, 'trace-ab-off.cjs')) as {run: typeof Run};
const rounds = Number(process.argv[2] ?? 15);
const OPS: Record<AbWorkload, number> = {fastpath: 2_000_000, churn: 1_000_000};

for (const workload of ['fastpath', 'churn'] as const) {
	// Warm both builds up before measuring.
	on.run(workload, OPS[workload] / 4);
	off.run(workload, OPS[workload] / 4);
	const closed: number[] = [];
	const none: number[] = [];
	const ratios: number[] = [];
	for (let r = 0; r < rounds; r++) {
		const a = r % 2 === 0 ? off.run(workload, OPS[workload]) : 0;
		const b = on.run(workload, OPS[workload]);
		const c = r % 2 === 0 ? a : off.run(workload, OPS[workload]);
		none.push(c);
		closed.push(b);
		ratios.push(b / c);
	}
	const open = [
		on.run(workload, OPS[workload] / 10, true),
		on.run(workload, OPS[workload] / 10, true),
		on.run(workload, OPS[workload] / 10, true),
	];
	const ratio = Math.round(median(ratios) * 1000) / 1000;
	process.stdout.write(
		`${JSON.stringify({
			trace: workload,
			ns_per_op_no_trace_support: round2(median(none)),
			ns_per_op_trace_closed: round2(median(closed)),
			ratio_closed_vs_no_support: ratio,
			within_budget: ratio <= 1.1,
			ns_per_op_trace_open: round2(median(open)),
			rounds,
		})}\n`,
	);
}
