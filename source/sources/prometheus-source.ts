// One host's slab figures from a Prometheus server, as a SlabSource: `createPrometheusSource`
// for `--source prometheus=URL [--instance HOST]`. Also `listHosts(client)` (the hosts that
// have slab series, for the host picker and the fleet view) and `fetchHostSample(client,
// host)` (one sample, for --once).
//
// The HTTP API is asynchronous and SlabSource.sample() is not: the source keeps the last answer
// and sample() returns it; asked again for an answer it has already given, it also starts a new
// query (so each refresh of the screen asks once, and a subscriber's own sample() on an answer
// starts nothing). `refresh()` waits for a fresh answer (the CLI's start-up check) and
// `subscribe` tells the screen when one came.
// Errors are one line each: the server unreachable or refusing the query, no host with slab
// series, the host unknown, its slabinfo collector off or failing.

import type {PrometheusClient} from './prometheus-fetch.js';
import {promqlString, type ApiError, type Point, type Vector} from './prometheus-parse.js';
import {rowsFromSeries} from './prometheus-rows.js';
import {failWith, ok, type Result} from '../result.js';
import type {SampleResult, SlabSource, SourceError, SourceErrorKind} from './source.js';

/** Series that mark a host as having slab figures: node_exporter's or slabtop-ts's own. */
const HOST_METRICS = 'node_slabinfo_objects|slabtop_objects';

export type HostsResult = Result<string[], SourceError>;

/** An API failure as the source's error about the server at `url`. */
export function toSourceError(url: string, error: ApiError): SourceError {
	const kind: SourceErrorKind = error.kind === 'unreachable' || error.kind === 'http' ? 'unreachable' : 'query-error';
	return {kind, file: url, message: error.message};
}

function noData(url: string, message: string): SourceError {
	return {kind: 'no-data', file: url, message: `prometheus ${url}: ${message}`};
}

/** The hosts (instance labels) with slab series, sorted. */
export async function listHosts(client: PrometheusClient): Promise<HostsResult> {
	const answer = await client.query(`count by (instance) ({__name__=~${promqlString(HOST_METRICS)}})`);
	if (!answer.ok) return failWith(toSourceError(client.baseUrl, answer.error));
	const hosts = [...new Set(answer.value.samples.map(sample => sample.metric.instance ?? ''))]
		.filter(host => host !== '')
		.sort();
	if (hosts.length === 0) {
		return failWith(
			noData(
				client.baseUrl,
				'no host has slab series (start node_exporter with --collector.slabinfo, or export slabtop-ts metrics with --export-dir)',
			),
		);
	}

	return ok(hosts);
}

/** Why `host` has no slab series: unknown to the server, collector off, or collector failing. */
async function explainMissing(client: PrometheusClient, host: string): Promise<SourceError> {
	const url = client.baseUrl;
	const instance = `instance=${promqlString(host)}`;
	const collector = await client.query(`node_scrape_collector_success{collector="slabinfo",${instance}}`);
	if (!collector.ok) return toSourceError(url, collector.error);
	if (collector.value.samples.some(sample => sample.value === 0)) {
		return noData(
			url,
			`${host}: node_exporter's slabinfo collector fails (unreadable /proc/slabinfo, or two caches of one name)`,
		);
	}

	const up = await client.query(`up{${instance}}`);
	if (!up.ok) return toSourceError(url, up.error);
	if (up.value.samples.length > 0 && collector.value.samples.length === 0) {
		return noData(url, `${host}: no slab series (its node_exporter runs without --collector.slabinfo)`);
	}

	if (up.value.samples.length > 0 && up.value.samples.every(sample => sample.value === 0)) {
		return noData(url, `${host}: the target is down (Prometheus cannot scrape it)`);
	}

	const hosts = await listHosts(client);
	const known = hosts.ok ? ` (hosts with slab series: ${hosts.value.join(', ')})` : '';
	return noData(url, `no host '${host}'${known}`);
}

/** The window of rate(): four scrapes at the usual 15 s interval. */
export const RATE_WINDOW = '1m';

