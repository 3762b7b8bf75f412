// Vitest's global setup: build dist/ once before any test, so the tests that
// run the CLI as a user does (test/cli.test.ts, test/e2e/) never meet a stale build. Every
// project inherits this setup; the build runs for the first only.

import {execFileSync} from 'node:child_process';
import process from 'node:process';

export default function setup(): void {
	if (process.env.SLABTOP_TS_TEST_BUILT === '1') return;
	execFileSync(process.execPath, ['scripts/build.mjs'], {stdio: 'inherit'});
	process.env.SLABTOP_TS_TEST_BUILT = '1';
}
