import {describe, expect, it} from 'vitest';
import {
	parseApiResponse,
	parseDuration,
	parseSampleValue,
	parseTargets,
	promqlString,
	type Matrix,
	type Vector,
} from '../../source/sources/prometheus-parse.js';

const WHO = 'prometheus http://h:9090';

describe('parseApiResponse', () => {
	it('reads an instant vector: labels, time in milliseconds, values as numbers', () => {
		const body = JSON.stringify({
			status: 'success',
			data: {
				resultType: 'vector',
				result: [{metric: {__name__: 'node_slabinfo_objects', slab: 'dentry'}, value: [1700000000.5, '126']}],
			},
		});
		expect(parseApiResponse<Vector>(WHO, 200, body, 'vector')).toEqual({
			ok: true,
			value: {
				kind: 'vector',
				samples: [{metric: {__name__: 'node_slabinfo_objects', slab: 'dentry'}, timeMs: 1_700_000_000_500, value: 126}],
			},
		});
	});

	it('reads a range matrix', () => {
		const body = JSON.stringify({
			status: 'success',
			data: {
				resultType: 'matrix',
				result: [
					{
						metric: {instance: 'a'},
						values: [
							[10, '1'],
							[11, '2.5'],
						],
					},
				],
			},
		});
		expect(parseApiResponse<Matrix>(WHO, 200, body, 'matrix')).toEqual({
			ok: true,
			value: {
				kind: 'matrix',
				series: [
					{
						metric: {instance: 'a'},
						points: [
							{timeMs: 10_000, value: 1},
							{timeMs: 11_000, value: 2.5},
						],
					},
				],
			},
		});
	});

	it("gives the server's error for a refused query, on one line", () => {
		const body = JSON.stringify({
			status: 'error',
			errorType: 'bad_data',
			error: '1:5: parse error: unexpected "}"\nmore',
		});
		expect(parseApiResponse<Vector>(WHO, 400, body, 'vector')).toEqual({
			ok: false,
			error: {kind: 'query', message: `${WHO}: query refused (bad_data: 1:5: parse error: unexpected "}")`},
		});
	});

	it("says what is wrong with an answer that is not the API's", () => {
		expect(parseApiResponse<Vector>(WHO, 200, '<html>', 'vector')).toEqual({
			ok: false,
			error: {kind: 'malformed', message: `${WHO}: an answer that is not JSON (is this the Prometheus server's URL?)`},
		});
		expect(parseApiResponse<Vector>(WHO, 404, '404 page not found', 'vector').ok).toBe(false);
		const matrix = JSON.stringify({status: 'success', data: {resultType: 'matrix', result: []}});
		expect(parseApiResponse<Vector>(WHO, 200, matrix, 'vector')).toEqual({
			ok: false,
			error: {kind: 'malformed', message: `${WHO}: not a Prometheus API answer (expected a vector)`},
		});
		const badValue = JSON.stringify({
			status: 'success',
			data: {resultType: 'vector', result: [{metric: {}, value: [1, 'x']}]},
		});
		expect(parseApiResponse<Vector>(WHO, 200, badValue, 'vector')).toEqual({
			ok: false,
			error: {kind: 'malformed', message: `${WHO}: malformed vector in the API answer`},
		});
	});
});

describe('parseSampleValue and promqlString', () => {
	it("reads the API's special values", () => {
		expect(parseSampleValue('+Inf')).toBe(Number.POSITIVE_INFINITY);
		expect(parseSampleValue('-Inf')).toBe(Number.NEGATIVE_INFINITY);
		expect(parseSampleValue('NaN')).toBeNaN();
		expect(parseSampleValue('1e3')).toBe(1000);
		expect(parseSampleValue('')).toBeNull();
		expect(parseSampleValue(5)).toBeNull();
	});

	it('quotes label values for PromQL', () => {
		expect(promqlString('a"b\\c')).toBe('"a\\"b\\\\c"');
	});
});

describe('parseDuration and parseTargets', () => {
	it('reads Prometheus durations', () => {
		expect(parseDuration('15s')).toBe(15);
		expect(parseDuration('1m30s')).toBe(90);
		expect(parseDuration('500ms')).toBe(0.5);
		expect(parseDuration('1h')).toBe(3600);
		expect(parseDuration('15')).toBeNull();
		expect(parseDuration('')).toBeNull();
	});

	it("gives each active target's scrape interval by instance", () => {
		const body = JSON.stringify({
			status: 'success',
			data: {
				activeTargets: [
					{labels: {instance: 'web-1', job: 'node'}, scrapeInterval: '15s'},
					{labels: {instance: 'db-1', job: 'node'}, scrapeInterval: '1m'},
					{labels: {job: 'other'}, scrapeInterval: '5s'},
				],
			},
		});
		expect(parseTargets(WHO, 200, body)).toEqual({
			ok: true,
			value: new Map([
				['web-1', 15],
				['db-1', 60],
			]),
		});
		expect(parseTargets(WHO, 200, '{}').ok).toBe(false);
	});
});
