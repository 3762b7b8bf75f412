// Build: bundle cli.tsx (and the bench) into dist/ with esbuild. Packages stay external, and
// the interactive UI is a separate chunk loaded only when a screen is drawn, so
// `--once` loads no React or Ink.
import {rmSync} from 'node:fs';
import {build} from 'esbuild';

// Chunk names carry content hashes: start from an empty dist/ so old ones do not pile up.
rmSync('dist', {recursive: true, force: true});

await build({
  entryPoints: {cli: 'cli.tsx', bench: 'bench/bench.ts'},
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  jsx: 'automatic',
  minifySyntax: true,
  banner: {js: ''},
  logLevel: 'warning',
});

// The per-workload bench process: CommonJS, engine only (see bench/one.ts).
await build({
  entryPoints: ['bench/one.ts'],
  outfile: 'dist/bench-one.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  logLevel: 'warning',
});

// The same bench process with the engine's trace hook compiled out (every `e.trace !== null`
// test is false): `npm run bench` compares the engine with the trace closed against it.
const noTrace = {
  name: 'no-trace',
  setup(b) {
    b.onLoad({filter: /source[\\/]engine[\\/].*\.ts$/}, async args => {
      const {readFile} = await import('node:fs/promises');
      const text = await readFile(args.path, 'utf8');
      return {contents: text.replaceAll('e.trace !== null', 'false').replaceAll('e.trace === null', 'true'), loader: 'ts'};
    });
  },
};
await build({
  entryPoints: ['bench/one.ts'],
  outfile: 'dist/bench-one-notrace.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [noTrace],
});
