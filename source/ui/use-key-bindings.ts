// The app's one useInput: every key goes through the key table (commands/keymap.ts) and the
// resulting command to `dispatch`.

import {useInput} from 'ink';
import {keyToCommand} from '../commands/keymap.js';
import type {Mode, UiCommand} from '../commands/state.js';

export function useKeyBindings(mode: Mode, dispatch: (command: UiCommand) => void, isActive = true): void {
	useInput(
		(input, key) => {
			const command = keyToCommand(input, key, mode);
			if (command !== null) dispatch(command);
		},
		{isActive},
	);
}
