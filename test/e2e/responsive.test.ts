// The screen stays responsive under load, in a real terminal (tmux): held keys do not stop the
// clock, every key of a read counts, q quits at once under a heavy workload and after a big
// paste, a killed terminal ends the process quietly, and keys come from the terminal when
// standard input is a pipe.

import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {CLI, cliCommand, hasTmux, simSeconds, sleep, tmuxServer, type TmuxServer} from './tmux-pane.js';

let server: TmuxServer | null = null;
const dir = mkdtempSync(path.join(tmpdir(), 'slabtop-e2e-responsive-'));

beforeAll(() => {
	if (hasTmux) server = tmuxServer('responsive');
});

afterEach(() => {
	server?.endSessions();
});

afterAll(() => {
	server?.stop();
	rmSync(dir, {recursive: true, force: true});
});

const TABLE = 'OBJS ACTIVE  USE OBJ SIZE';

/** Milliseconds from now until the pane shows its exit line. */
async function timeToExit(pane: ReturnType<TmuxServer['start']>): Promise<{ms: number; screen: string}> {
	const start = Date.now();
	const screen = await pane.waitFor(text => text.includes('EXIT='), 'the exit', 10_000);
	return {ms: Date.now() - start, screen};
}

describe('a responsive screen in a real terminal (tmux)', () => {
	it('needs tmux and the built CLI', () => {
		expect(hasTmux, 'tmux is not installed: install it (apt-get install tmux) to run the end-to-end tests').toBe(true);
		expect(existsSync(CLI), 'dist/cli.js is missing: run node scripts/build.mjs (npm test builds first)').toBe(true);
	});

	it.runIf(hasTmux)('keeps the simulated clock going while ↓ is pressed every 100 ms', async () => {
		const pane = server!.start('held', 120, 40, cliCommand(['-w', 'steady']));
		let screen = await pane.waitFor(text => text.includes(TABLE) && (simSeconds(text) ?? 0) > 0, 'the clock running');
		await pane.waitForRawMode();
		const before = simSeconds(screen) ?? 0;
		const start = Date.now();
		for (let press = 0; press < 40; press++) {
			pane.keys('Down');
			await sleep(100);
		}

		screen = pane.screen();
		const realSeconds = (Date.now() - start) / 1000;
		const after = simSeconds(screen) ?? 0;
		// At 1x the clock follows real time, give or take a refresh (1 s) and the load of the machine.
		expect(after - before).toBeGreaterThan(realSeconds - 2);
		pane.keys('q');
		expect((await timeToExit(pane)).screen).toContain('EXIT=0');
	});

	it.runIf(hasTmux)('takes every key of one read: cb sorts by c, then by b', async () => {
		const pane = server!.start('cb', 120, 40, cliCommand(['-w', 'steady']));
		await pane.waitFor(text => text.includes(TABLE) && text.includes('sort o↓'), 'the table');
		await pane.waitForRawMode();
		pane.type('cb');
		await pane.waitFor(text => text.includes('sort b↓'), 'the sort by objects per slab');
		pane.keys('q');
		expect((await timeToExit(pane)).screen).toContain('EXIT=0');
	});

	it.runIf(hasTmux)('quits within 1 s under :workload steady rate=100', async () => {
		const pane = server!.start('rate', 120, 40, cliCommand(['-w', 'steady']));
		await pane.waitFor(text => text.includes(TABLE), 'the table');
		await pane.waitForRawMode();
		pane.type(':workload steady rate=100');
		pane.keys('Enter');
		await pane.waitFor(text => /rate/.test(text) || text.includes('steady'), 'the workload answer');
		// Let it run: the simulator falls behind its clock, the screen does not.
		await sleep(4000);
		expect(pane.screen()).toContain(TABLE);
		pane.keys('q');
		const {ms, screen} = await timeToExit(pane);
		expect(screen).toContain('EXIT=0');
		expect(ms).toBeLessThan(1000);
	});

	it.runIf(hasTmux)('a 100 KB paste into the command bar leaves q working within 2 s', async () => {
		const pane = server!.start('paste', 120, 40, cliCommand(['-w', 'steady']));
		await pane.waitFor(text => text.includes(TABLE), 'the table');
		await pane.waitForRawMode();
		pane.type(':');
		await pane.waitFor(text => text.includes('(Enter runs'), 'the command bar');
		// 100 KB: a thousand lines of about a hundred characters, each an allocation.
		const line = `alloc ${'x'.repeat(93)}\n`;
		pane.paste(line.repeat(1000));
		pane.keys('q');
		const {ms, screen} = await timeToExit(pane);
		expect(screen).toContain('EXIT=0');
		expect(ms).toBeLessThan(2000);
	});

	it.runIf(hasTmux)('ends quietly with status 129 when the terminal is killed', async () => {
		const stderrFile = path.join(dir, 'hangup.err');
		const statusFile = path.join(dir, 'hangup.status');
		// A shell that outlives the hangup (it traps SIGHUP) writes the status down.
		const cli = [process.execPath, CLI, '-w', 'steady'].map(arg => `'${arg}'`).join(' ');
		const command = `bash -c "trap : HUP; env -u CI TERM=xterm-256color ${cli} 2>'${stderrFile}'; echo \\$? > '${statusFile}'"`;
		const pane = server!.start('hangup', 120, 40, command);
		await pane.waitFor(text => text.includes(TABLE), 'the table');
		server!.tmux('kill-session', '-t', pane.session);
		const start = Date.now();
		while (!existsSync(statusFile) && Date.now() - start < 5000) await sleep(50);
		expect(readFileSync(statusFile, 'utf8').trim()).toBe('129');
		expect(readFileSync(stderrFile, 'utf8')).toBe('');
	});

	it.runIf(hasTmux)('leaves no rows of the screen on the shell after the terminal grew', async () => {
		const pane = server!.start('grown', 80, 24, cliCommand(['-w', 'steady']));
		await pane.waitFor(text => text.includes(TABLE), 'the table');
		await pane.waitForRawMode();
		server!.tmux('resize-window', '-t', pane.session, '-x', '120', '-y', '40');
		await pane.waitFor(text => text.includes('ACTIVE, 1 MIN'), 'the wide table');
		pane.keys('q');
		const {screen} = await timeToExit(pane);
		expect(screen.split('\n').filter(line => line.trim() !== '')).toEqual(['EXIT=0']);
	});

	it.runIf(hasTmux)('reads keys from the terminal when commands are piped to --exec -', async () => {
		const pane = server!.start('exec', 120, 40, cliCommand(['--exec', '-'], {stdin: "printf 'alloc hello\\nshow\\n'"}));
		let screen = await pane.waitFor(text => text.includes(TABLE), 'the table');
		await pane.waitForRawMode();
		pane.keys('Tab', 'Tab');
		screen = await pane.waitFor(text => text.includes('Events, newest first'), 'the events view');
		expect(screen).toContain('alloc hello');
		pane.keys('q');
		expect((await timeToExit(pane)).screen).toContain('EXIT=0');
	});
});
