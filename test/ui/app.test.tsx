import {readFileSync} from 'node:fs';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {SORT_KEYS} from '../../source/report/sort.js';
import {createFileSource} from '../../source/sources/file-source.js';
import {simOf} from '../helpers/config.js';
import type {SampleResult, SlabSource} from '../../source/sources/source.js';
import {cacheRow, fakeSimSource, fakeSource} from '../helpers/fake-sources.js';
import {KEYS, renderApp, tableNames, type AppHarness} from '../helpers/render-app.js';

const FIXTURE = 'test/fixtures/slabinfo/real-1.txt';

let app: AppHarness | null = null;
afterEach(() => {
	app?.unmount();
	app = null;
	vi.useRealTimers();
});

/** The real simulator, booted with the default machine and no workload steps run. */
function simSource(): SlabSource {
	return simOf({source: 'sim', memory: '256M', seed: '1'});
}

/** The sparkline's block characters on the line of cache `name`. */
function sparkOf(frame: string, name: string): string {
	const line = frame.split('\n').find(text => text.includes(` ${name} `)) ?? '';
	return (line.match(/[▁▂▃▄▅▆▇█]+/g) ?? []).join('');
}

/** What procps-ng slabtop 4.0.2 printed for FIXTURE with `-o -s KEY` (test/fixtures/slabtop-expected). */
function golden(key: string): string[] {
	return readFileSync(`test/fixtures/slabtop-expected/real-1.${key}.txt`, 'utf8').split('\n');
}

/** The cache names slabtop printed for FIXTURE with a sort key, in its order. */
function goldenNames(key: string): string[] {
	return golden(key)
		.slice(7)
		.filter(line => line.trim() !== '')
		.map(line => line.trim().split(/\s+/)[7]);
}

