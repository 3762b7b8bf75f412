// The fleet view's figures from Prometheus: `fetchFleet(client, cache, windowSeconds)` gives,
// for one cache, every host's objects, active objects, cache bytes and growth (PromQL deriv()
// of active objects over the window, per second), largest first; and across the fleet the
// caches holding the most memory and the caches growing fastest (topk of their sums over hosts).
//
// A host's exact figures come from slabtop-ts's own series (slabtop_*); hosts with only
// node_exporter's slabinfo collector get the estimate ceil(objects / objects per slab) × pages
// per slab × page size (prometheus-rows.ts says why), marked as such. PromQL's `or on(instance)`
// (`on(instance, cache)` for the fleet sums) keeps a host's exact series and adds the estimate
// only for hosts without one.

import {failWith, ok, type Result} from '../result.js';
import type {PrometheusClient} from './prometheus-fetch.js';
import {promqlString, type Vector} from './prometheus-parse.js';
import {toSourceError} from './prometheus-source.js';
import type {SourceError} from './source.js';

/** The windows the fleet view offers for growth, in seconds (5 min, 15 min, 1 h, 6 h). */
/** The fleet view's growth windows, seconds: 5 min, 15 min, 1 h, 6 h. */
export const FLEET_WINDOWS: readonly number[] = [300, 900, 3600, 21_600];
export const FLEET_TOP = 10;

export type FleetHost = {
	host: string;
	activeObjs: number | null;
	numObjs: number | null;
	cacheBytes: number | null;
	/** cacheBytes is an estimate (the host has node_exporter's series only). */
	isEstimate: boolean;
	/** Active objects per second over the window (deriv), null without enough points. */
	growthPerSec: number | null;
};

export type FleetCache = {cache: string; value: number};

export type Fleet = {
	cache: string;
	windowSeconds: number;
	/** Largest cache bytes first; hosts without a figure last, by name. */
	hosts: FleetHost[];
	/** Fleet-wide: the caches holding the most bytes (sum over hosts), largest first. */
	largest: FleetCache[];
	/** Fleet-wide: the caches whose active objects grow fastest (sum of deriv over hosts), fastest first. */
	growing: FleetCache[];
};

/** How the fleet view orders hosts: largest cache first, or fastest-growing first. */
export type FleetOrder = 'size' | 'growth';

