// The Prometheus source over a fake fetch that answers each PromQL query from a table (the
// real server is in prometheus-real.slow.test.ts).

import {describe, expect, it} from 'vitest';
import {createPrometheusClient} from '../../source/sources/prometheus-fetch.js';
import {
	createPrometheusSource,
	fetchHostSample,
	listHosts,
	resolveHost,
} from '../../source/sources/prometheus-source.js';

type Answer = Array<{metric: Record<string, string>; value: [number, string]}>;

/** A fetch answering /api/v1/query from `answers` (by exact PromQL); unknown queries get []. */
function fakeFetch(answers: (query: string) => Answer | 'down'): {fetch: typeof fetch; queries: string[]} {
	const queries: string[] = [];
	const fake = (input: string | URL | Request): Promise<Response> => {
		const url = new URL(input instanceof Request ? input.url : input);
		const query = url.searchParams.get('query') ?? '';
		queries.push(query);
		const answer = answers(query);
		if (answer === 'down')
			return Promise.reject(new TypeError('fetch failed', {cause: new Error('connect ECONNREFUSED 127.0.0.1:9')}));
		if (url.pathname === '/api/v1/query_range') {
			// Each instant answer as a range of two points, 10 s apart, ending at the value's time.
			const result = answer.map(({metric, value}) => ({metric, values: [[value[0] - 10, value[1]], value]}));
			return Promise.resolve(
				new Response(JSON.stringify({status: 'success', data: {resultType: 'matrix', result}}), {status: 200}),
			);
		}

		return Promise.resolve(
			new Response(JSON.stringify({status: 'success', data: {resultType: 'vector', result: answer}}), {status: 200}),
		);
	};

	return {fetch: fake, queries};
}

const HOSTS_QUERY = 'count by (instance) ({__name__=~"node_slabinfo_objects|slabtop_objects"})';
const seriesQuery = (host: string) => `{__name__=~"node_slabinfo_.+|slabtop_.+",instance="${host}"}`;

/** node_exporter's five series of one cache: `value` objects, 10 in use, 21 to a slab. */
function objects(host: string, slab: string, value: number): Answer {
	const figures: Record<string, number> = {
		objects: value,
		active_objects: 10,
		object_size_bytes: 192,
		objects_per_slab: 21,
		pages_per_slab: 1,
	};
	return Object.entries(figures).map(([name, figure]) => ({
		metric: {__name__: `node_slabinfo_${name}`, instance: host, slab},
		value: [100, String(figure)],
	}));
}

/** slabtop-ts's series of one cache (exact). */
function own(host: string, cache: string, value: number): Answer {
	const figures: Record<string, number> = {
		objects: value,
		active_objects: 1,
		object_size_bytes: 64,
		objects_per_slab: 64,
		pages_per_slab: 1,
		slabs: 1,
		active_slabs: 1,
	};
	return Object.entries(figures).map(([name, figure]) => ({
		metric: {__name__: `slabtop_${name}`, instance: host, cache},
		value: [100, String(figure)],
	}));
}

function client(answers: (query: string) => Answer | 'down') {
	const fake = fakeFetch(answers);
	return {client: createPrometheusClient('http://prom:9090', {fetch: fake.fetch}), queries: fake.queries};
}

describe('listHosts and resolveHost', () => {
	it('lists the hosts with slab series, sorted', async () => {
		const {client: c} = client(q =>
			q === HOSTS_QUERY
				? [
						{metric: {instance: 'b'}, value: [1, '3']},
						{metric: {instance: 'a'}, value: [1, '2']},
					]
				: [],
		);
		expect(await listHosts(c)).toEqual({ok: true, value: ['a', 'b']});
		expect(await resolveHost(c, null)).toEqual({
			ok: false,
			error: {
				kind: 'no-data',
				file: 'http://prom:9090',
				message: 'prometheus http://prom:9090: 2 hosts have slab series (a, b): choose one with --instance',
			},
		});
		expect(await resolveHost(c, 'b')).toEqual({ok: true, value: 'b'});
	});

	it('says how to turn the collector on when no host has slab series', async () => {
		const {client: c} = client(() => []);
		const listed = await listHosts(c);
		expect(listed.ok ? null : listed.error.message).toBe(
			'prometheus http://prom:9090: no host has slab series (start node_exporter with --collector.slabinfo, or export slabtop-ts metrics with --export-dir)',
		);
	});

	it('gives one line when the server is down', async () => {
		const {client: c} = client(() => 'down');
		const listed = await listHosts(c);
		expect(listed.ok ? null : listed.error).toEqual({
			kind: 'unreachable',
			file: 'http://prom:9090',
			message: 'prometheus http://prom:9090: cannot connect (connect ECONNREFUSED 127.0.0.1:9)',
		});
	});
});

