import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {openTraceFile} from '../../source/sources/trace-write.js';

const dir = mkdtempSync(path.join(tmpdir(), 'slabtop-trace-'));
afterAll(() => {
	rmSync(dir, {recursive: true, force: true});
});

describe('openTraceFile (--trace FILE)', () => {
	it('writes the buffered lines at flush and at close, in order, and nothing after close', () => {
		const file = path.join(dir, 'a.trace');
		const opened = openTraceFile(file);
		if (!opened.ok) throw new Error(opened.error.message);
		const writer = opened.value;
		writer.write('one');
		writer.write('two');
		expect(readFileSync(file, 'utf8')).toBe('');
		expect(writer.flush()).toBeNull();
		expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n');
		writer.write('three');
		writer.close();
		writer.write('four');
		expect(readFileSync(file, 'utf8')).toBe('one\ntwo\nthree\n');
	});

	it('says in one line why it cannot create the file', () => {
		const opened = openTraceFile(path.join(dir, 'missing', 'a.trace'));
		expect(opened.ok ? null : opened.error.message).toBe(
			`${path.join(dir, 'missing', 'a.trace')}: cannot create (no such directory)`,
		);
	});
});
