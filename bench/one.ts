// One engine workload in this process: `node dist-bench/bench-one.cjs W2 [-v]`. Built as CommonJS
// and importing only the engine, so the resident memory it reports is the engine's plus Node's
// bare baseline (an ES module entry alone costs Node's loader about 2 MiB more).

import {WORKLOADS, counters} from './engine-bench.js';

const [name, flag] = process.argv.slice(2);
const run = WORKLOADS[name ?? ''];
if (!run) {
	process.stderr.write(`usage: bench-one W1|W2|W3|W4|W5 [-v]\n`);
	process.exitCode = 2;
} else {
	const inspect =
		flag === '-v'
			? (e: Parameters<typeof counters>[1], cache: number) =>
					process.stderr.write(`${JSON.stringify(counters(name ?? '', e, cache))}\n`)
			: undefined;
	process.stdout.write(`${JSON.stringify(run(inspect))}\n`);
}
