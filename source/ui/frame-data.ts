// Per-frame data the container reads from the sample and, on the simulator, from the engine:
// the sort column's figures, the selected cache's detail and the slab chosen on its map.

import type {UiState} from '../commands/state.js';
import type {SlabObjects} from '../engine/index.js';
import {columnValue} from '../report/columns.js';
import {baseFor, rowRates} from '../report/rates.js';
import {isSimSource, type SimDetail} from '../sim/types.js';
import type {CacheRow, SlabSource} from '../sources/source.js';
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

/** The simulator's detail of a cache, or null (another source, no cache, or a failing simulator). */
export function detailOf(source: SlabSource, name: string | null): SimDetail | null {
	if (name === null || !isSimSource(source)) return null;
	try {
		return source.detail(name);
	} catch {
		return null;
	}
}

/** Views that read the simulator's detail of the selected cache. */
export const DETAIL_VIEWS: ReadonlySet<string> = new Set(['detail', 'slab', 'explain']);

/** The objects of the slab chosen on the detail view's slab map. */
export function slabOf(
	source: SlabSource,
	name: string | null,
	detail: SimDetail | null,
	cursor: number,
): SlabObjects | null {
	if (name === null || detail === null || detail.map.length === 0 || !isSimSource(source)) return null;
	const cell = detail.map[Math.max(0, Math.min(cursor, detail.map.length - 1))];
	return source.slab(name, cell.slab);
}