/** Allocations (or frees) per second of each cache: rate() of the fast and slow path counters. */
function rateQuery(host: string, verb: 'alloc' | 'free'): string {
	const counters = `{__name__=~"slabtop_stat_${verb}_(fastpath|slowpath)_total",instance=${promqlString(host)},bucket=""}`;
	return `sum by (cache, duplicate) (rate(${counters}[${RATE_WINDOW}]))`;
}

function ratesByCache(vector: Vector): Map<string, number> {
	const rates = new Map<string, number>();
	for (const {metric, value} of vector.samples) {
		if (metric.cache !== undefined && Number.isFinite(value))
			rates.set(`${metric.cache}\u0000${metric.duplicate ?? '1'}`, value);
	}

	return rates;
}

/** How far back a row's trend goes (the screen's sparkline: one minute). */
export const TREND_SECONDS = 60;

/** Active objects of every cache of `host`: slabtop-ts's where it has them, else node_exporter's. */
function activeQuery(host: string): string {
	const instance = `instance=${promqlString(host)}`;
	return `slabtop_active_objects{${instance},bucket="",duplicate=""} or on(cache) label_replace(node_slabinfo_active_objects{${instance}}, "cache", "$1", "slab", "(.*)")`;
}

async function fetchTrends(
	client: PrometheusClient,
	host: string,
	endMs: number,
	stepSeconds: number,
): Promise<Map<string, Point[]> | ApiError> {
	const end = endMs / 1000;
	const answer = await client.queryRange(activeQuery(host), {
		start: end - TREND_SECONDS,
		end,
		step: Math.max(1, stepSeconds),
	});
	if (!answer.ok) return answer.error;
	const trends = new Map<string, Point[]>();
	for (const series of answer.value.series) {
		const cache = series.metric.cache;
		if (cache !== undefined && !trends.has(cache))
			trends.set(
				cache,
				series.points.filter(point => Number.isFinite(point.value)),
			);
	}

	return trends;
}

export type HostSampleOptions = {
	version?: number;
	/** Also ask for each cache's last minute of active objects, one point every this many seconds (the screen). */
	trendStepSeconds?: number | null;
};

/**
 * One sample of `host`'s caches, now. Where slabtop-ts's SLUB_STATS counters are there, each
 * row carries its allocation and free rates (PromQL rate() over RATE_WINDOW); with
 * `trendStepSeconds`, each row carries its last minute of active objects (query_range).
 */
export async function fetchHostSample(
	client: PrometheusClient,
	host: string,
	options: HostSampleOptions = {},
): Promise<SampleResult> {
	const version = options.version ?? 1;
	const [answer, allocs, frees] = await Promise.all([
		client.query(`{__name__=~"node_slabinfo_.+|slabtop_.+",instance=${promqlString(host)}}`),
		client.query(rateQuery(host, 'alloc')),
		client.query(rateQuery(host, 'free')),
	]);
	if (!answer.ok) return failWith(toSourceError(client.baseUrl, answer.error));
	if (!allocs.ok) return failWith(toSourceError(client.baseUrl, allocs.error));
	if (!frees.ok) return failWith(toSourceError(client.baseUrl, frees.error));
	const {timeMs, ...found} = rowsFromSeries(answer.value.samples);
	if (found.rows.length === 0) return failWith(await explainMissing(client, host));
	if (found.missing.length > 0) {
		const more = found.missing.length > 1 ? ` and ${found.missing.length - 1} more` : '';
		return failWith(
			noData(
				client.baseUrl,
				`${host}: series missing: ${found.missing[0]}${more} (dropped by a relabelling rule, or a scrape cut short?)`,
			),
		);
	}
	const trendStep = options.trendStepSeconds ?? null;
	const trends = trendStep === null ? new Map<string, Point[]>() : await fetchTrends(client, host, timeMs, trendStep);
	if (!(trends instanceof Map)) return failWith(toSourceError(client.baseUrl, trends));
	const allocRates = ratesByCache(allocs.value);
	const freeRates = ratesByCache(frees.value);
	const seen = new Map<string, number>();
	const rows = found.rows.map(row => {
		const count = (seen.get(row.name) ?? 0) + 1;
		seen.set(row.name, count);
		const key = `${row.name}\u0000${count}`;
		const trend = count === 1 ? trends.get(row.name) : undefined;
		const hasRates = allocRates.has(key) || freeRates.has(key);
		if (!hasRates && trend === undefined) return row;
		return {
			...row,
			...(hasRates ? {rates: {allocPerSec: allocRates.get(key) ?? null, freePerSec: freeRates.get(key) ?? null}} : {}),
			...(trend === undefined ? {} : {trend}),
		};
	});
	return ok({kind: 'prometheus', label: sourceLabel(client.baseUrl, host), version, timeMs, rows});
}

