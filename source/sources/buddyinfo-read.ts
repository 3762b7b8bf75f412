// File access for /proc/buddyinfo: `readBuddyinfo(file)` → its zones, or one line saying why not.

import {readFileSync} from 'node:fs';
import {failWith, type Result} from '../result.js';
import {parseBuddyinfo, type BuddyZone} from './buddyinfo-parse.js';

export const PROC_BUDDYINFO = '/proc/buddyinfo';

export function readBuddyinfo(file: string = PROC_BUDDYINFO): Result<BuddyZone[], {kind: string; message: string}> {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = error instanceof Error && 'code' in error ? String(error.code) : 'error';
		return failWith({kind: 'unreadable', message: `${file}: cannot read it (${code})`});
	}

	return parseBuddyinfo(text, file);
}
