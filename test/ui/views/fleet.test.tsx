// The fleet view and the host picker with fixed props: figures as the real stack answered them
// in prometheus-real.slow.test.ts (alpha: real-1.txt, beta: real-2.txt through node_exporter;
// gamma: slabtop-ts's export of the simulator, exact).

import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import type {Fleet} from '../../../source/sources/prometheus-fleet.js';
import {FleetView, growthText} from '../../../source/ui/views/fleet.js';
import {HostPicker} from '../../../source/ui/views/host-picker.js';

const fleet: Fleet = {
	cache: 'dentry',
	windowSeconds: 300,
	hosts: [
		{host: 'beta', activeObjs: 55_713, numObjs: 55_713, cacheBytes: 2653 * 4096, isEstimate: true, growthPerSec: 0},
		{
			host: 'alpha',
			activeObjs: 22_990,
			numObjs: 23_016,
			cacheBytes: 1096 * 4096,
			isEstimate: true,
			growthPerSec: 12.25,
		},
		{
			host: 'gamma',
			activeObjs: 21_600,
			numObjs: 27_510,
			cacheBytes: 1310 * 4096,
			isEstimate: false,
			growthPerSec: -0.5,
		},
	],
	largest: [
		{cache: 'dentry', value: 5059 * 4096},
		{cache: 'inode_cache', value: 3_000_000},
	],
	growing: [{cache: 'kmalloc-64', value: 3.125}],
};

const trim = (frame: string | undefined) => (frame ?? '').replace(/ +$/gm, '');

describe('FleetView', () => {
	it("lists every host largest first, marks estimates, and the fleet's largest and fastest-growing caches", () => {
		const {lastFrame} = render(
			<FleetView
				cache="dentry"
				windowSeconds={300}
				order="size"
				fleet={fleet}
				error={null}
				selectedHost="alpha"
				width={80}
				height={20}
			/>,
		);
		expect(trim(lastFrame())).toBe(
			[
				"Fleet: dentry  by size (g)  growth over 5m (w)  Enter: that host's table",
				'HOST                                      ACTIVE      OBJS CACHE SIZE     GROWTH',
				'beta                                       55713     55713     ~10.4M        0/s',
				'gamma                                      21600     27510       5.1M     -0.5/s',
				'alpha                                      22990     23016      ~4.3M    +12.3/s',
				'~ estimate: node_exporter gives no slab count (slabs ≈ objects ÷ objs/slab)',
				'Largest caches across the fleet',
				'  dentry                            19.8M',
				'  inode_cache                        2.9M',
				'Growing fastest across the fleet (5m)',
				'  kmalloc-64                       +3.1/s',
			].join('\n'),
		);
	});

	it('orders the hosts by growth when asked', () => {
		const {lastFrame} = render(
			<FleetView
				cache="dentry"
				windowSeconds={300}
				order="growth"
				fleet={fleet}
				error={null}
				selectedHost={null}
				width={80}
				height={20}
			/>,
		);
		const lines = trim(lastFrame()).split('\n');
		expect(lines[0]).toBe("Fleet: dentry  by growth (g)  growth over 5m (w)  Enter: that host's table");
		expect(lines.slice(2, 5).map(line => line.split(' ')[0])).toEqual(['alpha', 'beta', 'gamma']);
	});

	it('fits a short body: every host row stays, the fleet-wide lists get shorter, and caches at rest are not listed as growing', () => {
		const atRest: Fleet = {...fleet, growing: [{cache: 'kmalloc-64', value: 0}]};
		const {lastFrame} = render(
			<FleetView
				cache="dentry"
				windowSeconds={300}
				order="size"
				fleet={atRest}
				error={null}
				selectedHost={null}
				width={80}
				height={10}
			/>,
		);
		const lines = trim(lastFrame()).split('\n');
		expect(lines).toHaveLength(10);
		expect(lines.slice(2, 5).map(line => line.split(' ')[0])).toEqual(['beta', 'gamma', 'alpha']);
		expect(lines.slice(6)).toEqual([
			'Largest caches across the fleet',
			'  dentry                            19.8M',
			'Growing fastest across the fleet (5m)',
			'  (none)',
		]);
	});

	it("shows the query's error and keeps the last figures", () => {
		const {lastFrame} = render(
			<FleetView
				cache="dentry"
				windowSeconds={3600}
				order="size"
				fleet={fleet}
				error="prometheus http://p:9090: cannot connect (connect ECONNREFUSED)"
				selectedHost={null}
				width={80}
				height={20}
			/>,
		);
		const lines = trim(lastFrame()).split('\n');
		expect(lines[0]).toContain('growth over 1h (w)');
		expect(lines[1]).toBe('prometheus http://p:9090: cannot connect (connect ECONNREFUSED)');
		expect(lines[3]).toMatch(/^beta/);
	});

	it('says so when no host has the cache, and shows nothing stale for another cache', () => {
		const {lastFrame} = render(
			<FleetView
				cache="ext4_inode_cache"
				windowSeconds={300}
				order="size"
				fleet={fleet}
				error={null}
				selectedHost={null}
				width={80}
				height={20}
			/>,
		);
		expect(trim(lastFrame()).split('\n')[1]).toBe('No host has figures for ext4_inode_cache.');
	});
});

describe('growthText', () => {
	it('signs the rate and keeps small rates visible', () => {
		expect(growthText(null)).toBe('');
		expect(growthText(0)).toBe('0/s');
		expect(growthText(250.4)).toBe('+250/s');
		expect(growthText(-0.004)).toBe('-0.004/s');
	});
});

describe('HostPicker', () => {
	it('marks the host shown and the selected one', () => {
		const {lastFrame} = render(
			<HostPicker
				hosts={['alpha', 'beta', 'gamma']}
				current="beta"
				selected="gamma"
				error={null}
				width={60}
				height={10}
			/>,
		);
		expect(trim(lastFrame())).toBe(
			['Hosts with slab series: 3  (Enter: show  Esc: back)', '  alpha', '* beta', '  gamma'].join('\n'),
		);
	});
});
