// Pure parsing of Prometheus HTTP API answers (https://prometheus.io/docs/prometheus/latest/querying/api/):
// `parseApiResponse(who, status, body, expect)` turns one answer into a Vector (instant query)
// or a Matrix (range query), or one line saying what went wrong. Accepted shape:
//
//   {"status": "success", "data": {"resultType": "vector", "result": [{"metric": {…}, "value": [t, "v"]}]}}
//   {"status": "success", "data": {"resultType": "matrix", "result": [{"metric": {…}, "values": [[t, "v"], …]}]}}
//   {"status": "error", "errorType": "bad_data", "error": "…"}          (HTTP 400, 422, 503)
//
// Times are Unix seconds with a fraction; values are strings ("12", "NaN", "+Inf").

import type {Failure, Result} from '../result.js';

export type Labels = Readonly<Record<string, string>>;

export type VectorSample = {metric: Labels; timeMs: number; value: number};
export type Vector = {kind: 'vector'; samples: VectorSample[]};

export type Point = {timeMs: number; value: number};
export type MatrixSeries = {metric: Labels; points: Point[]};
export type Matrix = {kind: 'matrix'; series: MatrixSeries[]};

export type ApiErrorKind = 'unreachable' | 'http' | 'query' | 'malformed' | 'no-data';
export type ApiError = Failure<ApiErrorKind>;
export type ApiResult<T> = Result<T, ApiError>;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A sample value as the API writes it. */
export function parseSampleValue(text: unknown): number | null {
	if (typeof text !== 'string') return null;
	if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
	if (text === '-Inf') return Number.NEGATIVE_INFINITY;
	if (text === 'NaN') return Number.NaN;
	const value = Number(text);
	return text.trim() === '' || Number.isNaN(value) ? null : value;
}

function parseLabels(value: unknown): Labels | null {
	if (!isRecord(value)) return null;
	const labels: Record<string, string> = {};
	for (const [key, label] of Object.entries(value)) {
		if (typeof label !== 'string') return null;
		labels[key] = label;
	}

	return labels;
}

function parsePoint(value: unknown): Point | null {
	if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'number') return null;
	const sample = parseSampleValue(value[1]);
	return sample === null ? null : {timeMs: Math.round(value[0] * 1000), value: sample};
}

function parseVector(result: unknown[]): Vector | null {
	const samples: VectorSample[] = [];
	for (const item of result) {
		if (!isRecord(item)) return null;
		const metric = parseLabels(item.metric);
		const point = parsePoint(item.value);
		if (metric === null || point === null) return null;
		samples.push({metric, timeMs: point.timeMs, value: point.value});
	}

	return {kind: 'vector', samples};
}

function parseMatrix(result: unknown[]): Matrix | null {
	const series: MatrixSeries[] = [];
	for (const item of result) {
		if (!isRecord(item) || !Array.isArray(item.values)) return null;
		const metric = parseLabels(item.metric);
		if (metric === null) return null;
		const points: Point[] = [];
		for (const value of item.values) {
			const point = parsePoint(value);
			if (point === null) return null;
			points.push(point);
		}

		series.push({metric, points});
	}

	return {kind: 'matrix', series};
}

/**
 * One API answer: `who` names the server in messages, `status` is the HTTP status, `expect`
 * the result type the query asks for.
 */
export function parseApiResponse<T extends Vector | Matrix>(
	who: string,
	status: number,
	body: string,
	expect: T['kind'],
): ApiResult<T> {
	let json: unknown;
	try {
		json = JSON.parse(body);
	} catch {
		const what = status === 200 ? 'an answer that is not JSON' : `HTTP ${status}`;
		return {
			ok: false,
			error: {
				kind: status === 200 ? 'malformed' : 'http',
				message: `${who}: ${what} (is this the Prometheus server's URL?)`,
			},
		};
	}

	if (isRecord(json) && json.status === 'error') {
		const type = typeof json.errorType === 'string' ? `${json.errorType}: ` : '';
		const text = typeof json.error === 'string' ? json.error : `HTTP ${status}`;
		return {ok: false, error: {kind: 'query', message: `${who}: query refused (${type}${text.split('\n')[0]})`}};
	}

	if (status !== 200) return {ok: false, error: {kind: 'http', message: `${who}: HTTP ${status}`}};
	const data = isRecord(json) && json.status === 'success' ? json.data : undefined;
	if (!isRecord(data) || !Array.isArray(data.result) || data.resultType !== expect) {
		return {
			ok: false,
			error: {kind: 'malformed', message: `${who}: not a Prometheus API answer (expected a ${expect})`},
		};
	}

	const parsed = expect === 'vector' ? parseVector(data.result) : parseMatrix(data.result);
	if (parsed === null)
		return {ok: false, error: {kind: 'malformed', message: `${who}: malformed ${expect} in the API answer`}};
	return {ok: true, value: parsed as T};
}

const DURATION_UNITS: Record<string, number> = {ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000};

/** A Prometheus duration (`15s`, `1m30s`, `500ms`) in seconds, or null. */
export function parseDuration(text: string): number | null {
	if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(text)) return null;
	let seconds = 0;
	for (const match of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) seconds += Number(match[1]) * DURATION_UNITS[match[2]];
	return seconds;
}

/**
 * GET /api/v1/targets?state=active: each active target's instance label and scrape interval in
 * seconds ({"data": {"activeTargets": [{"labels": {"instance": …}, "scrapeInterval": "15s"}]}}).
 */
export function parseTargets(who: string, status: number, body: string): Result<Map<string, number>, ApiError> {
	let json: unknown;
	try {
		json = JSON.parse(body);
	} catch {
		return {
			ok: false,
			error: {kind: status === 200 ? 'malformed' : 'http', message: `${who}: HTTP ${status}, not the API's JSON`},
		};
	}

	const data = isRecord(json) && json.status === 'success' ? json.data : undefined;
	if (!isRecord(data) || !Array.isArray(data.activeTargets)) {
		return {ok: false, error: {kind: 'malformed', message: `${who}: not a Prometheus targets answer`}};
	}

	const intervals = new Map<string, number>();
	for (const target of data.activeTargets) {
		if (!isRecord(target) || !isRecord(target.labels) || typeof target.scrapeInterval !== 'string') continue;
		const instance = target.labels.instance;
		const seconds = parseDuration(target.scrapeInterval);
		if (typeof instance === 'string' && seconds !== null && !intervals.has(instance)) intervals.set(instance, seconds);
	}

	return {ok: true, value: intervals};
}

/** A PromQL string literal for `text` (double-quoted, backslashes and quotes escaped). */
export function promqlString(text: string): string {
	return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}
