// The built CLI (dist/, from the test setup): what `--once` loads before it knows the source.
// The files dist/cli.js imports statically must hold neither the screen (React, Ink) nor the
// simulator (the engine, the workloads): those are loaded only when asked for.

import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';

const dist = path.resolve(import.meta.dirname, '..', 'dist');

/** dist/cli.js and every file it imports statically, with their text. */
function staticGraph(): Map<string, string> {
	const files = new Map<string, string>();
	const visit = (file: string): void => {
		if (files.has(file)) return;
		const text = readFileSync(path.join(dist, file), 'utf8');
		files.set(file, text);
		for (const match of text.matchAll(/^import (?:[^;]*? from )?"\.\/([^"]+)"/gm)) visit(match[1]);
	};

	visit('cli.js');
	return files;
}

describe('the built CLI', () => {
	it('loads no engine, workload, React or Ink code before it knows the source', () => {
		const graph = staticGraph();
		expect(graph.size).toBeGreaterThan(1);
		const text = [...graph.values()].join('\n');
		for (const marker of ['function createEngine(', 'function tickMachine(', 'from "ink"', 'from "react"']) {
			expect(text, marker).not.toContain(marker);
		}
	});
});
