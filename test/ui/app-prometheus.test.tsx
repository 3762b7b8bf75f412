// The screen on a Prometheus source whose HTTP API is a fake fetch (two hosts, node_exporter's
// series only): estimates marked, a server that goes down shown in one line while the last
// figures stay and the next refresh asks again, the fleet view and Enter on a host, the host
// picker. The real server is in test/sources/prometheus-real.slow.test.ts.

import {afterEach, describe, expect, it} from 'vitest';
import {createPrometheusClient} from '../../source/sources/prometheus-fetch.js';
import {createPrometheusSource} from '../../source/sources/prometheus-source.js';
import {KEYS, renderApp, type AppHarness} from '../helpers/render-app.js';

type Series = Array<{metric: Record<string, string>; value: [number, string]}>;

const HOSTS: Record<string, {dentry: number; objsPerSlab: number}> = {
	'web-1': {dentry: 23_016, objsPerSlab: 21},
	'db-1': {dentry: 55_713, objsPerSlab: 21},
};

function node(host: string, name: string, value: number): Series[number] {
	return {metric: {__name__: `node_slabinfo_${name}`, instance: host, slab: 'dentry'}, value: [100, String(value)]};
}

/** What the fake Prometheus answers to each query. */
function answer(query: string): Series {
	if (query.startsWith('count by (instance)'))
		return Object.keys(HOSTS).map(host => ({metric: {instance: host}, value: [100, '1']}));
	const host = /^\{__name__=~"node_slabinfo_\.\+\|slabtop_\.\+",instance="([^"]+)"\}$/.exec(query)?.[1];
	if (host !== undefined) {
		const figures = HOSTS[host];
		return [
			node(host, 'objects', figures.dentry),
			node(host, 'active_objects', figures.dentry - 10),
			node(host, 'object_size_bytes', 192),
			node(host, 'objects_per_slab', figures.objsPerSlab),
			node(host, 'pages_per_slab', 1),
		];
	}

	// The fleet view's per-host figures of dentry.
	if (query.startsWith('slabtop_active_objects{cache="dentry"')) {
		return Object.entries(HOSTS).map(([name, figures]) => ({
			metric: {instance: name},
			value: [100, String(figures.dentry - 10)],
		}));
	}

	if (query.startsWith('ceil(node_slabinfo_objects{slab="dentry"}')) {
		return Object.entries(HOSTS).map(([name, figures]) => ({
			metric: {instance: name},
			value: [100, String(Math.ceil(figures.dentry / 21) * 4096)],
		}));
	}

	return [];
}

function fakePrometheus(isDown: () => boolean) {
	const fake = (input: string | URL | Request): Promise<Response> => {
		if (isDown())
			return Promise.reject(new TypeError('fetch failed', {cause: new Error('connect ECONNREFUSED 10.0.0.9:9090')}));
		const url = new URL(input instanceof Request ? input.url : input);
		const result = answer(url.searchParams.get('query') ?? '');
		const data =
			url.pathname === '/api/v1/query_range'
				? {resultType: 'matrix', result: result.map(({metric, value}) => ({metric, values: [value]}))}
				: {resultType: 'vector', result};
		return Promise.resolve(new Response(JSON.stringify({status: 'success', data})));
	};

	return createPrometheusClient('http://p:9090', {fetch: fake});
}

let app: AppHarness | null = null;
afterEach(() => {
	app?.unmount();
	app = null;
});

describe('the screen on a Prometheus source', () => {
	it('marks estimates, shows a server that is down in one line, keeps the figures, and recovers at the next refresh', async () => {
		let isDown = false;
		const source = createPrometheusSource(
			fakePrometheus(() => isDown),
			'web-1',
		);
		await source.refresh();
		app = renderApp(source, {columns: 160});
		let frame = await app.waitFor(text => text.includes('dentry'));
		expect(frame).toContain('web-1 via http://p:9090');
		expect(frame).toMatch(/ 23016 +23006 +99% +0\.19K +~1096 +21 +~4384K dentry/);

		isDown = true;
		await app.press(' ');
		frame = await app.waitFor(text => text.includes('cannot connect'));
		expect(frame).toContain('! prometheus http://p:9090: cannot connect (connect ECONNREFUSED 10.0.0.9:9090)');
		expect(frame).toContain('~4384K dentry');

		isDown = false;
		await app.press(' '); // this refresh shows the failure again and asks anew; its answer clears it
		frame = await app.waitFor(text => !text.includes('cannot connect'));
		expect(frame).toContain('~4384K dentry');
	});

	it("shows every host's figures in the fleet view, and Enter opens the selected host's table", async () => {
		const source = createPrometheusSource(
			fakePrometheus(() => false),
			'web-1',
		);
		await source.refresh();
		app = renderApp(source);
		await app.waitFor(text => text.includes('dentry'));
		await app.press(KEYS.tab);
		const fleet = await app.waitFor(text => text.includes('db-1'));
		expect(fleet).toContain('Fleet: dentry  by size (g)  growth over 5m (w)');
		expect(fleet).toMatch(/db-1 +55703 +~10\.4M/);
		expect(fleet).toMatch(/web-1 +23006 +~4\.3M/);
		await app.press(KEYS.up, KEYS.enter);
		const table = await app.waitFor(text => text.includes('db-1 via'));
		expect(table).toMatch(/ 55713 +55703 +99% +0\.19K +~2653 +21 +~10612K dentry/);
	});

	it("opens a cache's detail view with Enter, and Esc returns to the table", async () => {
		const source = createPrometheusSource(
			fakePrometheus(() => false),
			'web-1',
		);
		await source.refresh();
		app = renderApp(source);
		await app.waitFor(text => text.includes('dentry'));
		await app.press(KEYS.enter);
		const detail = await app.waitFor(text => text.includes('(Esc back)'));
		expect(detail).toContain('dentry');
		await app.press(KEYS.escape);
		await app.waitFor(text => text.includes('OBJS ACTIVE'));
	});

	it('opens the host picker with h, marking the host shown', async () => {
		const source = createPrometheusSource(
			fakePrometheus(() => false),
			'web-1',
		);
		await source.refresh();
		app = renderApp(source);
		await app.waitFor(text => text.includes('dentry'));
		await app.press('h');
		const picker = await app.waitFor(text => text.includes('Hosts with slab series: 2'));
		expect(picker).toContain('  db-1\n* web-1');
	});
});
