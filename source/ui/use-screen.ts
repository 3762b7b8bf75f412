// The screen's state and its keys: one useReducer over the pure reducer (commands/reduce.ts),
// the app's one key reader, and the running of the effects the reducer queues: quit, refresh,
// commands handed to the simulator (whose answers come back as commands), speed and steps.
//
// Keys: Ink reads the terminal and hands over what it read (an escape sequence alone, or a run
// of other bytes: `cb`, two Tabs, a paste); the key parser (commands/key-parse.ts) splits it
// into every key it holds, and dispatchKeys (commands/keymap.ts) turns each, in order, into
// the commands of the mode the keys before it left (modeAfter). The commands of one read are
// reduced as one action. Ink's useInput is not used: it reports a whole run of bytes as one key.

import {useApp, useStdin} from 'ink';
import {useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type Dispatch} from 'react';
import {err} from '../result.js';
import type {CommandAnswer} from '../commands/bar-command.js';
import {createKeyParser, type Key} from '../commands/key-parse.js';
import {dispatchKeys} from '../commands/keymap.js';
import {modeAfter, screenReducer, type Screen, type ScreenAction} from '../commands/reduce.js';
import {
	initialState,
	type Effect,
	type Frame,
	type InitialStateOptions,
	type Mode,
	type UiCommand,
} from '../commands/state.js';
import {stepSpeed} from '../sim/clock.js';
import {isSimSource, type SimSource} from '../sim/types.js';
import {isPrometheusSource} from '../sources/prometheus-source.js';
import type {SlabSource} from '../sources/source.js';

/** Runs a batch of queued effects (set by useEffects once the screen has drawn). */
type EffectBatchRunner = (effects: readonly Effect[]) => void;

/**
 * The screen's state outside React: an action is reduced when it is dispatched, and the effects
 * it queues run there and then (as the container's keys did before the state was a reducer), so
 * a key, its state and the sample its refresh takes make one render (one frame) instead of one
 * for the key and another for the effects run afterwards.
 */
type ScreenStore = {
	getSnapshot: () => Screen;
	subscribe: (listener: () => void) => () => void;
	dispatch: Dispatch<ScreenAction>;
	/** Runs the effects queued, if a runner is set (dispatch does it after every action). */
	runQueued: () => void;
	setRunner: (runner: EffectBatchRunner | null) => void;
};

function createScreenStore(initial: Screen): ScreenStore {
	let screen = initial;
	let runner: EffectBatchRunner | null = null;
	let isRunning = false;
	const listeners = new Set<() => void>();
	const apply = (action: ScreenAction): void => {
		const next = screenReducer(screen, action);
		if (next === screen) return;
		screen = next;
		for (const listener of listeners) listener();
	};

	const runQueued = (): void => {
		// Effects queued while effects run (an answer's) are run by the loop below, in order.
		if (isRunning) return;
		isRunning = true;
		try {
			while (runner !== null && screen.effects.length > 0) {
				const batch = screen.effects;
				runner(batch);
				// The runner tells the reducer the batch ran; a runner that did not is not asked again.
				if (screen.effects === batch) break;
			}
		} finally {
			isRunning = false;
		}
	};

	const dispatch = (action: ScreenAction): void => {
		apply(action);
		runQueued();
	};

	return {
		getSnapshot: () => screen,
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		dispatch,
		runQueued,
		setRunner(next) {
			runner = next;
		},
	};
}

/** The store behind each dispatch useScreen returns (useEffects registers its runner there). */
const storeOfDispatch = new WeakMap<Dispatch<ScreenAction>, ScreenStore>();

export function useScreen(
	options: InitialStateOptions,
	notice: CommandAnswer | null = null,
): [Screen, Dispatch<ScreenAction>] {
	const [store] = useState(() => {
		const created = createScreenStore({ui: {...initialState(options), answer: notice}, effects: []});
		storeOfDispatch.set(created.dispatch, created);
		return created;
	});
	const screen = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
	return [screen, store.dispatch];
}

/** How long a lone ESC waits for the rest of a sequence before it is the Escape key. */
const ESCAPE_WAIT_MS = 30;

/** Every key of every read, in order, becomes the commands it means, reduced against the frame on screen. */
export function useKeys(mode: Mode, isSim: boolean, frame: Frame, dispatch: Dispatch<ScreenAction>): void {
	const {internal_eventEmitter: input, setRawMode, isRawModeSupported} = useStdin();
	// The mode the last read left (a read may come before the screen has drawn the one before).
	const modeRef = useRef(mode);
	const frameRef = useRef(frame);
	useEffect(() => {
		modeRef.current = mode;
		frameRef.current = frame;
	}, [mode, frame]);
	useEffect(() => {
		if (isRawModeSupported) setRawMode(true);
		const parser = createKeyParser();
		let escapeTimer: ReturnType<typeof setTimeout> | undefined;
		const run = (keys: readonly Key[]): void => {
			const commands: UiCommand[] = [];
			dispatchKeys(
				keys,
				() => modeRef.current,
				command => {
					commands.push(command);
					modeRef.current = modeAfter(modeRef.current, command, isSim);
				},
			);
			if (commands.length > 0) dispatch({kind: 'commands', commands, frame: frameRef.current});
		};

		const onInput = (data: string): void => {
			clearTimeout(escapeTimer);
			run(parser.push(data));
			// Ink hands over a lone ESC only once it has waited for the rest of a sequence.
			if (data === '\u001B') {
				run(parser.flush());
			} else if (parser.isPending()) {
				escapeTimer = setTimeout(() => {
					run(parser.flush());
				}, ESCAPE_WAIT_MS);
			}
		};

		input.on('input', onInput);
		return () => {
			clearTimeout(escapeTimer);
			input.off('input', onInput);
			if (isRawModeSupported) setRawMode(false);
		};
	}, [input, setRawMode, isRawModeSupported, isSim, dispatch]);
}

