// Per-frame data the container reads from the sample and, on the simulator, from the engine:
// the sort column's figures, the selected cache's detail and the slab chosen on its map.

import {useMemo} from 'react';
import type {UiState, View} from '../commands/state.js';
import type {SlabObjects} from '../engine/index.js';
import {columnValue} from '../report/columns.js';
import {baseFor, rowRates} from '../report/rates.js';
import {isSimSource, type SimDetail, type TraceState} from '../sim/types.js';
import type {CacheRow, Sample, SlabSource} from '../sources/source.js';
import type {Snapshot} from './sample-store.js';

/** The sort column's figure for every cache (rates against the chosen basis). */
export function sortFigures(
	rows: readonly CacheRow[] | null,
	state: Pick<UiState, 'sortColumn' | 'rateBasis'>,
	snapshot: Snapshot,
): ReadonlyMap<string, number | null> | undefined {
	const id = state.sortColumn;
	if (id === null || rows === null) return undefined;
	const base = baseFor(snapshot.tracker, state.rateBasis);
	const timeMs = snapshot.sample?.timeMs ?? 0;
	const figures = new Map<string, number | null>();
	for (const row of rows) {
		figures.set(
			row.name,
			columnValue(id, {row, rates: rowRates(row, timeMs, base), counters: snapshot.rates.get(row.name) ?? null}),
		);
	}

	return figures;
}

/**
 * The simulator's detail of a cache as of `sample` (its figures change only with a new sample),
 * or null (another source, no cache or sample yet, or a failing simulator).
 */
function detailOf(source: SlabSource, name: string | null, sample: Sample | null): SimDetail | null {
	if (name === null || sample === null || !isSimSource(source)) return null;
	try {
		return source.detail(name);
	} catch {
		return null;
	}
}

/** The simulator's operation trace as of `sample`, while the trace view is shown; else null. */
function traceOf(source: SlabSource, isShown: boolean, sample: Sample | null): TraceState | null {
	return isShown && sample !== null && isSimSource(source) ? source.trace() : null;
}

/** Views that read the simulator's detail of the selected cache. */
const DETAIL_VIEWS: ReadonlySet<string> = new Set(['detail', 'slab', 'explain']);

/** The objects of the slab chosen on the detail view's slab map. */
function slabOf(source: SlabSource, name: string | null, detail: SimDetail | null, cursor: number): SlabObjects | null {
	if (name === null || detail === null || detail.map.length === 0 || !isSimSource(source)) return null;
	const cell = detail.map[Math.max(0, Math.min(cursor, detail.map.length - 1))];
	return source.slab(name, cell.slab);
}

/**
 * What the simulator's views read from the engine for the selected cache: its detail, the
 * trace and the slab chosen on the map. Their figures change only with a new sample (every
 * command that changes the machine is followed by one): read once per sample, not on every key.
 */
export function useSimViews(
	source: SlabSource,
	sample: Sample | null,
	view: View,
	selectedName: string | null,
	slabCursor: number,
): {detailName: string | null; detail: SimDetail | null; trace: TraceState | null; slab: SlabObjects | null} {
	const detailName = DETAIL_VIEWS.has(view) ? selectedName : null;
	const detail = useMemo(() => detailOf(source, detailName, sample), [source, detailName, sample]);
	const isTraceShown = view === 'trace';
	const trace = useMemo(() => traceOf(source, isTraceShown, sample), [source, isTraceShown, sample]);
	const isSlabShown = view === 'slab';
	const slab = useMemo(
		() => (isSlabShown ? slabOf(source, selectedName, detail, slabCursor) : null),
		[source, isSlabShown, selectedName, detail, slabCursor],
	);
	return {detailName, detail, trace, slab};
}
