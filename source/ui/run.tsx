// The interactive screen's entry point: `runUi(config, source, first, terminal)` draws the App
// full screen in the terminal's alternate screen buffer and resolves with the exit status when
// it ends.
//
// Ink 6 has no alternate-screen option, so the escape sequences are written here (as Shopify
// cli-kit's FullScreen does): enter the alternate buffer and hide the cursor before the first
// frame; leave it on every way out, exactly once:
//   q, Ctrl-C          the app exits, status 0
//   SIGTERM SIGINT SIGQUIT   restore the terminal, status 128 + signal number (143 130 131)
//   SIGHUP, EIO on the terminal   the terminal is gone: write nothing more to it, touch no tty
//                      mode (a hung-up tty fails, and Node aborts on it), status 129
//   a render error     restore, one line on stderr, status 1
// Ctrl-Z suspends as slabtop does: the terminal is restored and the process stops (SIGTSTP);
// `fg` (SIGCONT) puts the screen back and redraws it whole. In raw mode the tty sends Ctrl-Z
// as a byte, not a signal, so the key is read here; a SIGTSTP from outside does the same.

import process from 'node:process';
import {Box, render, useStdin} from 'ink';
import {useEffect, useState, type ReactNode} from 'react';
import type {Config} from '../config/config.js';
import type {Sample, SlabSource} from '../sources/source.js';
import {App, type ScreenSettings} from './app.js';
import {ErrorBoundary} from './error-boundary.js';
import {installFastOutput} from './fast-output.js';
import {isIncrementalRenderingFixed} from './ink-fixes.js';

