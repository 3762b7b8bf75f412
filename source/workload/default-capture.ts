// The simulator's default boot image: a capture of a real Linux 6.18 machine (2 CPUs), written
// as root by `slabtop-ts --capture FILE` (scripts/capture-default.sh). Main entry: defaultCapture().

import raw from './captures/linux-6.18.44-fc-v669-2cpu.json' with {type: 'json'};
import {checkCapture, type Capture} from './capture.js';

export const DEFAULT_CAPTURE_FILE = 'source/workload/captures/linux-6.18.44-fc-v669-2cpu.json';

let cached: Capture | null = null;

/** The committed capture, checked once. */
export function defaultCapture(): Capture {
	if (cached !== null) return cached;
	const checked = checkCapture(raw, DEFAULT_CAPTURE_FILE);
	if (!checked.ok) throw new Error(checked.error.message); // a bug: the committed file is checked by the tests
	cached = checked.value;
	return cached;
}
