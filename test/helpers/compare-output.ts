// Setup for the unit project: every frame Ink draws in these tests is assembled by the screen's
// fast Output.get() (source/ui/fast-output.ts), as on a real terminal, and also by Ink's own
// get(); a test fails if the two strings differ for any of its frames.

import {afterEach, expect} from 'vitest';
import {
	fastGet,
	installFastOutput,
	loadInkOutput,
	type OutputLike,
	type OutputResult,
} from '../../source/ui/fast-output.js';

const fast = await installFastOutput();
if (fast === null) throw new Error('compare-output: the fast frame assembly is not installed (is Ink 6.8.x?)');
const {Output} = await loadInkOutput();
const {inkGet} = fast;

type Mismatch = {ours: OutputResult; ink: OutputResult};
const mismatches: Mismatch[] = [];
/** Frames compared so far in this test file. */
export const compared = {frames: 0};

Output.prototype.get = function (this: OutputLike): OutputResult {
	const ours = fastGet.call(this);
	const ink = inkGet.call(this);
	compared.frames++;
	if (ours.output !== ink.output || ours.height !== ink.height) mismatches.push({ours, ink});
	return ours;
};

afterEach(() => {
	const found = mismatches.splice(0);
	expect(found, 'frames where the fast Output.get() differs from Ink 6.8').toEqual([]);
});