describe('fetchHostSample', () => {
	it('says the slabinfo collector fails on a host whose scrape of it fails', async () => {
		const {client: c} = client(q =>
			q === 'node_scrape_collector_success{collector="slabinfo",instance="h"}'
				? [{metric: {instance: 'h'}, value: [1, '0']}]
				: [],
		);
		const result = await fetchHostSample(c, 'h');
		expect(result.ok ? null : result.error.message).toBe(
			"prometheus http://prom:9090: h: node_exporter's slabinfo collector fails (unreadable /proc/slabinfo, or two caches of one name)",
		);
	});

	it('gives a prometheus sample labelled with the host and the server', async () => {
		const {client: c} = client(q => (q === seriesQuery('h') ? [...objects('h', 'dentry', 42)] : []));
		const result = await fetchHostSample(c, 'h');
		expect(result.ok && result.value).toMatchObject({
			kind: 'prometheus',
			label: 'h via http://prom:9090',
			timeMs: 100_000,
		});
		expect(result.ok && result.value.rows.map(row => [row.name, row.numObjs])).toEqual([['dentry', 42]]);
	});
});

describe('fetchHostSample with a series missing', () => {
	it('names the series in one line rather than show a wrong figure', async () => {
		const {client: c} = client(q =>
			q === seriesQuery('h')
				? objects('h', 'dentry', 42).filter(s => s.metric.__name__ !== 'node_slabinfo_pages_per_slab')
				: [],
		);
		const result = await fetchHostSample(c, 'h');
		expect(result.ok ? null : result.error.message).toBe(
			'prometheus http://prom:9090: h: series missing: node_slabinfo_pages_per_slab{slab="dentry"} (dropped by a relabelling rule, or a scrape cut short?)',
		);
	});
});

describe('fetchHostSample rates', () => {
	it('gives each cache the PromQL rate() of its alloc and free counters', async () => {
		const {client: c, queries} = client(q => {
			if (q === seriesQuery('h')) return [...own('h', 'dentry', 5), ...objects('h', 'inode_cache', 3)];
			if (q.includes('slabtop_stat_alloc_')) return [{metric: {cache: 'dentry'}, value: [1, '12.5']}];
			if (q.includes('slabtop_stat_free_')) return [{metric: {cache: 'dentry'}, value: [1, '2']}];
			return [];
		});
		const result = await fetchHostSample(c, 'h');
		expect(result.ok && result.value.rows.map(row => [row.name, row.rates])).toEqual([
			['dentry', {allocPerSec: 12.5, freePerSec: 2}],
			['inode_cache', undefined],
		]);
		expect(queries).toContain(
			'sum by (cache, duplicate) (rate({__name__=~"slabtop_stat_alloc_(fastpath|slowpath)_total",instance="h",bucket=""}[1m]))',
		);
	});
});

describe('createPrometheusSource', () => {
	it('returns the last answer from sample() and tells subscribers when a new one comes', async () => {
		let value = 1;
		const {client: c, queries} = client(q => (q === seriesQuery('h') ? [...objects('h', 'dentry', value)] : []));
		const source = createPrometheusSource(c, 'h');
		let updates = 0;
		source.subscribe(() => updates++);
		const first = await source.refresh();
		expect(first.ok && first.value.rows[0].numObjs).toBe(1);
		value = 2;
		const given = source.sample(); // the answer, given for the first time: no new query
		expect(given.ok && given.value.rows[0].numObjs).toBe(1);
		expect(queries).toHaveLength(4); // the series, the two rates and the trends
		const again = source.sample(); // given before: returned again, and a new query starts
		expect(again.ok && again.value.rows[0].numObjs).toBe(1);
		expect(queries.length).toBeGreaterThan(4); // a new query started
		await source.refresh();
		const later = source.sample();
		expect(later.ok && later.value.rows[0].numObjs).toBe(2);
		expect(later.ok && later.value.version).toBe(2);
		expect(updates).toBe(2);
	});

	it('gives each row its last minute of active objects from a range query, for the sparkline', async () => {
		const {client: c} = client(q => {
			if (q === seriesQuery('h')) return [...objects('h', 'dentry', 9)];
			if (q.startsWith('slabtop_active_objects{instance="h"')) return [{metric: {cache: 'dentry'}, value: [100, '7']}];
			return [];
		});
		const result = await createPrometheusSource(c, 'h').refresh();
		expect(result.ok && result.value.rows[0].trend).toEqual([
			{timeMs: 90_000, value: 7},
			{timeMs: 100_000, value: 7},
		]);
	});

	it('switches host: the answer about the old host is dropped', async () => {
		const {client: c} = client(q => {
			if (q === seriesQuery('a')) return [...objects('a', 'from-a', 1)];
			if (q === seriesQuery('b')) return [...objects('b', 'from-b', 1)];
			return [];
		});
		const source = createPrometheusSource(c, 'a');
		const pending = source.refresh();
		source.setHost('b');
		const result = await pending;
		expect(result.ok && result.value.rows[0].name).toBe('from-b');
		expect(source.label).toBe('b via http://prom:9090');
	});
});
