import {describe, expect, it} from 'vitest';
import type {Vector} from '../../source/sources/prometheus-parse.js';
import {buildFleet, fleetQueries, orderHosts, windowText} from '../../source/sources/prometheus-fleet.js';

function vector(entries: Array<[Record<string, string>, number]>): Vector {
	return {kind: 'vector', samples: entries.map(([metric, value]) => ({metric, timeMs: 0, value}))};
}

const empty = vector([]);

describe('buildFleet', () => {
	it("prefers a host's exact bytes, marks estimates, and orders hosts largest first", () => {
		const fleet = buildFleet('dentry', 300, {
			activeObjs: vector([
				[{instance: 'a'}, 10],
				[{instance: 'b'}, 20],
			]),
			numObjs: vector([
				[{instance: 'a'}, 21],
				[{instance: 'b'}, 42],
			]),
			exactBytes: vector([[{instance: 'a'}, 8192]]),
			estimatedBytes: vector([
				[{instance: 'a'}, 4096],
				[{instance: 'b'}, 8192],
			]),
			growth: vector([[{instance: 'b'}, 1.5]]),
			largest: vector([
				[{cache: 'x'}, 5],
				[{cache: 'y'}, 9],
			]),
			growing: empty,
		});
		expect(fleet.hosts).toEqual([
			{host: 'a', activeObjs: 10, numObjs: 21, cacheBytes: 8192, isEstimate: false, growthPerSec: null},
			{host: 'b', activeObjs: 20, numObjs: 42, cacheBytes: 8192, isEstimate: true, growthPerSec: 1.5},
		]);
		expect(fleet.largest).toEqual([
			{cache: 'y', value: 9},
			{cache: 'x', value: 5},
		]);
		expect(orderHosts(fleet.hosts, 'growth').map(host => host.host)).toEqual(['b', 'a']);
	});
});

describe('fleetQueries and windowText', () => {
	it('quotes the cache name and writes the window as PromQL does', () => {
		const queries = fleetQueries('a"b', 900, {pageSize: 4096, top: 5});
		expect(queries.activeObjs).toBe(
			'slabtop_active_objects{cache="a\\"b",duplicate=""} or on(instance) node_slabinfo_active_objects{slab="a\\"b"}',
		);
		expect(queries.growth).toContain('[15m]');
		expect(queries.largest.startsWith('topk(5, sum by (cache) (')).toBe(true);
		expect(queries.estimatedBytes).toMatch(/\* 4096$/);
		expect([windowText(300), windowText(3600), windowText(21_600), windowText(90)]).toEqual(['5m', '1h', '6h', '90s']);
	});
});
