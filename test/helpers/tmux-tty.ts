// The terminal mode of a tmux pane, for the tests that type into the screen: Ink draws the first
// frame before it puts the terminal in raw mode, and a key typed in between goes through the
// tty's line discipline (Ctrl-C becomes SIGINT, other keys wait for a newline and are echoed).
// Tests wait for raw mode before their first key, as a user's first key comes after it.

import {spawnSync} from 'node:child_process';

/** The pane's isig, icanon and echo flags as stty prints them (`-isig -icanon -echo` in raw mode). */
export function paneTtyFlags(socket: string, target: string): string {
	const shown = spawnSync('tmux', ['-L', socket, 'display-message', '-p', '-t', target, '#{pane_tty}'], {
		encoding: 'utf8',
	});
	if (shown.status !== 0) throw new Error(`tmux display-message: ${shown.stderr}`);
	const tty = shown.stdout.trim();
	const result = spawnSync('stty', ['-F', tty, '-a'], {encoding: 'utf8'});
	if (result.status !== 0) throw new Error(`stty -F ${tty}: ${result.stderr}`);
	return result.stdout
		.split(/[\s;]+/)
		.filter(flag => /^-?(isig|icanon|echo)$/.test(flag))
		.join(' ');
}

/** Polls every 50 ms until the pane's terminal is in raw mode, for at most `timeoutMs`. */
export async function waitForRawMode(socket: string, target: string, timeoutMs = 15_000): Promise<void> {
	const start = Date.now();
	for (;;) {
		const flags = paneTtyFlags(socket, target);
		if (flags === '-isig -icanon -echo') return;
		if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for raw mode (stty: ${flags})`);
		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
	}
}
