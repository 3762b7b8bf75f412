// The screen over a kernel source: what it asks /sys/kernel/slab and /proc for (the rows on
// screen, the list files the shown columns need, the detail view's cache, buddyinfo for the
// memory view), and the memory view drawn from /proc/buddyinfo. The source is a fake that
// records each request and answers with fixed rows.

import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {createFileSource} from '../../source/sources/file-source.js';
import type {KernelSource, KernelSysfsRequest} from '../../source/sources/kernel-source.js';
import type {KernelInfo, SampleResult} from '../../source/sources/source.js';
import {manyRows} from '../helpers/fake-sources.js';
import {KEYS, renderApp, type AppHarness} from '../helpers/render-app.js';

let app: AppHarness | null = null;
afterEach(() => {
	app?.unmount();
	app = null;
});

function fakeKernel(): KernelSource & {requests: KernelSysfsRequest[]} {
	const rows = manyRows(60).map(row => ({...row, sysfs: {order: 1, object_size: row.objSize, partial: 2}}));
	const requests: KernelSysfsRequest[] = [];
	let version = 0;
	let request: KernelSysfsRequest | null = null;
	return {
		kind: 'kernel',
		label: '/proc/slabinfo',
		requests,
		setSysfsRequest(next) {
			request = next;
			requests.push(next);
		},
		sample(): SampleResult {
			version++;
			const kernel: KernelInfo = {
				release: '6.18.44',
				hasSheaves: false,
				hasSlubStats: false,
				sysfsFilesRead: 0,
				buddyinfo: request?.buddyinfo === true ? [{node: 0, zone: 'Normal', freeBlocks: [8, 4, 2, 1]}] : null,
				buddyinfoError: null,
			};
			return {
				ok: true,
				value: {kind: 'kernel', label: '/proc/slabinfo', version, timeMs: version * 1000, rows, kernel},
			};
		},
	};
}

describe('the screen over a kernel source', () => {
	it('asks for the rows on screen and the list files of the shown columns only', async () => {
		const source = fakeKernel();
		app = renderApp(source, {columns: 120, rows: 30});
		await app.waitFor(text => text.includes('cache-'));
		const last = () => source.requests.at(-1);
		await app.waitFor(() => last() !== undefined);
		// 30 rows: 6 header lines, the table heading, the footer, the line Ink keeps free: 21 rows.
		const request = last()!;
		expect(request).toMatchObject({listFiles: ['partial'], detail: null, buddyinfo: false});
		expect(request.names).toHaveLength(21);
		await app.press(KEYS.pageDown);
		await app.waitFor(
			() => last()?.names !== request.names && (last()?.names as string[])[0] !== (request.names as string[])[0],
		);
		await app.press(KEYS.enter);
		await app.waitFor(() => typeof last()?.detail === 'string');
		await app.press(KEYS.escape);
		await app.press(KEYS.tab);
		const memory = await app.waitFor(text => text.includes('/proc/buddyinfo'));
		expect(last()).toMatchObject({names: [], listFiles: [], detail: null, buddyinfo: true});
		expect(memory).toContain('Node 0, zone   Normal      8      4      2      1');
		expect(memory).toContain('Node 0 Normal: 32 free pages');
	});

	it('a sysfs sort column asks for every cache; hiding the sysfs columns stops the list files', async () => {
		const source = fakeKernel();
		app = renderApp(source, {columns: 120, rows: 30});
		await app.waitFor(text => text.includes('cache-'));
		await app.press('C');
		await app.waitFor(text => text.includes('Columns  (↑ ↓ move'));
		await app.press(KEYS.down, KEYS.down, 's'); // ORDER
		await app.waitFor(() => source.requests.at(-1)?.names === 'all');
		await app.press(KEYS.up, KEYS.up, ' ', KEYS.escape); // hide PARTIAL, close
		const frame = await app.waitFor(text => text.includes('sort ORDER↓'));
		expect(frame).toMatch(/ ORDER\s+OBJS\/s\s+KB\/s/);
		expect(frame).toContain('columns chosen for this run (no settings file)');
		expect(source.requests.at(-1)).toMatchObject({names: 'all', listFiles: []});
	});
});

describe('cache names from a file with control characters and invalid UTF-8', () => {
	it('are shown harmlessly: control characters as \\xNN, invalid bytes as U+FFFD', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'names-')), 'slabinfo');
		const line = (name: string) => `${name} 1 2 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n`;
		writeFileSync(
			file,
			Buffer.from(`slabinfo - version: 2.1\n${line('esc\x1b[31mred')}${line('bad\xffbyte')}`, 'latin1'),
		);
		app = renderApp(createFileSource(file), {sortKey: 'n'});
		const frame = await app.waitFor(text => text.includes('esc'));
		expect(frame).toContain('esc\\x1b[31mred');
		expect(frame).toContain('bad\ufffdbyte');
		expect(frame).not.toContain(`${String.fromCharCode(27)}[31mred`);
	});
});
