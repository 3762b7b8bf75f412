// A tmux server of one test file's own (its own socket), and panes that run the built CLI:
// keys go in with send-keys (or a paste buffer), the screen comes back with capture-pane.

import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {waitForRawMode} from '../helpers/tmux-tty.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

export const sleep = async (ms: number): Promise<void> =>
	new Promise(resolve => {
		setTimeout(resolve, ms);
	});

export type Pane = {
	session: string;
	screen(): string;
	waitFor(predicate: (screen: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
	keys(...keys: string[]): void;
	/** Literal text, as typed. */
	type(text: string): void;
	/** Pastes `text` as a terminal paste (tmux paste-buffer; bracketed when the screen asked for it). */
	paste(text: string): void;
	/** The pid of the process the pane's shell runs. */
	childPid(): number;
	/** Resolves once the pane's terminal is in raw mode: keys typed from then on reach the screen as keys. */
	waitForRawMode(): Promise<void>;
};

export type TmuxServer = {
	tmux(...args: string[]): string;
	/** Starts `command` (a shell command line) in a detached session of `columns`x`rows`. */
	start(name: string, columns: number, rows: number, command: string): Pane;
	/** Ends the sessions started since the last call. */
	endSessions(): void;
	stop(): void;
};

export function tmuxServer(tag: string): TmuxServer {
	const socket = `slabtop-e2e-${tag}-${process.pid}`;
	let sessions: string[] = [];
	const tmux = (...args: string[]): string => {
		const result = spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
		if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`);
		return result.stdout;
	};

	// A session that lives as long as the tests keeps the server up between tests.
	tmux('new-session', '-d', '-s', 'keepalive', 'sleep 3600');
	return {
		tmux,
		start(name, columns, rows, command) {
			const session = `${tag}-${name}`;
			sessions.push(session);
			tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), command);
			const screen = (): string => tmux('capture-pane', '-p', '-t', session);
			return {
				session,
				screen,
				async waitFor(predicate, what, timeoutMs = 30_000) {
					const start = Date.now();
					for (;;) {
						const text = screen();
						if (predicate(text)) return text;
						if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; screen:\n${text}`);
						await sleep(50);
					}
				},
				keys(...keys) {
					tmux('send-keys', '-t', session, ...keys);
				},
				type(text) {
					tmux('send-keys', '-t', session, '-l', text);
				},
				paste(text) {
					const buffer = `paste-${session}`;
					const loaded = spawnSync('tmux', ['-L', socket, 'load-buffer', '-b', buffer, '-'], {input: text});
					if (loaded.status !== 0) throw new Error(`tmux load-buffer: ${String(loaded.stderr)}`);
					tmux('paste-buffer', '-p', '-d', '-b', buffer, '-t', session);
				},
				async waitForRawMode() {
					await waitForRawMode(socket, session);
				},
				childPid() {
					const shell = tmux('list-panes', '-t', session, '-F', '#{pane_pid}').trim();
					const child = spawnSync('pgrep', ['-P', shell], {encoding: 'utf8'}).stdout.trim().split('\n')[0];
					return Number(child);
				},
			};
		},
		endSessions() {
			for (const session of sessions) spawnSync('tmux', ['-L', socket, 'kill-session', '-t', session]);
			sessions = [];
		},
		stop() {
			spawnSync('tmux', ['-L', socket, 'kill-server']);
		},
	};
}

/** A shell command line that runs the CLI with `args` (CI unset: Ink would print only the last frame), then says how it ended. */
export function cliCommand(args: readonly string[], options: {stdin?: string; stderrFile?: string} = {}): string {
	const quoted = [process.execPath, CLI, ...args].map(arg => `'${arg}'`).join(' ');
	const stdin = options.stdin === undefined ? '' : `${options.stdin} | `;
	const stderr = options.stderrFile === undefined ? '' : ` 2>'${options.stderrFile}'`;
	return `${stdin}env -u CI TERM=xterm-256color ${quoted}${stderr}; echo "EXIT=$?"; sleep 600`;
}

/** The simulated time the status line shows, in seconds (t=1.23s, t=1m05.2s). */
export function simSeconds(screen: string): number | null {
	const match = /t=(?:(\d+)h)?(?:(\d+)m)?([\d.]+)?s?\s/.exec(screen);
	if (match === null) return null;
	return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}
