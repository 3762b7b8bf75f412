// A fake terminal for the benches: a TTY stdout that counts the bytes written to it, and a TTY
// stdin that hands Ink what `send` gives it (Ink reads it in raw mode, as from a terminal).
// ink-testing-library's render would do the same but forces Ink's debug mode, which writes the
// whole frame on every render and would spoil the count of bytes an unchanged frame writes.

import {EventEmitter} from 'node:events';
import {Writable} from 'node:stream';

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
