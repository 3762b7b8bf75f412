// Renders the App with ink-testing-library at a fixed terminal size, with helpers to press
// keys (as the escape sequences a terminal sends) and to wait for the frame to change.

import {render} from 'ink-testing-library';
import type {SortKey} from '../../source/report/sort.js';
import type {SlabSource} from '../../source/sources/source.js';
import {App, type ScreenSettings} from '../../source/ui/app.js';

export const KEYS = {
	up: '\u001B[A',
	down: '\u001B[B',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	home: '\u001B[H',
	end: '\u001B[F',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	backspace: '\u007F',
	ctrlC: '\u0003',
} as const;

export type AppHarness = {
	frame(): string;
	/** Writes keys one by one, waiting after each for the frame to settle. */
	press(...keys: string[]): Promise<void>;
	/** Waits until the frame satisfies `predicate` (fails after `timeoutMs`). */
	waitFor(predicate: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
	unmount(): void;
};

const sleep = async (ms: number): Promise<void> =>
	new Promise(resolve => {
		setTimeout(resolve, ms);
	});

export function renderApp(
	source: SlabSource,
	options: {columns?: number; rows?: number; sortKey?: SortKey; delayMs?: number; settings?: ScreenSettings} = {},
): AppHarness {
	const instance = render(
		<App
			source={source}
			sortKey={options.sortKey ?? 'o'}
			delayMs={options.delayMs ?? 600_000}
			size={{columns: options.columns ?? 100, rows: options.rows ?? 40}}
			settings={options.settings}
		/>,
	);
	const frame = (): string => instance.lastFrame() ?? '';
	const waitFor = async (predicate: (frame: string) => boolean, timeoutMs = 2000): Promise<string> => {
		const start = Date.now();
		while (!predicate(frame())) {
			if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting; last frame:\n${frame()}`);
			await sleep(5);
		}

		return frame();
	};

	return {
		frame,
		async press(...keys) {
			for (const key of keys) {
				const before = instance.frames.length;
				instance.stdin.write(key);
				// A key may change nothing on screen: wait for a new frame briefly, then go on.
				const start = Date.now();
				while (instance.frames.length === before && Date.now() - start < 100) await sleep(2);
				await sleep(key === KEYS.escape ? 60 : 5);
			}
		},
		waitFor,
		unmount: () => {
			instance.unmount();
		},
	};
}

/** The cache names in the table part of a frame, top to bottom. */
export function tableNames(frame: string, names: readonly string[]): string[] {
	const known = new Set(names);
	const shown: string[] = [];
	for (const line of frame.split('\n')) {
		const match = /^\s*\d+\s+\d+\s+\d+%\s+[\d.]+K\s+\d+\s+\d+\s+\d+K (\S+)/.exec(line);
		if (match !== null && known.has(match[1])) shown.push(match[1]);
	}

	return shown;
}
