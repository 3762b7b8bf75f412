// What the terminal allows, from the environment: `terminalMode(env, isTTY)`. Pure, so it is
// tested without a terminal.
//
//   - No screen when standard output is not a terminal, or TERM is `dumb` (a terminal that
//     cannot move the cursor: Emacs shell buffers, some CI logs): one plain report, as --once.
//   - No colour when NO_COLOR is set to anything but the empty string (https://no-color.org),
//     or the config file's palette is `mono`: the screen then marks the selection and the sort
//     column by inverse video and bold only.

export type Palette = 'color' | 'mono';

export type TerminalMode = {
	/** Draw the interactive screen (else print one report and exit). */
	isScreen: boolean;
	palette: Palette;
};

export function terminalMode(
	env: Readonly<Record<string, string | undefined>>,
	isTTY: boolean,
	configured: Palette = 'color',
): TerminalMode {
	const isDumb = env.TERM === 'dumb';
	const isNoColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
	return {isScreen: isTTY && !isDumb, palette: isNoColor ? 'mono' : configured};
}
