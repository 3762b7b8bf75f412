import {defineConfig} from 'vitest/config';

// Three groups run one after the other: the unit and component tests, then the real-terminal
// end-to-end tests, which time a live screen and must not share the two cores with the
// CPU-heavy engine tests, then the slow tests against real components (*.slow.test.ts:
// Prometheus and node_exporter).
export default defineConfig({
	test: {
		testTimeout: 120_000,
		hookTimeout: 60_000,
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
					exclude: ['test/e2e/**', 'test/**/*.slow.test.ts'],
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
					include: ['test/**/*.slow.test.ts'],
					sequence: {groupOrder: 2},
				},
			},
		],
	},
});
