// The Prometheus HTTP API client: `createPrometheusClient(baseUrl)` gives `query(promql)`
// (GET /api/v1/query, an instant vector) and `queryRange(promql, range)` (GET
// /api/v1/query_range, a matrix). This is the only file that talks to the network; what the
// answers mean is prometheus-parse.ts's job. Every failure is a value with one line for the
// user: the server unreachable, an HTTP error, a query the server refused (its errorType and
// error), an answer that is not the API's JSON.

import {parseApiResponse, parseTargets, type ApiResult, type Matrix, type Vector} from './prometheus-parse.js';

export type RangeSpec = {
	/** Unix seconds. */
	start: number;
	end: number;
	/** Seconds between points. */
	step: number;
};

export type PrometheusClient = {
	readonly baseUrl: string;
	query(promql: string): Promise<ApiResult<Vector>>;
	queryRange(promql: string, range: RangeSpec): Promise<ApiResult<Matrix>>;
	/** Each active target's scrape interval in seconds, by instance label. */
	scrapeIntervals(): Promise<ApiResult<Map<string, number>>>;
};

export type ClientOptions = {
	/** Milliseconds before a request is given up (default 10 s). */
	timeoutMs?: number;
	/** The fetch implementation (tests inject one); the global fetch by default. */
	fetch?: typeof fetch;
};

const DEFAULT_TIMEOUT_MS = 10_000;

/** Why fetch failed, from its cause chain (`connect ECONNREFUSED 127.0.0.1:9090`). */
function networkReason(error: unknown): string {
	if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
	let current: unknown = error;
	let reason = error instanceof Error ? error.message : String(error);
	for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
		reason = current.message;
		current = (current as Error & {cause?: unknown}).cause;
	}

	return reason;
}

export function createPrometheusClient(baseUrl: string, options: ClientOptions = {}): PrometheusClient {
	const doFetch = options.fetch ?? fetch;
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const who = `prometheus ${baseUrl}`;

	/** One GET: the HTTP status and body, or the network failure. */
	async function request(
		path: string,
		params: Record<string, string>,
	): Promise<ApiResult<{status: number; body: string}>> {
		const url = `${baseUrl}${path}?${new URLSearchParams(params).toString()}`;
		try {
			const response = await doFetch(url, {
				signal: AbortSignal.timeout(timeoutMs),
				headers: {accept: 'application/json'},
			});
			return {ok: true, value: {status: response.status, body: await response.text()}};
		} catch (error) {
			return {ok: false, error: {kind: 'unreachable', message: `${who}: cannot connect (${networkReason(error)})`}};
		}
	}

	async function get<T extends Vector | Matrix>(
		path: string,
		params: Record<string, string>,
		expect: T['kind'],
	): Promise<ApiResult<T>> {
		const answer = await request(path, params);
		return answer.ok ? parseApiResponse<T>(who, answer.value.status, answer.value.body, expect) : answer;
	}

	return {
		baseUrl,
		query: promql => get<Vector>('/api/v1/query', {query: promql}, 'vector'),
		queryRange: (promql, range) =>
			get<Matrix>(
				'/api/v1/query_range',
				{query: promql, start: String(range.start), end: String(range.end), step: String(range.step)},
				'matrix',
			),
		async scrapeIntervals() {
			const answer = await request('/api/v1/targets', {state: 'active'});
			return answer.ok ? parseTargets(who, answer.value.status, answer.value.body) : answer;
		},
	};
}