export function sourceLabel(url: string, host: string): string {
	return `${host} via ${url}`;
}

/** `--instance`, or the only host there is; several hosts and none chosen is an error naming them. */
export async function resolveHost(
	client: PrometheusClient,
	instance: string | null,
): Promise<Result<string, SourceError>> {
	if (instance !== null) return ok(instance);
	const listed = await listHosts(client);
	if (!listed.ok) return listed;
	const hosts = listed.value;
	if (hosts.length === 1) return ok(hosts[0]);
	return failWith(
		noData(client.baseUrl, `${hosts.length} hosts have slab series (${hosts.join(', ')}): choose one with --instance`),
	);
}

export type PrometheusSource = SlabSource & {
	readonly client: PrometheusClient;
	/** The host shown. */
	readonly host: string;
	/** Whether the host was chosen (--instance, or the only one): else the screen opens the host picker. */
	readonly isHostChosen: boolean;
	/** The host's scrape interval in seconds, where Prometheus told it: the screen's default delay. */
	readonly scrapeIntervalSeconds: number | null;
	/** Show another host (the picker); the next sample is that host's. */
	setHost(host: string): void;
	/** Query now and wait for the answer. */
	refresh(): Promise<SampleResult>;
	/** Called after every answer (good or not); returns the unsubscribe function. */
	subscribe(listener: () => void): () => void;
};

/** Whether `source` is a live Prometheus source (the screen's, with a host to switch). */
export function isPrometheusSource(source: SlabSource): source is PrometheusSource {
	return source.kind === 'prometheus' && 'setHost' in source && 'client' in source;
}

export type PrometheusSourceOptions = {
	/** See PrometheusSource. */
	isHostChosen?: boolean;
	scrapeIntervalSeconds?: number | null;
};

export function createPrometheusSource(
	client: PrometheusClient,
	host: string,
	options: PrometheusSourceOptions = {},
): PrometheusSource {
	let current = host;
	let version = 0;
	// A point per scrape, at most 30 in the minute.
	const trendStep = Math.max(2, options.scrapeIntervalSeconds ?? 15);
	let latest: SampleResult = failWith(noData(client.baseUrl, 'no answer yet'));
	let inFlight: Promise<SampleResult> | null = null;
	/** sample() has returned `latest` already: the next sample() asks for a new one. */
	let isDelivered = false;
	const listeners = new Set<() => void>();

	const refresh = (): Promise<SampleResult> => {
		if (inFlight !== null) return inFlight;
		const asked = current;
		inFlight = fetchHostSample(client, asked, {version: version + 1, trendStepSeconds: trendStep}).then(result => {
			inFlight = null;
			// A host switch while the query ran: that answer is about the old host.
			if (asked !== current) return refresh();
			if (result.ok) version = result.value.version;
			latest = result;
			isDelivered = false;
			for (const listener of listeners) listener();
			return result;
		});
		return inFlight;
	};

	return {
		kind: 'prometheus',
		get label() {
			return sourceLabel(client.baseUrl, current);
		},
		client,
		isHostChosen: options.isHostChosen ?? true,
		scrapeIntervalSeconds: options.scrapeIntervalSeconds ?? null,
		get host() {
			return current;
		},
		setHost(next) {
			if (next === current) return;
			current = next;
			latest = failWith(noData(client.baseUrl, `${next}: waiting for the first answer`));
			void refresh();
		},
		sample() {
			if (isDelivered) void refresh();
			isDelivered = true;
			return latest;
		},
		refresh,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
	};
}
