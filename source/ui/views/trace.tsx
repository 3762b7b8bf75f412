// The operation trace view: allocator events as the kernel's kmem tracepoints print them,
// newest first, each followed by the SLUB path it took and the slab it left. Filtered by cache
// (the sim source's trace) and by path (TRACE_PATH_FILTERS); says when it samples and when the
// simulator is paused.

import {Text} from 'ink';
import {
	TRACE_PATH_FILTER_NAMES,
	describePath,
	matchesPathFilter,
	traceTimestamp,
	tracepointText,
	type TracePathFilter,
	type TraceRecord,
} from '../../engine/index.js';
import type {TraceState} from '../../sim/types.js';
import {Lines, ScrollPage} from './scroll-page.js';

export type TraceViewProps = {
	/** null: the source is not the simulator. */
	trace: TraceState | null;
	/** Newest first. */
	records: readonly TraceRecord[];
	pathFilter: TracePathFilter;
	isPaused: boolean;
	height: number;
	scroll: number;
};

/** Two lines a record: `  1.000016 [000] kmem_cache_alloc: …`, then `    └ path → slab`. */
export function traceLines(records: readonly TraceRecord[], pathFilter: TracePathFilter): string[] {
	const lines: string[] = [];
	for (const r of records) {
		if (!matchesPathFilter(r, pathFilter)) continue;
		lines.push(
			`${traceTimestamp(r)} [${String(r.cpu).padStart(3, '0')}] ${tracepointText(r)}`,
			`    └ ${describePath(r)}`,
		);
	}
	return lines;
}

/** The title: what is traced, the filters, sampling and pause. */
export function traceTitle(trace: TraceState, pathFilter: TracePathFilter, isPaused: boolean): string {
	const parts = [
		`Operation trace: ${trace.cacheName ?? 'every cache'}`,
		`path: ${TRACE_PATH_FILTER_NAMES[pathFilter]}`,
	];
	if (trace.every > 1) parts.push(`sampling 1 in ${trace.every} (${trace.skipped} left out)`);
	else if (trace.skipped > 0) parts.push(`${trace.skipped} left out by sampling earlier`);
	if (trace.isFile) parts.push('also written to --trace file');
	if (isPaused) parts.push('PAUSED');
	parts.push(trace.cacheName === null ? 'f path  t this cache  Tab next view' : 'f path  t every cache  Tab next view');
	return parts.join('  ·  ');
}

export function traceLineCount(props: TraceViewProps): number {
	return props.trace === null ? 1 : traceLines(props.records, props.pathFilter).length;
}

export function TraceView({trace, records, pathFilter, isPaused, height, scroll}: TraceViewProps) {
	if (trace === null) {
		return (
			<ScrollPage title="Operation trace" height={height} scroll={0} lines={1}>
				<Text dimColor>The operation trace needs the simulator (--source sim).</Text>
			</ScrollPage>
		);
	}
	const lines = traceLines(records, pathFilter);
	return (
		<ScrollPage title={traceTitle(trace, pathFilter, isPaused)} height={height} scroll={scroll} lines={lines.length}>
			{lines.length > 0 ? (
				<Lines lines={lines} />
			) : (
				<Text dimColor>
					{records.length === 0
						? `No operations yet: they appear as the simulator runs${isPaused ? ' (z resumes it)' : ''}.`
						: 'No operation on this path yet (f changes the path filter).'}
				</Text>
			)}
		</ScrollPage>
	);
}
