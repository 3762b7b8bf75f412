// The interactive screen's entry point: `runUi(config, source)` draws the App full screen in
// the terminal's alternate screen buffer and resolves with the exit status when it ends.
//
// Ink 6 has no alternate-screen option, so the escape sequences are written here (as Shopify
// cli-kit's FullScreen does): enter the alternate buffer and hide the cursor before the first
// frame; on q or Ctrl-C (the app exits), SIGTERM, SIGINT, SIGHUP, or an uncaught error, show
// the cursor, leave the buffer and take stdin out of raw mode, exactly once.

import process from 'node:process';
import {render} from 'ink';
import type {Config} from '../config/config.js';
import type {Sample, SlabSource} from '../sources/source.js';
import {App, type ScreenSettings} from './app.js';
import {ErrorBoundary} from './error-boundary.js';

export const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[2J\u001B[H';
export const LEAVE_ALT_SCREEN = '\u001B[?1049l';
export const HIDE_CURSOR = '\u001B[?25l';
export const SHOW_CURSOR = '\u001B[?25h';

/** Exit statuses for the signals that end the screen (128 + signal number). */
const SIGNAL_STATUS = {SIGTERM: 143, SIGINT: 130, SIGHUP: 129} as const;

function describe(error: unknown): string {
	return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export async function runUi(config: Config, source: SlabSource, first: Sample | null = null, settings: ScreenSettings = {}): Promise<number> {
	const {stdout, stdin} = process;
	let status = 0;
	let isRestored = false;
	const restore = (): void => {
		if (isRestored) return;
		isRestored = true;
		if (stdin.isTTY) stdin.setRawMode(false);
		stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
	};

	stdout.write(ENTER_ALT_SCREEN + HIDE_CURSOR);
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
			<App source={source} firstSample={first} sortKey={config.sortKey} delayMs={config.delaySeconds * 1000} settings={settings} />
		</ErrorBoundary>,
		{exitOnCtrlC: false, patchConsole: true},
	);

	const onSignal = (signal: keyof typeof SIGNAL_STATUS): void => {
		status = SIGNAL_STATUS[signal];
		instance.unmount();
	};

	const onUncaught = (error: unknown): void => {
		instance.unmount();
		restore();
		process.stderr.write(`slabtop-ts: ${describe(error)}\n`);
		process.exit(1);
	};

	const signals = Object.keys(SIGNAL_STATUS) as Array<keyof typeof SIGNAL_STATUS>;
	for (const signal of signals) process.on(signal, onSignal);
	process.on('uncaughtException', onUncaught);
	process.on('unhandledRejection', onUncaught);
	try {
		await instance.waitUntilExit();
	} catch (error) {
		failure ??= error;
		status = 1;
	} finally {
		for (const signal of signals) process.off(signal, onSignal);
		process.off('uncaughtException', onUncaught);
		process.off('unhandledRejection', onUncaught);
		restore();
	}

	if (failure !== null) process.stderr.write(`slabtop-ts: ${describe(failure)}\n`);
	// stdin was put in raw mode and is still referenced; let the process end.
	stdin.unref();
	return status;
}