describe('the cache screen', () => {
	it('shows the five header lines slabtop printed for the same file', async () => {
		app = renderApp(createFileSource(FIXTURE));
		const frame = await app.waitFor(text => text.includes('Active / Total Objects'));
		expect(frame.split('\n').slice(0, 5)).toEqual(golden('o').slice(0, 5));
	});

	it('orders the rows as slabtop did for every sort key, and r reverses', async () => {
		const names = goldenNames('n');
		app = renderApp(createFileSource(FIXTURE), {columns: 120, rows: 40});
		await app.waitFor(text => text.includes('OBJS'));
		for (const key of SORT_KEYS) {
			// The selection keeps its cache across sorts and the table scrolls to it: Home goes to the top.
			await app.press(key, KEYS.home);
			const frame = await app.waitFor(text => text.includes(`sort ${key}↓`));
			const shown = tableNames(frame, names);
			expect(shown.length).toBe(31);
			expect(shown, `sort key ${key}`).toEqual(goldenNames(key).slice(0, shown.length));
		}

		await app.press('n', 'r', KEYS.home);
		const reversed = await app.waitFor(text => text.includes('sort n↑'));
		expect(tableNames(reversed, names)[0]).toBe(names.at(-1));
	});

	it('shows the top of the new order when the sort changes, as slabtop does', async () => {
		app = renderApp(createFileSource(FIXTURE), {rows: 30});
		await app.waitFor(text => text.includes('OBJS'));
		await app.press(KEYS.end, KEYS.enter);
		const lastByObjects = goldenNames('o').at(-1) ?? '';
		await app.waitFor(text => text.includes(`${lastByObjects}  (Esc back)`));
		await app.press(KEYS.escape, 'n', KEYS.enter);
		const firstByName = goldenNames('n')[0];
		await app.waitFor(text => text.includes(`${firstByName}  (Esc back)`));
		await app.press(KEYS.escape);
		const frame = await app.waitFor(text => text.includes('sort n↓'));
		expect(tableNames(frame, goldenNames('n'))[0]).toBe(firstByName);
	});

	it('moves the selection with the arrows, pages and Home', async () => {
		const names = goldenNames('n');
		app = renderApp(createFileSource(FIXTURE), {rows: 30, sortKey: 'n'});
		await app.waitFor(text => text.includes('OBJS'));
		await app.press(KEYS.down, KEYS.down, KEYS.up, KEYS.enter);
		await app.waitFor(text => text.includes(`${names[1]}  (Esc back)`));
		await app.press(KEYS.escape, KEYS.pageDown, KEYS.enter);
		// 30 rows: 29 lines of frame, 6 header, 1 table heading, 1 command bar: 21 table rows.
		await app.waitFor(text => text.includes(`${names[22]}  (Esc back)`));
		await app.press(KEYS.escape);
		const scrolled = await app.waitFor(text => !text.includes('(Esc back)'));
		expect(tableNames(scrolled, names)).toContain(names[22]);
		expect(tableNames(scrolled, names)).not.toContain(names[0]);
		await app.press(KEYS.home, KEYS.enter);
		await app.waitFor(text => text.includes(`${names[0]}  (Esc back)`));
		await app.press(KEYS.escape, KEYS.pageDown, KEYS.pageDown, KEYS.pageUp, KEYS.enter);
		await app.waitFor(text => text.includes(`${names[21]}  (Esc back)`));
		await app.press(KEYS.escape, KEYS.pageUp, KEYS.enter);
		await app.waitFor(text => text.includes(`${names[0]}  (Esc back)`));
	});

	it('filters by a substring of the name; Esc clears the filter', async () => {
		const rows = [cacheRow('kmalloc-64'), cacheRow('kmalloc-128'), cacheRow('dentry'), cacheRow('inode_cache')];
		const names = rows.map(row => row.name);
		app = renderApp(fakeSource([rows]));
		await app.waitFor(text => text.includes('dentry'));
		await app.press('/', 'k', 'm', 'a', 'l');
		let frame = await app.waitFor(text => text.includes('/kmal'));
		expect(tableNames(frame, names).sort()).toEqual(['kmalloc-128', 'kmalloc-64']);
		await app.press(KEYS.enter);
		frame = await app.waitFor(text => text.includes("filter 'kmal'"));
		expect(tableNames(frame, names)).not.toContain('dentry');
		await app.press(KEYS.escape);
		frame = await app.waitFor(text => !text.includes("filter 'kmal'"));
		expect(tableNames(frame, names)).toHaveLength(4);
	});

	it('shows rates from consecutive samples: change of active objects and KiB per second, blank on the first frame', async () => {
		const first = [cacheRow('busy', {activeObjs: 100, numObjs: 128, numSlabs: 4, partial: 3}), cacheRow('quiet')];
		const second = [cacheRow('busy', {activeObjs: 400, numObjs: 512, numSlabs: 16, partial: 3}), cacheRow('quiet')];
		app = renderApp(fakeSource([first, second], 'kernel', 2000), {columns: 120});
		const before = await app.waitFor(text => text.includes('busy'));
		expect(before).toMatch(/ PARTIAL\s+OBJS\/s\s+KB\/s /);
		expect(before).toMatch(/busy\s+3\s+[▁▂▃▄▅▆▇█]*\s*$/m);
		await app.press(' ');
		// 300 more objects and 12 more one-page slabs (48 KiB) in 2 s.
		const frame = await app.waitFor(text => /busy\s+3\s+\+150\s+\+24 /.test(text));
		const quiet = frame.split('\n').find(line => line.includes('quiet')) ?? '';
		expect(quiet).toMatch(/quiet\s+0\s+0\s+[▁▂▃▄▅▆▇█ ]*$/);
		expect(frame).toContain('rates since the last refresh');
	});

	it('draws a sparkline of active objects: low to high for a growing cache, flat for a steady one', async () => {
		const samples = [1, 2, 3, 4, 5, 6].map(step => [
			cacheRow('growing', {activeObjs: step * 20}),
			cacheRow('steady', {activeObjs: 50}),
		]);
		app = renderApp(fakeSource(samples, 'kernel', 10_000), {columns: 120});
		await app.waitFor(text => text.includes('growing'));
		await app.press(' ', ' ', ' ', ' ', ' ');
		const frame = await app.waitFor(text => /^\s+128\s+120\s.* growing /m.test(text));
		const growing = sparkOf(frame, 'growing');
		// 15 cells for the minute up to 60 s (4 s each), the first two blank (before the first
		// sample, at 10 s); each sample's value carried forward, scaled from 20 (▁) to 120 (█).
		expect(growing).toBe('▁▁▂▂▂▄▄▅▅▅▇▇█');
		expect(sparkOf(frame, 'steady')).toBe('▁'.repeat(growing.length));
	});

	it('keeps the last good sample on screen and shows the error when a read fails', async () => {
		let calls = 0;
		const rows = [cacheRow('dentry', {activeObjs: 77})];
		const failing: SlabSource = {
			kind: 'kernel',
			label: '/proc/slabinfo',
			sample(): SampleResult {
				calls++;
				if (calls === 1)
					return {ok: true, value: {kind: 'kernel', label: '/proc/slabinfo', version: 1, timeMs: 1000, rows}};
				return {
					ok: false,
					error: {kind: 'permission-denied', file: '/proc/slabinfo', message: '/proc/slabinfo: permission denied'},
				};
			},
		};
		app = renderApp(failing);
		await app.waitFor(text => text.includes('dentry'));
		await app.press(' ');
		const frame = await app.waitFor(text => text.includes('! /proc/slabinfo: permission denied'));
		expect(tableNames(frame, ['dentry'])).toEqual(['dentry']);
		expect(frame).toMatch(/^\s+128\s+77\s+/m);
	});

	it('refreshes on a timer whose delay + and - change', async () => {
		// The refresh interval is a fake timer; keys and rendering run for real.
		vi.useFakeTimers({toFake: ['setInterval', 'clearInterval']});
		const source = fakeSource([[cacheRow('dentry')]]);
		app = renderApp(source);
		await app.waitFor(text => text.includes('every 600s'), 500);
		// + (faster) from 600 s down the steps: 30s 10s 5s 3s 2s 1s 500ms 250ms 100ms; - back up.
		await app.press(...Array.from({length: 9}, () => '+'));
		await app.waitFor(text => text.includes('every 100ms'));
		const before = source.calls;
		vi.advanceTimersByTime(650);
		expect(source.calls - before).toBe(6);
		await app.press(...Array.from({length: 8}, () => '-'));
		await app.waitFor(text => text.includes('every 30s'));
		const slow = source.calls;
		vi.advanceTimersByTime(29_999);
		expect(source.calls).toBe(slow);
		vi.advanceTimersByTime(1);
		expect(source.calls).toBe(slow + 1);
	});

	it('says the screen is cropped in a small terminal and still draws what fits', async () => {
		app = renderApp(createFileSource(FIXTURE), {columns: 60, rows: 12});
		const frame = await app.waitFor(text => text.includes('cropped'));
		expect(frame).toContain('cropped: 60x12 is smaller than 80x24');
		expect(frame.split('\n').length).toBeLessThanOrEqual(11);
		for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
	});

	it('does not crash in a terminal of a few lines, and says first that it is cropped', async () => {
		app = renderApp(createFileSource(FIXTURE), {columns: 20, rows: 3});
		const frame = await app.waitFor(text => text.length > 0);
		expect(frame.split('\n')[0]).toMatch(/^cropped: 20x3 /);
		expect(frame.split('\n').length).toBeLessThanOrEqual(2);
	});
});

