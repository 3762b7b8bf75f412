// The app's one useInput: every key goes through the key table (commands/keymap.ts) and the
// resulting command to `dispatch`. It stays active while the command bar has focus: there the
// key table (commands/keymap.ts) turns keys into editing commands for the `mode`.

import {useInput} from 'ink';
import {keyToCommands} from '../commands/keymap.js';
import type {Mode, UiCommand} from '../commands/state.js';

export function useKeyBindings(mode: Mode, dispatch: (command: UiCommand) => void): void {
	useInput((input, key) => {
		for (const command of keyToCommands(input, key, mode)) dispatch(command);
	});
}