/** `hosts` in `order`; hosts without the figure last, ties by name. */
export function orderHosts(hosts: readonly FleetHost[], order: FleetOrder): FleetHost[] {
	const figure = (host: FleetHost): number =>
		(order === 'size' ? host.cacheBytes : host.growthPerSec) ?? Number.NEGATIVE_INFINITY;
	return [...hosts].sort((a, b) => figure(b) - figure(a) || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}

/** A window as PromQL writes a duration: 300 → `5m`, 3600 → `1h`, 90 → `90s`. */
export function windowText(seconds: number): string {
	if (seconds % 3600 === 0) return `${seconds / 3600}h`;
	if (seconds % 60 === 0) return `${seconds / 60}m`;
	return `${seconds}s`;
}

export type FleetOptions = {
	/** Bytes per page, for node_exporter's pages per slab (the report's PAGE_SIZE, as procps uses the page size). */
	pageSize: number;
	/** Caches in each fleet-wide list (default FLEET_TOP). */
	top?: number;
};

/** The PromQL the fleet view runs, by name (the README's cheat sheet shows the same queries). */
export function fleetQueries(
	cache: string,
	windowSeconds: number,
	options: FleetOptions,
): Record<keyof FleetAnswers, string> {
	const top = options.top ?? FLEET_TOP;
	const NODE_BYTES = (matcher: string) =>
		`ceil(node_slabinfo_objects${matcher} / node_slabinfo_objects_per_slab${matcher}) * node_slabinfo_pages_per_slab${matcher} * ${options.pageSize}`;
	const own = `{cache=${promqlString(cache)},duplicate=""}`;
	const node = `{slab=${promqlString(cache)}}`;
	const range = `[${windowText(windowSeconds)}]`;
	const asCache = (expr: string) => `label_replace(${expr}, "cache", "$1", "slab", "(.*)")`;
	return {
		activeObjs: `slabtop_active_objects${own} or on(instance) node_slabinfo_active_objects${node}`,
		numObjs: `slabtop_objects${own} or on(instance) node_slabinfo_objects${node}`,
		exactBytes: `slabtop_cache_bytes${own}`,
		estimatedBytes: NODE_BYTES(node),
		growth: `deriv(slabtop_active_objects${own}${range}) or on(instance) deriv(node_slabinfo_active_objects${node}${range})`,
		largest: `topk(${top}, sum by (cache) (slabtop_cache_bytes{bucket="",duplicate=""} or on(instance, cache) ${asCache(NODE_BYTES(''))}))`,
		growing: `topk(${top}, sum by (cache) (deriv(slabtop_active_objects{bucket="",duplicate=""}${range}) or on(instance, cache) ${asCache(
			`deriv(node_slabinfo_active_objects${range})`,
		)}))`,
	};
}

type FleetAnswers = {
	activeObjs: Vector;
	numObjs: Vector;
	exactBytes: Vector;
	estimatedBytes: Vector;
	growth: Vector;
	largest: Vector;
	growing: Vector;
};

function byInstance(vector: Vector): Map<string, number> {
	const values = new Map<string, number>();
	for (const sample of vector.samples) {
		const host = sample.metric.instance;
		if (host !== undefined && Number.isFinite(sample.value) && !values.has(host)) values.set(host, sample.value);
	}

	return values;
}

function topList(vector: Vector): FleetCache[] {
	return vector.samples
		.filter(sample => sample.metric.cache !== undefined && Number.isFinite(sample.value))
		.map(sample => ({cache: sample.metric.cache ?? '', value: sample.value}))
		.sort((a, b) => b.value - a.value || (a.cache < b.cache ? -1 : a.cache > b.cache ? 1 : 0));
}

/** Combines the answers (pure; exported for tests). */
export function buildFleet(cache: string, windowSeconds: number, answers: FleetAnswers): Fleet {
	const active = byInstance(answers.activeObjs);
	const objects = byInstance(answers.numObjs);
	const exact = byInstance(answers.exactBytes);
	const estimated = byInstance(answers.estimatedBytes);
	const growth = byInstance(answers.growth);
	const names = new Set([...active.keys(), ...objects.keys(), ...exact.keys(), ...estimated.keys()]);
	const hosts: FleetHost[] = [...names].map(host => ({
		host,
		activeObjs: active.get(host) ?? null,
		numObjs: objects.get(host) ?? null,
		cacheBytes: exact.get(host) ?? estimated.get(host) ?? null,
		isEstimate: !exact.has(host) && estimated.has(host),
		growthPerSec: growth.get(host) ?? null,
	}));
	return {
		cache,
		windowSeconds,
		hosts: orderHosts(hosts, 'size'),
		largest: topList(answers.largest),
		growing: topList(answers.growing),
	};
}

/** Runs the fleet queries at once; the first failure is the answer. */
export async function fetchFleet(
	client: PrometheusClient,
	cache: string,
	windowSeconds: number,
	options: FleetOptions,
): Promise<Result<Fleet, SourceError>> {
	const queries = fleetQueries(cache, windowSeconds, options);
	const keys = Object.keys(queries) as Array<keyof FleetAnswers>;
	const results = await Promise.all(keys.map(key => client.query(queries[key])));
	const answers: Partial<FleetAnswers> = {};
	for (const [index, key] of keys.entries()) {
		const result = results[index];
		if (!result.ok) return failWith(toSourceError(client.baseUrl, result.error));
		answers[key] = result.value;
	}

	return ok(buildFleet(cache, windowSeconds, answers as FleetAnswers));
}
