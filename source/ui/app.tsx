// The one container of the screen. It owns the refresh timer (which also advances the
// simulator's virtual clock by the real time that passed), the sample store (read through
// useSyncExternalStore), the single useInput (use-key-bindings.ts) and the running of the
// reducer's effects. Everything it draws is a view in views/, a function of props.
//
// The frame is one line shorter than the terminal: Ink clears and rewrites the whole screen on
// every render once a frame fills the terminal, and an unchanged frame must write nothing.
// In a terminal smaller than 80x24 the frame's first line says it is cropped.

import {Box, useApp} from 'ink';
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import {reduce, normalise} from '../commands/reduce.js';
import {initialState, type Effect, type UiCommand, type UiState, type ViewContext} from '../commands/state.js';
import type {SortKey} from '../report/sort.js';
import {computeTotals} from '../report/totals.js';
import {isSimSource, type SimDetail} from '../sim/types.js';
import {MS_PER_TICK} from '../workload/tick-machine.js';
import type {Sample, SlabSource} from '../sources/source.js';
import {createSampleStore, HISTORY_WINDOW_MS, type Snapshot} from './sample-store.js';
import {useKeyBindings} from './use-key-bindings.js';
import {useSample} from './use-sample.js';
import {useTerminalSize, type TerminalSize} from './use-terminal-size.js';
import {createRowSelector} from './visible-rows.js';
import {cacheColumns, tableRows, trendCells, CacheTable} from './views/cache-table.js';
import {answerLines, CommandBar, CroppedNote, MAX_ANSWER_LINES} from './views/command-bar.js';
import {Detail, detailLineCount, type DetailProps} from './views/detail.js';
import {Events, eventsLineCount} from './views/events.js';
import {Help, helpLines} from './views/help.js';
import {Memory, memoryLineCount} from './views/memory.js';
import {Summary} from './views/summary.js';

/** The header: slabtop's five lines and the status line. */
const HEADER_LINES = 6;
export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export type AppProps = {
	source: SlabSource;
	/** A sample already taken from the source (the CLI's start-up check): the first frame shows it. */
	firstSample?: Sample | null;
	sortKey: SortKey;
	delayMs: number;
	/** A fixed size (tests, the bench); otherwise the terminal's, following resizes. */
	size?: TerminalSize;
	/** Milliseconds of real time, for advancing the simulator (injectable for tests). */
	now?: () => number;
};

export type ScreenLayout = {
	width: number;
	/** Lines the frame takes (the terminal's rows minus one). */
	height: number;
	/** Whether the terminal is smaller than 80x24 (the first line says so). */
	isCropped: boolean;
	answerRows: number;
	/** Lines between the header and the command bar. */
	bodyHeight: number;
	/** Table rows (caches view) or page lines (other views) that fit. */
	pageRows: number;
};

/** The screen's parts for a terminal size; depends on the state's mode and answer only. */
export function screenLayout(size: TerminalSize, state: Pick<UiState, 'mode' | 'answer'>): ScreenLayout {
	const height = Math.max(1, size.rows - 1);
	const isCropped = size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;
	const free = Math.max(0, height - (isCropped ? 1 : 0) - HEADER_LINES - 1);
	const answerRows =
		state.mode === 'browse' ? answerLines(state.answer, Math.min(MAX_ANSWER_LINES, Math.floor(free / 3))).length : 0;
	const bodyHeight = Math.max(0, free - answerRows);
	return {width: size.columns, height, isCropped, answerRows, bodyHeight, pageRows: Math.max(1, bodyHeight - 1)};
}

function safeDetail(source: SlabSource, name: string | null): SimDetail | null {
	if (name === null || !isSimSource(source)) return null;
	try {
		return source.detail(name);
	} catch {
		return null;
	}
}

function detailProps(source: SlabSource, snapshot: Snapshot, state: UiState, layout: ScreenLayout, detail: SimDetail | null): DetailProps {
	const name = state.selectedName ?? '';
	return {
		name,
		row: snapshot.sample?.rows.find(row => row.name === name) ?? null,
		detail,
		isSim: isSimSource(source),
		tick: snapshot.status?.tick ?? 0,
		width: layout.width,
		height: layout.bodyHeight,
		scroll: state.pageScroll,
	};
}

