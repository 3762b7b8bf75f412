// A fake terminal for the benches: a TTY stdout that counts the bytes written to it, and a TTY
// stdin that hands Ink what `send` gives it (Ink reads it in raw mode, as from a terminal);
// mountScreen() draws into it as the screen draws (drawAsTheScreen()).
// ink-testing-library's render would do the same but forces Ink's debug mode, which writes the
// whole frame on every render and would spoil the count of bytes an unchanged frame writes.

import {EventEmitter} from 'node:events';
import {Writable} from 'node:stream';
import {render} from 'ink';
import type {ReactElement} from 'react';
import {installFastOutput, type FastOutput} from '../source/ui/fast-output.js';
import {isIncrementalRenderingFixed} from '../source/ui/ink-fixes.js';

export class FakeTty extends Writable {
	isTTY = true;
	bytes = 0;
	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
	}

	override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
		callback();
	}
}

export class FakeStdin extends EventEmitter {
	isTTY = true;
	private readonly pending: string[] = [];
	setRawMode(): this {
		return this;
	}

	setEncoding(): this {
		return this;
	}

	ref(): this {
		return this;
	}

	unref(): this {
		return this;
	}

	resume(): this {
		return this;
	}

	pause(): this {
		return this;
	}

	read(): string | null {
		return this.pending.shift() ?? null;
	}

	send(data: string): void {
		this.pending.push(data);
		this.emit('readable');
	}
}

/** A screen drawn into a fake terminal, with a way to time a key to its frame. */
export type MountedScreen = {
	stdout: FakeTty;
	stdin: FakeStdin;
	/**
	 * Sends a key; resolves when the next frame has been rendered and written to the terminal
	 * (wall ms and this process's CPU ms), or null after `timeoutMs`.
	 */
	keyToFrame(key: string, timeoutMs?: number): Promise<{wallMs: number; cpuMs: number} | null>;
	unmount(): void;
};

/**
 * Ink's frames as the screen draws them (source/ui/run.tsx): the screen's frame assembly, and
 * incremental rendering where Ink has its cursor fix (the caller has run fixInk() before Ink
 * loaded). Returns the fast assembly (to take it out again) and whether rendering is incremental.
 */
export async function drawAsTheScreen(): Promise<{fast: FastOutput | null; incrementalRendering: boolean}> {
	const fast = await installFastOutput();
	return {fast, incrementalRendering: await isIncrementalRenderingFixed()};
}

/** Renders `element` into a fake `columns`x`rows` terminal. */
export function mountScreen(
	element: ReactElement,
	options: {columns: number; rows: number; incrementalRendering: boolean; maxFps?: number},
): MountedScreen {
	const stdout = new FakeTty(options.columns, options.rows);
	const stdin = new FakeStdin();
	let onFrame: (() => void) | null = null;
	const instance = render(element, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		exitOnCtrlC: false,
		patchConsole: false,
		incrementalRendering: options.incrementalRendering,
		...(options.maxFps === undefined ? {} : {maxFps: options.maxFps}),
		// Ink calls onRender after laying out the frame and before writing it (log-update writes
		// synchronously after it): the frame's cost ends after that write, at the next setImmediate.
		onRender() {
			if (onFrame === null) return;
			const done = onFrame;
			onFrame = null;
			setImmediate(done);
		},
	});
	return {
		stdout,
		stdin,
		async keyToFrame(key, timeoutMs = 1000) {
			return new Promise(resolve => {
				const start = performance.now();
				const cpu = process.cpuUsage();
				const timer = setTimeout(() => {
					onFrame = null;
					resolve(null);
				}, timeoutMs);
				onFrame = () => {
					clearTimeout(timer);
					const used = process.cpuUsage(cpu);
					resolve({wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000});
				};
				stdin.send(key);
			});
		},
		unmount() {
			instance.unmount();
		},
	};
}