/** Hands a command to the source; a failure of the simulator itself is an answer too. */
async function runCommand(source: SlabSource, effect: Extract<Effect, {kind: 'run'}>): Promise<CommandAnswer> {
	if (!isSimSource(source)) return err('needs-sim', 'the command bar needs the simulator (--source sim)');
	try {
		// The simulator in a worker answers later; commands still answer in the order they ran.
		return await source.run(effect.command, effect.line);
	} catch (error) {
		return err(
			'refused',
			`${effect.line}: the simulator failed: ${error instanceof Error ? error.message : String(error)}`,
		);
	}
}

/** `.` and `>` while paused: one tick, or to the next phase; otherwise why not. */
function step(source: SimSource, to: 'tick' | 'phase'): CommandAnswer | null {
	const status = source.status();
	if (!status.isPaused) return err('refused', 'steps are taken while paused: z pauses');
	const ticks = to === 'tick' ? 1 : (status.workload?.ticksToNextPhase ?? 0);
	if (ticks === 0) return err('refused', 'no workload phase to step to');
	source.advance(ticks, true);
	return null;
}

/** How long answers gather before the screen shows the latest (and refreshes). */
const ANSWER_BATCH_MS = 30;

export type EffectRunner = {
	source: SlabSource;
	frame: Frame;
	refresh: () => void;
	/** `m`: set the rates' mark. */
	mark?: () => void;
	/** The column picker closed: keep the choice; the answer is shown. */
	saveSettings?: () => CommandAnswer;
};

/**
 * Runs the queued effects in order, then tells the reducer they are done: as soon as they are
 * queued (useScreen's store calls the runner kept here with the last frame drawn), or after the
 * render for effects queued before the first frame.
 */
export function useEffects(
	effects: readonly Effect[],
	dispatch: Dispatch<ScreenAction>,
	{source, frame, refresh, mark, saveSettings}: EffectRunner,
): void {
	const {exit} = useApp();
	const store = storeOfDispatch.get(dispatch);
	if (store === undefined) throw new Error('useEffects needs the dispatch useScreen returned');
	// Answers that come in a burst (a pasted thousand lines) make one frame: the latest is shown.
	const pending = useRef<{answer: CommandAnswer | null; timer: ReturnType<typeof setTimeout> | null}>({
		answer: null,
		timer: null,
	});
	useLayoutEffect(() => {
		const answer = (answered: CommandAnswer): void => {
			dispatch({kind: 'command', command: {kind: 'answer', answer: answered}, frame});
		};

		const answerSoon = (answered: CommandAnswer): void => {
			pending.current.answer = answered;
			if (pending.current.timer !== null) return;
			pending.current.timer = setTimeout(() => {
				const latest = pending.current.answer;
				pending.current = {answer: null, timer: null};
				if (latest !== null) answer(latest);
				refresh();
			}, ANSWER_BATCH_MS);
		};

		store.setRunner(queued => {
			for (const effect of queued) {
				switch (effect.kind) {
					case 'quit': {
						exit();
						break;
					}

					case 'refresh': {
						refresh();
						break;
					}

					case 'run': {
						void runCommand(source, effect).then(answerSoon);
						break;
					}

					case 'speed': {
						if (isSimSource(source)) source.setSpeed(stepSpeed(source.status().speed, effect.direction));
						break;
					}

					case 'step': {
						const refused = isSimSource(source) ? step(source, effect.to) : null;
						if (refused !== null) answer(refused);
						break;
					}

					case 'trace': {
						if (!isSimSource(source)) break;
						if (effect.open) source.openTrace(effect.cacheName);
						else source.closeTrace();
						refresh();
						break;
					}

					case 'mark': {
						mark?.();
						break;
					}

					case 'save-settings': {
						if (saveSettings !== undefined)
							dispatch({kind: 'command', command: {kind: 'answer', answer: saveSettings()}, frame});
						break;
					}

					case 'show-host': {
						if (isPrometheusSource(source)) source.setHost(effect.host);
						break;
					}
				}
			}

			dispatch({kind: 'effects-run', count: queued.length});
		});
	}, [store, dispatch, exit, source, frame, refresh, mark, saveSettings]);
	useLayoutEffect(
		() => () => {
			store.setRunner(null);
		},
		[store],
	);
	// Effects queued before the runner was set (before the first frame) run once it is.
	useEffect(() => {
		if (effects.length > 0) store.runQueued();
	}, [effects, store]);
}