/** The alternate screen, with bracketed paste on (a paste then comes as one key, commands/key-parse.ts). */
export const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[2J\u001B[H\u001B[?2004h';
/**
 * Leaving clears the alternate screen first: after the terminal grew, tmux restores only the
 * rows the main screen had and leaves the rest of the alternate screen's rows on the shell.
 */
export const LEAVE_ALT_SCREEN = '\u001B[?2004l\u001B[2J\u001B[H\u001B[?1049l';
export const HIDE_CURSOR = '\u001B[?25l';
export const SHOW_CURSOR = '\u001B[?25h';
const CTRL_Z = '\u001A';

/** Exit statuses for the signals that end the screen (128 + signal number). */
const SIGNAL_STATUS = {SIGTERM: 143, SIGINT: 130, SIGQUIT: 131} as const;
export const HANGUP_STATUS = 129;

/** The terminal the screen runs in: where keys come from (the tty, or /dev/tty when stdin is a pipe) and where frames go. */
export type TerminalStreams = {stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream};

/**
 * Ends the process after a hangup as the hangup would have: killed by SIGHUP (status 129).
 * Exiting normally would not do: Node resets the terminal's mode at exit and aborts when the
 * terminal is gone ("Assertion failed" in node::ResetStdio, then a crash), which a signal's
 * default action skips.
 */
export function endAfterHangup(): void {
	process.kill(process.pid, 'SIGHUP');
}

function describe(error: unknown): string {
	return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Whether an error means the terminal is gone (hung up, closed). */
function isTerminalGone(error: unknown): boolean {
	const code = error instanceof Error && 'code' in error ? error.code : undefined;
	return code === 'EIO' || code === 'EPIPE' || code === 'ENXIO' || code === 'EBADF';
}

type ScreenControl = {
	/** Called with a function that blanks the frame for a moment, so the next frame is drawn whole. */
	onRedrawReady(redraw: () => void): void;
	onSuspendKey(): void;
};

/**
 * Around the App: hears Ctrl-Z among the keys Ink reads, and can blank the frame once so the
 * next one is written in full (after a resume the terminal shows nothing of it, while Ink's
 * incremental rendering would only rewrite the lines that changed).
 */
function Screen({control, children}: {control: ScreenControl; children: ReactNode}) {
	const {internal_eventEmitter: keys} = useStdin();
	const [isBlank, setBlank] = useState(false);
	useEffect(() => {
		control.onRedrawReady(() => {
			setBlank(true);
			setTimeout(() => {
				setBlank(false);
			}, 60);
		});
	}, [control]);
	useEffect(() => {
		const onInput = (input: string): void => {
			if (input.includes(CTRL_Z)) control.onSuspendKey();
		};

		keys.on('input', onInput);
		return () => {
			keys.off('input', onInput);
		};
	}, [keys, control]);
	return (
		<Box flexDirection="column" display={isBlank ? 'none' : 'flex'}>
			{children}
		</Box>
	);
}

/**
 * Keeps the exit handler of Ink's cursor helper (restore-cursor) from writing a stray
 * ESC[?25h to standard error when the process ends: the screen shows the cursor itself, on
 * the terminal, and standard error may be a log file.
 */
function dropExitCursorEscape(): void {
	const stderr = process.stderr;
	const write = stderr.write.bind(stderr) as (...args: unknown[]) => boolean;
	const filtered = (chunk: unknown, ...rest: unknown[]): boolean => chunk === SHOW_CURSOR || write(chunk, ...rest);
	stderr.write = filtered;
}

export async function runUi(
	config: Config,
	source: SlabSource,
	first: Sample | null = null,
	settings: ScreenSettings = {},
	terminal: TerminalStreams = {stdin: process.stdin, stdout: process.stdout},
): Promise<number> {
	const {stdin, stdout} = terminal;
	await installFastOutput();
	const incrementalRendering = await isIncrementalRenderingFixed();
	let status = 0;
	let isRestored = false;
	let isSuspended = false;
	let redraw = (): void => {};
	const setRaw = (isRaw: boolean): void => {
		if (stdin.isTTY && !stdin.destroyed) stdin.setRawMode(isRaw);
	};

	const restore = (): void => {
		if (isRestored) return;
		isRestored = true;
		setRaw(false);
		if (!stdout.destroyed) stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
	};

	/** The terminal is gone: nothing more is written to it and its mode is not touched. */
	const hangUp = (): void => {
		if (isRestored) return;
		isRestored = true;
		status = HANGUP_STATUS;
		// Ink writes nothing to a destroyed stdout, and setRawMode on a destroyed stdin does nothing.
		stdin.destroy();
		stdout.destroy();
		instance.unmount();
	};

	const onSuspendSignal = (): void => {
		suspend();
	};

	const resume = (): void => {
		if (!isSuspended || isRestored) return;
		isSuspended = false;
		process.on('SIGTSTP', onSuspendSignal);
		setRaw(true);
		stdout.write(ENTER_ALT_SCREEN + HIDE_CURSOR);
		redraw();
	};

	function suspend(): void {
		if (isSuspended || isRestored) return;
		isSuspended = true;
		setRaw(false);
		stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
		process.once('SIGCONT', resume);
		// Without a listener SIGTSTP has its default action again: the process stops here, as
		// slabtop does, until the shell's `fg` continues it. To the whole process group, as the
		// tty sends it for Ctrl-Z outside raw mode: a wrapper script stops too, so the shell sees
		// the job stopped and gives the terminal back.
		process.off('SIGTSTP', onSuspendSignal);
		process.kill(0, 'SIGTSTP');
	}

	const control: ScreenControl = {
		onRedrawReady(redrawFrame) {
			redraw = redrawFrame;
		},
		onSuspendKey: suspend,
	};

	stdout.write(ENTER_ALT_SCREEN + HIDE_CURSOR);
	// Raw mode before the first frame: a key pressed as soon as the screen shows (Ctrl-C, Ctrl-Z)
	// is a key, not a signal the tty raises; the bytes wait for the key reader.
	setRaw(true);
	let failure: unknown = null;
	const instance = render(
		<ErrorBoundary
			onError={error => {
				failure = error;
				status = 1;
				// May be called during the first render, before `instance` is assigned.
				setImmediate(() => {
					instance.unmount();
				});
			}}
		>
			<Screen control={control}>
				<App
					source={source}
					firstSample={first}
					sortKey={config.sortKey}
					delayMs={config.delaySeconds * 1000}
					notice={config.delayNotice}
					settings={settings}
				/>
			</Screen>
		</ErrorBoundary>,
		// Incremental rendering (only the lines that changed are written) where Ink's renderer has
		// its cursor fix: for a frame shorter than the terminal (which this one must be, or Ink
		// clears the screen every frame) Ink 6.8 draws every frame after the first a line lower
		// (ink-fixes-hook.ts).
		{stdin, stdout, exitOnCtrlC: false, patchConsole: true, incrementalRendering},
	);

	const onSignal = (signal: keyof typeof SIGNAL_STATUS): void => {
		status = SIGNAL_STATUS[signal];
		instance.unmount();
	};

	const onHangup = (): void => {
		hangUp();
	};

	const onStreamError = (error: unknown): void => {
		if (isTerminalGone(error)) {
			hangUp();
			return;
		}

		onUncaught(error);
	};

	const onUncaught = (error: unknown): void => {
		if (isTerminalGone(error)) {
			hangUp();
			return;
		}

		instance.unmount();
		restore();
		process.stderr.write(`slabtop-ts: ${describe(error)}\n`);
		process.exit(1);
	};

	const signals = Object.keys(SIGNAL_STATUS) as Array<keyof typeof SIGNAL_STATUS>;
	for (const signal of signals) process.on(signal, onSignal);
	process.on('SIGHUP', onHangup);
	process.on('SIGTSTP', onSuspendSignal);
	process.on('uncaughtException', onUncaught);
	process.on('unhandledRejection', onUncaught);
	stdout.on('error', onStreamError);
	stdin.on('error', onStreamError);
	dropExitCursorEscape();
	try {
		await instance.waitUntilExit();
	} catch (error) {
		failure ??= error;
		status = 1;
	} finally {
		for (const signal of signals) process.off(signal, onSignal);
		process.off('SIGHUP', onHangup);
		process.off('SIGTSTP', onSuspendSignal);
		process.off('SIGCONT', resume);
		process.off('uncaughtException', onUncaught);
		process.off('unhandledRejection', onUncaught);
		restore();
	}

	if (failure !== null) process.stderr.write(`slabtop-ts: ${describe(failure)}\n`);
	// stdin was put in raw mode and is still referenced (a /dev/tty stream is ours to close): let the process end.
	if (stdin === process.stdin) stdin.unref();
	else stdin.destroy();
	return status;
}
