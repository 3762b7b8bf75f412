// The fleet view (Tab, with a Prometheus source): for the selected cache, every host's figures,
// largest first, with growth (deriv of active objects over the chosen window); then the caches
// holding the most memory and the caches growing fastest across the fleet. One host row is
// selected (Enter opens that host's table). Estimated sizes (hosts with node_exporter's series
// only) are marked `~`. A function of its props.

import {Box, Text} from 'ink';
import {
	FLEET_TOP,
	orderHosts,
	windowText,
	type Fleet,
	type FleetCache,
	type FleetHost,
	type FleetOrder,
} from '../../sources/prometheus-fleet.js';
import {fit, sizeText} from '../format.js';
import {Table, fitColumns, type Column} from './table.js';

export type FleetProps = {
	/** The cache the view is about (the table's selected cache). */
	cache: string;
	windowSeconds: number;
	/** Hosts largest first, or fastest-growing first. */
	order: FleetOrder;
	/** The last answer, or null before the first. */
	fleet: Fleet | null;
	/** The last query's failure, as one line. */
	error: string | null;
	selectedHost: string | null;
	width: number;
	/** Lines available for the whole view. */
	height: number;
};

/** Objects per second, signed: +12.5/s, -3.0/s, 0/s; '' when unknown. */
export function growthText(perSecond: number | null): string {
	if (perSecond === null || !Number.isFinite(perSecond)) return '';
	if (perSecond === 0) return '0/s';
	const magnitude = Math.abs(perSecond);
	const digits = magnitude >= 100 ? 0 : magnitude >= 0.1 ? 1 : 3;
	return `${perSecond > 0 ? '+' : '-'}${magnitude.toFixed(digits)}/s`;
}

function bytesText(host: FleetHost): string {
	if (host.cacheBytes === null) return '';
	return `${host.isEstimate ? '~' : ''}${sizeText(host.cacheBytes)}`;
}

const HOST_COLUMNS: ReadonlyArray<Column<FleetHost>> = [
	{key: 'host', header: 'HOST', width: 16, align: 'left', grow: true, maxWidth: 40, format: host => host.host},
	{
		key: 'active',
		header: 'ACTIVE',
		width: 9,
		align: 'right',
		format: host => (host.activeObjs === null ? '' : String(host.activeObjs)),
	},
	{
		key: 'objs',
		header: 'OBJS',
		width: 9,
		align: 'right',
		priority: 2,
		format: host => (host.numObjs === null ? '' : String(host.numObjs)),
	},
	{key: 'size', header: 'CACHE SIZE', width: 10, align: 'right', format: bytesText},
	{
		key: 'growth',
		header: 'GROWTH',
		width: 10,
		align: 'right',
		priority: 1,
		format: host => growthText(host.growthPerSec),
	},
];

function topLines(
	title: string,
	entries: readonly FleetCache[],
	format: (value: number) => string,
	width: number,
	count: number,
): string[] {
	const lines = [title];
	for (const entry of entries.slice(0, count))
		lines.push(fit(`  ${fit(entry.cache, 28)} ${format(entry.value).padStart(10)}`, width));
	if (entries.length === 0) lines.push('  (none)');
	return lines;
}

/** Entries of each fleet-wide list that fit under `hostCount` host rows in `available` lines (0: no lists). */
function listLength(available: number, hostCount: number): number {
	const hostShare = Math.min(Math.max(1, hostCount), Math.max(1, Math.ceil(available / 2)));
	return Math.max(0, Math.min(FLEET_TOP, Math.floor((available - hostShare) / 2) - 1));
}

export function FleetView({cache, windowSeconds, order, fleet, error, selectedHost, width, height}: FleetProps) {
	const window = windowText(windowSeconds);
	const title = `Fleet: ${cache}  by ${order} (g)  growth over ${window} (w)  Enter: that host's table`;
	const hosts = fleet?.cache === cache ? orderHosts(fleet.hosts, order) : [];
	const hasEstimate = hosts.some(host => host.isEstimate);
	// Title, table header, error and note lines are fixed; host rows and the two lists share the rest.
	const available = Math.max(1, height - 2 - (error === null ? 0 : 1) - (hasEstimate ? 1 : 0));
	const count = fleet === null ? 0 : listLength(available, hosts.length);
	// Only caches that grow: a fleet at rest has no list of zeros.
	const growingCaches = fleet === null ? [] : fleet.growing.filter(entry => entry.value > 0);
	const largest =
		count === 0 || fleet === null
			? []
			: topLines('Largest caches across the fleet', fleet.largest, sizeText, width, count);
	const growing =
		count === 0
			? []
			: topLines(`Growing fastest across the fleet (${window})`, growingCaches, growthText, width, count);
	const hostRows = Math.max(1, Math.min(hosts.length, available - largest.length - growing.length));
	const selected = hosts.findIndex(host => host.host === selectedHost);
	const first = Math.max(0, Math.min(selected - hostRows + 1, hosts.length - hostRows));
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate">
				{fit(title, width)}
			</Text>
			{error === null ? null : <Text color="red">{fit(error, width)}</Text>}
			{fleet === null && error === null ? <Text>querying…</Text> : null}
			{fleet !== null && hosts.length === 0 ? <Text>{fit(`No host has figures for ${cache}.`, width)}</Text> : null}
			{hosts.length === 0 ? null : (
				<Table
					columns={fitColumns(HOST_COLUMNS, width)}
					rows={hosts.slice(first, first + hostRows)}
					rowKey={host => host.host}
					selectedKey={selectedHost}
					markedKey={order}
				/>
			)}
			{hasEstimate ? (
				<Text dimColor>
					{fit('~ estimate: node_exporter gives no slab count (slabs ≈ objects ÷ objs/slab)', width)}
				</Text>
			) : null}
			{[...largest, ...growing].map((line, index) => (
				<Text key={index} bold={index === 0 || index === largest.length}>
					{line}
				</Text>
			))}
		</Box>
	);
}
