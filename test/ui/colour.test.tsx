// The marks that only colour shows: the sort column's header and the selected row are drawn
// inverse (ESC[7m … ESC[27m). ink-testing-library's frames carry no escapes unless chalk sees a
// colour terminal, and chalk decides when it is first imported: FORCE_COLOR is set before Ink
// and the views are imported (vitest gives every test file its own modules).

import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import type * as Fakes from '../helpers/fake-sources.js';
import type * as Harness from '../helpers/render-app.js';
import type {AppHarness} from '../helpers/render-app.js';

process.env.FORCE_COLOR = '1';

let harness: typeof Harness;
let fakes: typeof Fakes;
beforeAll(async () => {
	harness = await import('../helpers/render-app.js');
	fakes = await import('../helpers/fake-sources.js');
});

let app: AppHarness | null = null;
afterEach(() => {
	app?.unmount();
	app = null;
});

const INVERSE = '\u001B[7m';
const INVERSE_OFF = '\u001B[27m';

/** The texts drawn inverse in a frame, escapes other than inverse removed. */
function inverseTexts(frame: string): string[] {
	const texts: string[] = [];
	for (const part of frame.split(INVERSE).slice(1)) {
		const end = part.indexOf(INVERSE_OFF);
		texts.push((end < 0 ? part : part.slice(0, end)).replaceAll(/\p{Cc}\[\d+m/gu, '').trim());
	}

	return texts;
}

describe('marks drawn in inverse video', () => {
	it("marks the sort column's header, following the sort key", async () => {
		const {renderApp} = harness;
		const {fakeSource, cacheRow} = fakes;
		app = renderApp(fakeSource([[cacheRow('dentry'), cacheRow('inode_cache')]]), {sortKey: 'a'});
		let frame = await app.waitFor(text => text.includes('dentry'));
		expect(frame).toContain(INVERSE);
		expect(inverseTexts(frame)).toContain('ACTIVE');
		expect(inverseTexts(frame)).not.toContain('NAME');
		await app.press('n');
		frame = await app.waitFor(text => inverseTexts(text).includes('NAME'));
		expect(inverseTexts(frame)).not.toContain('ACTIVE');
	});

	it('draws the selected row inverse, and only that row; the arrows move it', async () => {
		const {renderApp, KEYS} = harness;
		const {fakeSource, cacheRow} = fakes;
		app = renderApp(fakeSource([[cacheRow('aaa_cache'), cacheRow('bbb_cache'), cacheRow('ccc_cache')]]), {
			sortKey: 'n',
		});
		let frame = await app.waitFor(text => text.includes('ccc_cache'));
		const rowsInverse = (text: string): string[] => inverseTexts(text).filter(part => part.includes('_cache'));
		expect(rowsInverse(frame)).toHaveLength(1);
		expect(rowsInverse(frame)[0]).toMatch(/ aaa_cache$/);
		await app.press(KEYS.down);
		frame = await app.waitFor(text => rowsInverse(text).some(part => part.endsWith(' bbb_cache')));
		expect(rowsInverse(frame)).toHaveLength(1);
	});
});

describe('the mono palette (NO_COLOR, or "palette": "mono" in the settings file)', () => {
	// A foreground colour: ESC [ 30–37 or 90–97 m.
	const COLOUR = new RegExp(`${String.fromCharCode(27)}\\[(3[0-7]|9[0-7])m`);

	it('draws the status line in colour by default, with no colour in mono; inverse marks stay', async () => {
		const {renderApp} = harness;
		const {fakeSource, cacheRow} = fakes;
		app = renderApp(fakeSource([[cacheRow('dentry')]]));
		expect(await app.waitFor(text => text.includes('dentry'))).toMatch(COLOUR);
		app.unmount();
		app = renderApp(fakeSource([[cacheRow('dentry')]]), {
			settings: {palette: 'mono', note: 'cfg: not valid JSON; using the defaults'},
		});
		const frame = await app.waitFor(text => text.includes('dentry'));
		expect(frame).not.toMatch(COLOUR);
		expect(frame).toContain(INVERSE);
		expect(frame).toContain('! cfg: not valid JSON; using the defaults');
	});
});
