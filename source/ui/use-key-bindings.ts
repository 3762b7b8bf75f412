// The app's one key reader. Ink reads the terminal and hands over what it read (an escape
// sequence alone, or a run of other bytes: `cb`, two Tabs, a paste); the key parser
// (commands/key-parse.ts) splits that into every key it holds, and dispatchKeys
// (commands/keymap.ts) turns each, in order, into the commands of the mode the keys before it
// left. Ink's useInput is not used: it reports a whole run of bytes as one key.

import {useStdin} from 'ink';
import {useEffect, useRef} from 'react';
import {createKeyParser} from '../commands/key-parse.js';
import {dispatchKeys} from '../commands/keymap.js';
import type {Mode, UiCommand} from '../commands/state.js';

/** How long a lone ESC waits for the rest of a sequence before it is the Escape key. */
const ESCAPE_WAIT_MS = 30;

export function useKeyBindings(mode: () => Mode, dispatch: (command: UiCommand) => void): void {
	const {internal_eventEmitter: input, setRawMode, isRawModeSupported} = useStdin();
	const handlers = useRef({mode, dispatch});
	handlers.current = {mode, dispatch};
	useEffect(() => {
		if (isRawModeSupported) setRawMode(true);
		const parser = createKeyParser();
		let escapeTimer: ReturnType<typeof setTimeout> | undefined;
		const run = (keys: ReturnType<typeof parser.push>): void => {
			dispatchKeys(keys, () => handlers.current.mode(), command => {
				handlers.current.dispatch(command);
			});
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
	}, [input, setRawMode, isRawModeSupported]);
}
