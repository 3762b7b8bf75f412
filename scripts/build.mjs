// Build: bundle cli.tsx into dist/ (what the package ships) and, with --bench, the bench into
// dist-bench/ (what `npm run bench` runs), with esbuild. Packages stay external, and the interactive UI is
// a separate chunk loaded only when a screen is drawn, so `--once` loads no React or Ink.
import {readdirSync, rmSync, statSync} from 'node:fs';
import {build} from 'esbuild';

// Chunk names carry content hashes: start from empty folders so old ones do not pile up.
rmSync('dist', {recursive: true, force: true});
rmSync('dist-bench', {recursive: true, force: true});
const isBench = process.argv.includes('--bench');

const common = {bundle: true, platform: 'node', target: 'node20', minifySyntax: true, logLevel: 'warning'};

await build({
	...common,
	// The worker entry is the file that starts the simulator's thread (source/sim/worker-host.ts).
	entryPoints: {
		cli: 'cli.tsx',
		'sim-worker': 'source/sim/worker-host.ts',
		// Loader hooks for the screen, registered by source/ui/ink-fixes.ts.
		'ink-fixes-hook': 'source/ui/ink-fixes-hook.ts',
	},
	outdir: 'dist',
	splitting: true,
	format: 'esm',
	packages: 'external',
	jsx: 'automatic',
});

// A chunk with no code would be shipped for nothing: the split must not make one.
for (const file of readdirSync('dist')) {
	if (statSync(`dist/${file}`).size === 0) throw new Error(`build: dist/${file} is empty`);
}

if (isBench) await buildBench();

/** dist-bench/: only `npm run bench` needs it (no test runs the bench bundles). */
async function buildBench() {
	// The bench runner (ESM, it imports the UI for the frame benchmark) and the per-workload
	// bench process (CommonJS, engine only; see bench/one.ts).
	await build({
		...common,
		// The bench opens the screen over the simulator's worker thread, as the CLI does.
		entryPoints: {
			bench: 'bench/bench.ts',
			'sim-worker': 'source/sim/worker-host.ts',
			'ink-fixes-hook': 'source/ui/ink-fixes-hook.ts',
		},
		outdir: 'dist-bench',
		// Split: Ink (external) is imported by the UI benches' chunks, loaded after the hooks.
		splitting: true,
		format: 'esm',
		packages: 'external',
		jsx: 'automatic',
	});
	await build({...common, entryPoints: ['bench/one.ts'], outfile: 'dist-bench/bench-one.cjs', format: 'cjs'});

	// The engine with its trace hook compiled out (every `e.trace !== null` test false, every
	// `e.trace === null` true): `npm run bench` compares the shipped engine, trace closed, with it.
	const noTrace = {
		name: 'no-trace',
		setup(b) {
			b.onLoad({filter: /source[\\/]engine[\\/].*\.ts$/}, async args => {
				const {readFile} = await import('node:fs/promises');
				const text = await readFile(args.path, 'utf8');
				return {
					contents: text.replaceAll('e.trace !== null', 'false').replaceAll('e.trace === null', 'true'),
					loader: 'ts',
				};
			});
		},
	};
	// The same engine loop in both builds, loaded side by side by one process (bench/trace-ab-run.ts).
	await build({...common, entryPoints: ['bench/trace-ab.ts'], outfile: 'dist-bench/trace-ab-on.cjs', format: 'cjs'});
	await build({
		...common,
		entryPoints: ['bench/trace-ab.ts'],
		outfile: 'dist-bench/trace-ab-off.cjs',
		format: 'cjs',
		plugins: [noTrace],
	});
	await build({
		...common,
		entryPoints: ['bench/trace-ab-run.ts'],
		outfile: 'dist-bench/trace-ab-run.cjs',
		format: 'cjs',
	});
}