describe('the other views', () => {
	it('opens the simulator detail of the selected cache: layout, states, map, counters, aliases', async () => {
		const sim = fakeSimSource();
		app = renderApp(sim, {columns: 120, rows: 60, sortKey: 'n'});
		await app.waitFor(text => text.includes('kmalloc-64'));
		await app.press(KEYS.down, KEYS.enter);
		const frame = await app.waitFor(text => text.includes('kmalloc-64  (Esc back)'));
		expect(frame).toMatch(/│ object size │ slot size │ align │ order │ objs\/slab │ free ptr offset │/);
		expect(frame).toMatch(/│ 56\s+│ 64\s+│ 8\s+│ 0\s+│ 32\s+│ 56\s+│/);
		expect(frame).toContain('flags: HWCACHE_ALIGN');
		expect(frame).toContain('aliases: alias-one, alias-two');
		expect(frame).toContain(
			'cpu0  cpu slab 0x00028000 10/16 in use, 3 on the cpu freelist; cpu partial: 1 slab, 4/16 objects in use',
		);
		expect(frame).toContain('cpu1  no cpu slab; cpu partial: 0 slabs, 0/0 objects in use');
		expect(frame).toContain('node partial: 2 slabs, 9/32 objects in use');
		expect(frame).toContain('full: 5 slabs');
		expect(frame).toContain('Slab map: 12 slabs');
		// The first slab is the one chosen (◆); the line under the map names it.
		expect(frame).toContain('◆░░░░░░░░░░▒');
		expect(frame).toContain('◆ slab 1 of 12:');
		expect(frame).toMatch(/│ alloc_fastpath\s+│ 480\s+│ 300\s+│ 180\s+│/);
		expect(frame).not.toContain('free_fastpath');
		await app.press(KEYS.escape);
		await app.waitFor(text => text.includes('OBJS'));
	});

	it('lists demo_objects as the kmem_cache_demo module does', async () => {
		app = renderApp(fakeSimSource(), {columns: 120, rows: 60, sortKey: 'n'});
		await app.waitFor(text => text.includes('demo_objects'));
		await app.press(KEYS.enter);
		const frame = await app.waitFor(text => text.includes('Active Objects:'));
		expect(frame).toContain("[1] data='world' age=340 ms accesses=2");
		expect(frame).toContain("[0] data='hello' age=2340 ms accesses=0");
		expect(frame).toContain('ctor: object_ctor');
	});

	it('says the detail needs the simulator for a file source, with the slabinfo figures', async () => {
		app = renderApp(fakeSource([[cacheRow('dentry', {numSlabs: 3, objsPerSlab: 21, objSize: 192})]]));
		await app.waitFor(text => text.includes('dentry'));
		await app.press(KEYS.enter);
		const frame = await app.waitFor(text => text.includes('dentry  (Esc back)'));
		expect(frame).toContain('or the simulator (--source sim)');
		expect(frame).toMatch(/│ 63\s+│ 63\s+│ 100%\s+│ 192/);
	});

	it('shows the sysfs layout and list figures a kernel source read, and says what needs the simulator', async () => {
		const sysfs = {
			object_size: 184,
			slab_size: 192,
			align: 64,
			order: 0,
			objs_per_slab: 21,
			min_partial: 5,
			cpu_partial: 120,
			hwcache_align: 1,
			reclaim_account: 0,
			ctor: '',
			aliases: 2,
			partial: 4,
			objects_partial: 60,
			cpu_slabs: 3,
		};
		app = renderApp(fakeSource([[cacheRow('cred', {numSlabs: 3, objsPerSlab: 21, objSize: 192, sysfs})]], 'kernel'));
		await app.waitFor(text => text.includes('cred'));
		await app.press(KEYS.enter);
		const frame = await app.waitFor(text => text.includes('/sys/kernel/slab/cred'));
		expect(frame).toMatch(/│ 184\s+│ 192\s+│ 64\s+│ 0\s+│ 21\s+│ 5\s+│ 120/);
		expect(frame).toContain('flags: hwcache_align   ctor: none   aliases: 2');
		expect(frame).toContain('node partial: 4 slabs, 60 objects in use');
		expect(frame).toContain('cpu slabs: 3 (active and cpu partial, over all CPUs)');
		expect(frame).toContain("The slab map and each slab's state need the simulator");
	});

	it('summarises thousands of slabs in a map of at most eight lines', async () => {
		app = renderApp(fakeSimSource({mapSlabs: 5000}), {columns: 100, rows: 80, sortKey: 'n'});
		await app.waitFor(text => text.includes('demo_objects'));
		await app.press(KEYS.enter);
		const frame = await app.waitFor(text => text.includes('Slab map: 5000 slabs'));
		expect(frame).toContain('(5000 slabs: each cell is 7 slabs, shaded by their objects in use)');
	});

	it('Tab shows the memory view with /proc/buddyinfo, then the events newest first', async () => {
		const events = [
			{seq: 1, tick: 100, kind: 'phase' as const, cache: '', text: 'steady: phase churn'},
			{
				seq: 2,
				tick: 200,
				kind: 'debug-report' as const,
				cache: 'kmalloc-64',
				text: 'double free\nObject 0x1000 already free',
			},
		];
		app = renderApp(fakeSimSource({events}), {columns: 120, rows: 60});
		await app.waitFor(text => text.includes('OBJS'));
		await app.press(KEYS.tab);
		let frame = await app.waitFor(text => text.includes('Memory: the page allocator'));
		expect(frame).toContain(
			'Node 0, zone   Normal     12      7      5      3      2      1      0      1      0      2    113',
		);
		expect(frame).toContain('slabs   10000 pages (39.1M, 7.6%)');
		expect(frame).toContain('free    120000 pages (469M, 91.6%)');
		expect(frame).toMatch(/│ 10\s+│ 4\.0M\s+│ 113\s+│ 115712\s+│ 2\.0%/);
		await app.press(KEYS.tab);
		frame = await app.waitFor(text => text.includes('Events, newest first'));
		const lines = frame.split('\n');
		const report = lines.findIndex(line => line.includes('debug-report'));
		const phase = lines.findIndex(line => line.includes('steady: phase churn'));
		expect(report).toBeGreaterThan(0);
		expect(phase).toBeGreaterThan(report);
		expect(lines[report + 1]).toContain('    Object 0x1000 already free');
		await app.press(KEYS.tab);
		await app.waitFor(text => text.includes('Operation trace: every cache'));
		await app.press(KEYS.tab);
		await app.waitFor(text => text.includes('OBJS'));
	});

	it('shows help on ? and goes back on Esc', async () => {
		app = renderApp(fakeSource([[cacheRow('dentry')]]));
		await app.waitFor(text => text.includes('dentry'));
		await app.press('?');
		const frame = await app.waitFor(text => text.includes('Help  (Esc back)'));
		expect(frame).toContain('r                       reverse the sort order');
		expect(frame).toContain('e                       explain a number');
		await app.press(KEYS.escape);
		await app.waitFor(text => text.includes('OBJS'));
	});

	it('runs a command-bar line through the simulator and shows the answer', async () => {
		const sim = fakeSimSource({answer: {ok: true, value: 'allocated object 0'}});
		app = renderApp(sim);
		await app.waitFor(text => text.includes('OBJS'));
		await app.press(':', ...'alloc hello', KEYS.enter);
		await app.waitFor(text => text.includes('allocated object 0'));
		expect(sim.executed).toEqual(['alloc hello']);
		expect(sim.commands).toEqual([{kind: 'demo-alloc', data: 'hello'}]);
	});

	it('refuses the command bar and pause for a file source, saying why', async () => {
		app = renderApp(fakeSource([[cacheRow('dentry')]]));
		await app.waitFor(text => text.includes('dentry'));
		await app.press(':');
		await app.waitFor(text => text.includes('the command bar needs the simulator (--source sim)'));
		await app.press('z');
		await app.waitFor(text => text.includes('pause needs the simulator (--source sim)'));
	});

	it('z pauses and resumes the simulator and the status line says so', async () => {
		const sim = fakeSimSource();
		app = renderApp(sim);
		let frame = await app.waitFor(text => text.includes('running'));
		expect(frame).toContain('steady: churn 2/3 █████░░░░░ 50% (workload 40%)');
		expect(frame).toContain('t=12.34s');
		await app.press('z');
		frame = await app.waitFor(text => text.includes('PAUSED'));
		await app.press('z');
		await app.waitFor(text => text.includes('running'));
		expect(sim.commands).toEqual([{kind: 'pause'}, {kind: 'resume'}]);
	});

	it("z after :pause resumes the simulator: the pause is the source's, not a copy", async () => {
		app = renderApp(simSource());
		await app.waitFor(text => text.includes('running'));
		await app.press(':', ...'pause', KEYS.enter);
		await app.waitFor(text => text.includes('PAUSED'));
		await app.press('z');
		await app.waitFor(text => text.includes('running'));
		await app.press('z');
		await app.waitFor(text => text.includes('PAUSED'));
	});
});
