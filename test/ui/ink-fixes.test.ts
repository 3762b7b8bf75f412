// Ink 6.8's text caches, bounded by the screen's loader hooks (source/ui/ink-fixes-hook.ts):
// the hooked measure-text.js and wrap-text.js give the values Ink's own give, and keep at most
// CACHE_LIMIT texts however many distinct texts they are asked about. Runs the built hooks
// (dist/, from the test setup) in a child Node, as the CLI registers them.

import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {CACHE_LIMIT, INK_PATCHES, load, patchInkFile} from '../../source/ui/ink-fixes-hook.js';

const root = path.resolve(import.meta.dirname, '../..');

// The child: Ink's modules through the hooks, and the same files unhooked (a query string
// makes another module of the same file, which the hooks do not match).
const CHILD = `
import {register} from 'node:module';
import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
register(${JSON.stringify(pathToFileURL(path.join(root, 'dist/ink-fixes-hook.js')).href)});
const build = path.dirname(createRequire(${JSON.stringify(pathToFileURL(path.join(root, 'package.json')).href)}).resolve('ink'));
const url = name => pathToFileURL(path.join(build, name)).href;
const hooked = {measure: await import(url('measure-text.js')), wrap: await import(url('wrap-text.js')), log: await import(url('log-update.js'))};
const original = {measure: await import(url('measure-text.js') + '?ink'), wrap: await import(url('wrap-text.js') + '?ink'), log: await import(url('log-update.js') + '?ink')};
const texts = ['', 'plain', 'two\\nlines here', '日本語のテキスト', 'emoji 🙂👍🏽 and flags 🇩🇪', '\\u001b[1mbold\\u001b[22m text', 'a long line '.repeat(9)];
const differences = [];
for (const text of texts) {
	if (JSON.stringify(hooked.measure.default(text)) !== JSON.stringify(original.measure.default(text))) differences.push(['measure', text]);
	for (const width of [1, 5, 12, 40]) for (const type of ['wrap', 'truncate', 'truncate-middle', 'truncate-start', 'end']) {
		if (hooked.wrap.default(text, width, type) !== original.wrap.default(text, width, type)) differences.push(['wrap', text, width, type]);
	}
}
for (let index = 0; index < 5000; index++) {
	hooked.measure.default('row ' + index);
	hooked.wrap.default('row ' + index, 3, 'truncate');
}
process.stdout.write(JSON.stringify({
	differences,
	measureCache: hooked.measure.cacheSize(),
	wrapCache: hooked.wrap.cacheSize(),
	originalHasCacheSize: 'cacheSize' in original.measure,
	cursorFix: [hooked.log.incrementalCursorFix, original.log.incrementalCursorFix],
}));
`;

describe("Ink's text caches under the screen's loader hooks", () => {
	it('give the values of Ink 6.8 and stay bounded', () => {
		const out = execFileSync(process.execPath, ['--input-type=module', '-e', CHILD], {cwd: root, encoding: 'utf8'});
		const result = JSON.parse(out) as {
			differences: unknown[];
			measureCache: number;
			wrapCache: number;
			originalHasCacheSize: boolean;
			cursorFix: [boolean | undefined, boolean | undefined];
		};
		expect(result.differences).toEqual([]);
		expect(result.originalHasCacheSize).toBe(false);
		expect(result.measureCache).toBeGreaterThan(0);
		expect(result.measureCache).toBeLessThanOrEqual(CACHE_LIMIT);
		expect(result.wrapCache).toBeGreaterThan(0);
		expect(result.wrapCache).toBeLessThanOrEqual(CACHE_LIMIT);
		expect(result.cursorFix).toEqual([true, null]);
	});

	it("fix the incremental renderer's move to the frame's top, only where Ink 6.8 has it once", () => {
		const cursorUp = INK_PATCHES['log-update'].patches[0][0];
		const renderer = `const x = 1;\n            ${cursorUp}\n`;
		const fixed = patchInkFile('log-update', renderer);
		expect(fixed).toContain("cursorUp(previousVisible - (previousOutput.endsWith('\\n') ? 0 : 1))");
		expect(fixed).not.toContain(cursorUp);
		expect(fixed).toContain('export const incrementalCursorFix = true;');
		expect(patchInkFile('log-update', 'const x = 1;\n')).toBeNull();
		expect(patchInkFile('log-update', renderer + renderer)).toBeNull();
	});

	const scratch = mkdtempSync(path.join(tmpdir(), 'ink-caches-'));
	afterAll(() => {
		rmSync(scratch, {recursive: true, force: true});
	});

	/** A fake Ink of `version` in the scratch folder: the URL of its build/measure-text.js. */
	function fakeInk(version: string): string {
		const dir = path.join(scratch, version, 'node_modules', 'ink');
		mkdirSync(path.join(dir, 'build'), {recursive: true});
		writeFileSync(path.join(dir, 'package.json'), JSON.stringify({name: 'ink', version}));
		return pathToFileURL(path.join(dir, 'build', 'measure-text.js')).href;
	}

	it('replace the files of Ink 6.8.x only, and nothing else', async () => {
		const passed: string[] = [];
		// The fake files hold the statement the patch looks for.
		const source = 'const cache = new Map();\ncache.set(text, dimensions);\nexport default 1;';
		const next = async (url: string) => {
			passed.push(url);
			return Promise.resolve({format: 'module', source});
		};

		const replaced = await load(fakeInk('6.8.0'), {}, next);
		expect(replaced.shortCircuit).toBe(true);
		expect(typeof replaced.source === 'string' ? replaced.source : '').toContain('cacheSize');
		for (const url of [fakeInk('7.0.0'), fakeInk('6.7.2'), pathToFileURL(path.join(root, 'cli.tsx')).href]) {
			expect(await load(url, {}, next)).toEqual({format: 'module', source});
		}

		expect(passed).toHaveLength(4);
	});
});