export function App({source, firstSample = null, sortKey, delayMs, size: fixedSize, now = () => performance.now()}: AppProps) {
	const {exit} = useApp();
	const terminal = useTerminalSize();
	const size = fixedSize ?? terminal;
	const isSim = isSimSource(source);
	const store = useMemo(() => {
		const created = createSampleStore(source);
		created.refresh(firstSample);
		return created;
	}, [source, firstSample]);
	const snapshot = useSample(store);
	const selectRows = useMemo(() => createRowSelector(), []);
	const [rawState, setState] = useState(() => initialState({sortKey, delayMs, isSim}));
	const stateRef = useRef(rawState);
	const lastAdvance = useRef(now());
	const totals = useMemo(() => computeTotals(snapshot.sample?.rows ?? []), [snapshot.sample]);

	const pageLines = (state: UiState, layout: ScreenLayout, detail: SimDetail | null): number => {
		switch (state.view) {
			case 'detail': {
				return detailLineCount(detailProps(source, snapshot, state, layout, detail));
			}

			case 'memory': {
				return memoryLineCount({memory: snapshot.status?.memory ?? null, samplePages: totals.pages, height: 0, scroll: 0});
			}

			case 'events': {
				return eventsLineCount({events: snapshot.events, isSim, height: 0, scroll: 0});
			}

			case 'help': {
				return helpLines().length;
			}

			case 'caches': {
				return 0;
			}
		}
	};

	// normalise keeps the mode and the answer, so the raw state's layout is the state's.
	const layout = screenLayout(size, rawState);
	const contextFor = (detail: SimDetail | null): ViewContext => ({
		rowNames: state => selectRows(snapshot.sample, state).names,
		pageRows: layout.pageRows,
		pageLines: state => pageLines(state, screenLayout(size, state), detail),
	});

	const state = normalise(rawState, contextFor(null));
	const detailName = state.view === 'detail' ? state.selectedName : null;
	const detail = useMemo(() => safeDetail(source, detailName), [source, detailName, snapshot]);
	const context = contextFor(detail);
	const contextRef = useRef(context);
	contextRef.current = context;
	stateRef.current = state;

	/** Advance the simulator by the real time since the last advance, then take a sample. */
	const refresh = useCallback(() => {
		store.refresh();
	}, [store]);
	const tick = useCallback(() => {
		if (isSimSource(source)) {
			const elapsed = now() - lastAdvance.current;
			const ticks = Math.floor(elapsed / MS_PER_TICK);
			lastAdvance.current += ticks * MS_PER_TICK;
			try {
				if (ticks > 0) source.advance(ticks);
			} catch {
				// A failing step shows as the store's error on the next sample.
			}
		}

		refresh();
	}, [source, now, refresh]);

	const dispatch = useCallback(
		(command: UiCommand) => {
			const {state: next, effects} = reduce(stateRef.current, command, contextRef.current);
			stateRef.current = next;
			setState(next);
			for (const effect of effects) runEffect(effect);
		},
		// runEffect is defined below and only closes over stable values.
		// eslint-disable-next-line react-hooks/exhaustive-deps
		[],
	);

	function runEffect(effect: Effect): void {
		switch (effect.kind) {
			case 'quit': {
				exit();
				break;
			}

			case 'refresh': {
				tick();
				break;
			}

			case 'toggle-pause': {
				// The source knows whether it is paused (`:pause`, `:resume` and --exec change it too).
				if (isSimSource(source)) source.setPaused(!source.status().isPaused);
				break;
			}

			case 'execute': {
				if (!isSimSource(source)) {
					dispatch({kind: 'answer', answer: {isOk: false, text: 'the command bar needs the simulator (--source sim)'}});
					break;
				}

				let answer;
				try {
					const outcome = source.execute(effect.line);
					answer = {isOk: outcome.ok, text: outcome.text};
				} catch (error) {
					answer = {isOk: false, text: `${effect.line}: ${error instanceof Error ? error.message : String(error)}`};
				}

				dispatch({kind: 'answer', answer});
				refresh();
				break;
			}
		}
	}

	// The timer restarts when the delay changes (+ and -).
	useEffect(() => {
		const timer = setInterval(tick, state.delayMs);
		return () => {
			clearInterval(timer);
		};
	}, [tick, state.delayMs]);

	useKeyBindings(state.mode, dispatch);

	// The table's window: recomputed for a new sample, scroll, order or width, not for a selection move.
	const {rows} = selectRows(snapshot.sample, state);
	const columns = useMemo(() => cacheColumns(layout.width), [layout.width]);
	const showsTable = state.view === 'caches' && layout.bodyHeight >= 2;
	const top = state.scrollTop;
	const {pageRows} = layout;
	const windowRows = useMemo(
		() =>
			showsTable
				? tableRows(
						rows.slice(top, top + pageRows),
						snapshot.rates,
						snapshot.history,
						snapshot.sample?.timeMs ?? 0,
						HISTORY_WINDOW_MS,
						trendCells(columns),
					)
				: [],
		[showsTable, rows, top, pageRows, snapshot, columns],
	);

	let body;
	switch (state.view) {
		case 'caches': {
			if (!showsTable) break;
			body = (
				<CacheTable
					rows={windowRows}
					columns={columns}
					sortKey={state.sortKey}
					selectedName={state.selectedName}
					filter={state.filter}
				/>
			);
			break;
		}

		case 'detail': {
			body = <Detail {...detailProps(source, snapshot, state, layout, detail)} />;
			break;
		}

		case 'memory': {
			body = (
				<Memory
					memory={snapshot.status?.memory ?? null}
					samplePages={totals.pages}
					height={layout.bodyHeight}
					scroll={state.pageScroll}
				/>
			);
			break;
		}

		case 'events': {
			body = <Events events={snapshot.events} isSim={isSim} height={layout.bodyHeight} scroll={state.pageScroll} />;
			break;
		}

		case 'help': {
			body = <Help height={layout.bodyHeight} scroll={state.pageScroll} />;
			break;
		}
	}

	return (
		<Box flexDirection="column" width={layout.width} height={layout.height}>
			{layout.isCropped ? <CroppedNote columns={size.columns} rows={size.rows} /> : null}
			<Summary
				totals={totals}
				label={snapshot.sample?.label ?? source.label}
				status={snapshot.status}
				sortKey={state.sortKey}
				reversed={state.reversed}
				delayMs={state.delayMs}
				error={snapshot.error}
			/>
			{/* No overflow clipping here: it costs a slice of every line per frame. Views fit their height. */}
			<Box flexDirection="column" height={layout.bodyHeight}>
				{body}
			</Box>
			<CommandBar
				mode={state.mode}
				input={state.input}
				answer={state.answer}
				answerRows={layout.answerRows}
				filter={state.filter}
			/>
		</Box>
	);
}
