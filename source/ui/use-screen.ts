// The screen's state and its keys: one useReducer over the pure reducer (commands/reduce.ts),
// the app's one useInput (every key through the key table, commands/keymap.ts, with the frame
// on screen as data), and the running of the effects the reducer queues: quit, refresh, and
// commands handed to the simulator, whose answers come back as commands.

import {useApp, useInput} from 'ink';
import {useEffect, useReducer, type Dispatch} from 'react';
import {err} from '../result.js';
import type {CommandAnswer} from '../commands/bar-command.js';
import {keyToCommands} from '../commands/keymap.js';
import {screenReducer, type Screen, type ScreenAction} from '../commands/reduce.js';
import {initialState, type Effect, type Frame, type InitialStateOptions, type Mode} from '../commands/state.js';
import {isSimSource} from '../sim/types.js';
import {isPrometheusSource} from '../sources/prometheus-source.js';
import type {SlabSource} from '../sources/source.js';

export function useScreen(options: InitialStateOptions): [Screen, Dispatch<ScreenAction>] {
	return useReducer(screenReducer, options, (initial): Screen => ({ui: initialState(initial), effects: []}));
}

/** Every key, in the mode shown, becomes the commands it means, reduced against the frame on screen. */
export function useKeys(mode: Mode, frame: Frame, dispatch: Dispatch<ScreenAction>): void {
	useInput((input, key) => {
		for (const command of keyToCommands(input, key, mode)) dispatch({kind: 'command', command, frame});
	});
}

/** Hands a command to the source; a failure of the simulator itself is an answer too. */
function runCommand(source: SlabSource, effect: Extract<Effect, {kind: 'run'}>): CommandAnswer {
	if (!isSimSource(source)) return err('needs-sim', 'the command bar needs the simulator (--source sim)');
	try {
		return source.run(effect.command, effect.line);
	} catch (error) {
		return err('refused', `${effect.line}: the simulator failed: ${error instanceof Error ? error.message : String(error)}`);
	}
}

export type EffectRunner = {
	source: SlabSource;
	frame: Frame;
	refresh: () => void;
	/** `m`: set the rates' mark. */
	mark?: () => void;
	/** The column picker closed: keep the choice; the answer is shown. */
	saveSettings?: () => CommandAnswer;
};

/** Runs the queued effects in order, then tells the reducer they are done. */
export function useEffects(
	effects: readonly Effect[],
	dispatch: Dispatch<ScreenAction>,
	{source, frame, refresh, mark, saveSettings}: EffectRunner,
): void {
	const {exit} = useApp();
	useEffect(() => {
		if (effects.length === 0) return;
		for (const effect of effects) {
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
					dispatch({kind: 'command', command: {kind: 'answer', answer: runCommand(source, effect)}, frame});
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
					if (saveSettings !== undefined) dispatch({kind: 'command', command: {kind: 'answer', answer: saveSettings()}, frame});
					break;
				}

				case 'show-host': {
					if (isPrometheusSource(source)) source.setHost(effect.host);
					break;
				}
			}
		}

		dispatch({kind: 'effects-run', count: effects.length});
	}, [effects, dispatch, exit, source, frame, refresh, mark, saveSettings]);
}
