// What a kernel source reads from /sys/kernel/slab and /proc for the frame on screen: only the
// figures the shown rows, columns and views need (sources/kernel-source.ts reads them).

import {useEffect, useEffectEvent} from 'react';
import type {UiState} from '../commands/state.js';
import type {VisibleRows} from '../commands/visible-rows.js';
import {columnById, listFilesFor} from '../report/columns.js';
import {isKernelSource, type KernelSysfsRequest} from '../sources/kernel-source.js';
import type {SlabSource} from '../sources/source.js';
import type {Snapshot} from './sample-store.js';

/** What the kernel source should read from /sys/kernel/slab and /proc for this frame. */
export function sysfsRequest(
	state: UiState,
	visible: VisibleRows,
	pageRows: number,
	detailName: string | null,
): KernelSysfsRequest {
	const isSysfsSort = state.sortColumn !== null && columnById(state.sortColumn).need === 'sysfs';
	const shownColumns = state.view === 'caches' ? state.columns : [];
	return {
		// A table sorted by a sysfs column needs every cache's figure; otherwise only the rows on screen.
		names: isSysfsSort
			? 'all'
			: state.view === 'caches'
				? visible.names.slice(state.scrollTop, state.scrollTop + pageRows)
				: [],
		listFiles: listFilesFor(shownColumns.some(id => columnById(id).need === 'sysfs') ? shownColumns : []),
		detail: detailName,
		buddyinfo: state.view === 'memory',
	};
}

/**
 * Hands the kernel source this frame's request when its content changes; rows that came into
 * view (or a detail view just opened) get their figures now, not at the next refresh.
 */
export function useSysfsRequest(
	source: SlabSource,
	snapshot: Snapshot,
	request: () => KernelSysfsRequest,
	refresh: () => void,
): void {
	// Only a kernel source reads sysfs: for the others the request is neither built nor compared.
	const current = isKernelSource(source) ? request() : null;
	const apply = useEffectEvent(() => {
		if (current === null || !isKernelSource(source)) return;
		const request = current;
		source.setSysfsRequest(request);
		const shown = snapshot.sample?.rows ?? [];
		const isMissing =
			(request.detail !== null && shown.find(row => row.name === request.detail)?.sysfs === undefined) ||
			(request.buddyinfo === true && snapshot.sample?.kernel?.buddyinfo == null) ||
			(request.names !== 'all' &&
				request.names.some(name => shown.find(row => row.name === name)?.sysfs === undefined));
		if (isMissing) refresh();
	});
	// A new request object every frame: the effect runs when its content changes.
	const requestKey = current === null ? '' : JSON.stringify(current);
	useEffect(() => {
		apply();
	}, [requestKey]);
}
