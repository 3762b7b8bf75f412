import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {WORKLOADS, counters} from '../../bench/engine-bench.js';

// The C reference model of shared/bench/ref, run with -v (scripts/gen-ref-counters.sh), prints
// for each bench workload its slabinfo figures, free buddy pages and every SLUB_STATS counter.
// The engine runs the same deterministic workloads and must agree on every figure.

const expected = readFileSync(new URL('../fixtures/ref-counters.jsonl', import.meta.url), 'utf8')
	.trim()
	.split('\n')
	.map(l => JSON.parse(l) as Record<string, number | string>);

describe('the engine matches the C reference model counter for counter', () => {
	for (const ref of expected) {
		it(`${String(ref.workload)}: slabinfo figures, buddy pages and SLUB_STATS`, () => {
			let got: Record<string, number | string> = {};
			WORKLOADS[String(ref.workload)]((e, cache) => {
				got = counters(String(ref.workload), e, cache);
			});
			expect(got).toEqual(ref);
		});
	}
});
