import {defineConfig} from 'vitest/config';

/**
 * Suites that take long for what they add on every run: the C reference model's counters, the
 * big property runs, and the tests against real components (*.slow.test.ts: Prometheus and
 * node_exporter).
 */
const SLOW = ['test/engine/reference.test.ts', 'test/engine/property.test.ts', 'test/**/*.slow.test.ts'];

// Three groups run one after the other: the unit and component tests (`--project unit`, the
// quick loop), then the real-terminal end-to-end tests, which time a live screen and must not
// share the two cores with the CPU-heavy engine tests, then the slow suites. dist/ is built
// once, before any of them (test/global-setup.ts), so no test runs against a stale build.
export default defineConfig({
	test: {
		testTimeout: 120_000,
		hookTimeout: 60_000,
		globalSetup: ['test/global-setup.ts'],
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
					exclude: ['test/e2e/**', ...SLOW],
					// Every frame drawn is assembled both ways and compared (source/ui/fast-output.ts).
					setupFiles: ['test/helpers/compare-output.ts'],
					sequence: {groupOrder: 0},
				},
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['test/e2e/**/*.test.ts', 'test/e2e/**/*.test.tsx'],
					sequence: {groupOrder: 1},
				},
			},
			{
				extends: true,
				test: {
					name: 'slow',
					include: SLOW,
					sequence: {groupOrder: 2},
				},
			},
		],
	},
});
