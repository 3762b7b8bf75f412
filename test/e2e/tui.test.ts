// End to end in a real terminal: the built CLI (dist/cli.js, built by vitest's global setup)
// runs in a tmux pane at 120x40 and 80x24; keys go in with send-keys and the screen comes back
// with capture-pane, polled until it shows what is expected.

import {existsSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {CLI, ROOT, hasTmux, tmuxServer, type Pane, type TmuxServer} from './tmux-pane.js';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'slabinfo', 'real-1.txt');

let server: TmuxServer | undefined;
beforeAll(() => {
	if (hasTmux) server = tmuxServer('tui');
});

afterEach(() => {
	server?.endSessions();
});

afterAll(() => {
	server?.stop();
});

const tmux = (...args: string[]): string => server!.tmux(...args);

// A settings file of the user's must not change what the test sees: an empty config home.
const CONFIG_HOME = mkdtempSync(path.join(tmpdir(), 'slabtop-e2e-config-'));

/**
 * Starts the CLI in a detached tmux session; when it ends the shell prints its exit status and
 * the terminal's echo and icanon flags as stty sees them (`STTY=icanon echo` when raw mode was left).
 */
function start(name: string, columns: number, rows: number, args: string[]): Pane {
	const quoted = [process.execPath, CLI, ...args].map(arg => `'${arg}'`).join(' ');
	const flags = `stty -a | tr -s ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '`;
	// CI=… would make Ink print only the last frame: the test wants what a user sees.
	const command = `env -u CI -u NO_COLOR TERM=xterm-256color XDG_CONFIG_HOME=${CONFIG_HOME} ${quoted}; echo "EXIT=$?"; echo "STTY=$(${flags})"; sleep 600`;
	return server!.start(name, columns, rows, command);
}

/** After the exit: the pane's terminal is back in cooked mode with echo. */
async function expectCookedMode(pane: Pane): Promise<void> {
	const screen = await pane.waitFor(text => text.includes('STTY='), 'the stty line');
	expect(/STTY=(.*)/.exec(screen)?.[1].trim()).toBe('icanon echo');
}

function firstRowName(screen: string): string {
	const lines = screen.split('\n');
	const heading = lines.findIndex(line => line.includes('OBJS ACTIVE'));
	return lines[heading + 1]?.trim().split(/\s+/)[7] ?? '';
}

async function exercise(pane: Pane, columns: number, rows: number): Promise<void> {
	let screen = await pane.waitFor(text => text.includes('OBJS ACTIVE  USE OBJ SIZE'), 'the table');
	expect(screen).toContain('Active / Total Objects (% used)    : 166879 / 185853 (89.8%)');
	expect(screen).toContain('Minimum / Average / Maximum Object : 0.01K / 0.24K / 50.25K');
	expect(firstRowName(screen)).toBe('dentry');
	const lines = screen.replace(/\n$/, '').split('\n');
	expect(lines.length).toBe(rows);
	for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);

	await pane.waitForRawMode();
	pane.keys('n');
	screen = await pane.waitFor(text => text.includes('sort n↓'), 'the name sort');
	pane.keys('Home');
	screen = await pane.waitFor(text => firstRowName(text) === 'AF_VSOCK', 'rows in name order');

	pane.keys('s', 'Home');
	screen = await pane.waitFor(
		text => text.includes('sort s↓') && firstRowName(text) === 'kvm_vcpu',
		'the object-size sort',
	);

	pane.keys('Enter');
	screen = await pane.waitFor(text => text.includes('kvm_vcpu  (Esc back)'), 'the detail view');
	expect(screen).toContain('or the simulator (--source sim).');
	pane.keys('Escape');
	await pane.waitFor(text => text.includes('OBJS ACTIVE'), 'the table again');

	pane.keys('Tab');
	screen = await pane.waitFor(text => text.includes('Memory: the page allocator'), 'the memory view');
	expect(screen).toContain('Pages used by slabs (from slabinfo): 11327');

	pane.keys('q');
	screen = await pane.waitFor(text => text.includes('EXIT='), 'the exit');
	expect(screen).toContain('EXIT=0');
	// Back on the normal screen: the UI's lines are gone (the alternate buffer was left).
	expect(screen).not.toContain('Active / Total Objects');
	expect(tmux('display-message', '-p', '-t', pane.session, '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
	await expectCookedMode(pane);
}

describe('the full screen in a real terminal (tmux)', () => {
	it('needs tmux and the built CLI', () => {
		expect(hasTmux, 'tmux is not installed: install it (apt-get install tmux) to run the end-to-end tests').toBe(true);
		expect(existsSync(CLI), "dist/cli.js is missing: vitest's global setup builds it").toBe(true);
	});

	it.runIf(hasTmux)('draws, sorts, opens views and quits cleanly at 120x40', async () => {
		await exercise(start('wide', 120, 40, ['--source', FIXTURE]), 120, 40);
	});

	it.runIf(hasTmux)('draws, sorts, opens views and quits cleanly at 80x24', async () => {
		await exercise(start('narrow', 80, 24, ['--source', FIXTURE]), 80, 24);
	});

	it.runIf(hasTmux)('says it is cropped in a 60x16 terminal, and quits on Ctrl-C', async () => {
		const pane = start('small', 60, 16, ['--source', FIXTURE]);
		await pane.waitFor(text => text.includes('cropped: 60x16'), 'the cropped note');
		// Drawn is not yet reading keys: before raw mode, Ctrl-C is the tty's SIGINT (status 130).
		await pane.waitForRawMode();
		pane.keys('C-c');
		const screen = await pane.waitFor(text => text.includes('EXIT='), 'the exit');
		expect(screen).toContain('EXIT=0');
		await expectCookedMode(pane);
	});

	it.runIf(hasTmux)('re-lays out when the terminal is resized, and says when it is cropped', async () => {
		const pane = start('resize', 120, 40, ['--source', FIXTURE]);
		await pane.waitFor(text => text.includes('OBJS ACTIVE') && !text.includes('cropped'), 'the table');
		tmux('resize-window', '-t', pane.session, '-x', '70', '-y', '20');
		let screen = await pane.waitFor(text => text.includes('cropped: 70x20'), 'the cropped note');
		const lines = screen.replace(/\n$/, '').split('\n');
		expect(lines.length).toBe(20);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(70);
		expect(screen).toContain('OBJS ACTIVE');
		tmux('resize-window', '-t', pane.session, '-x', '100', '-y', '30');
		screen = await pane.waitFor(
			text => !text.includes('cropped') && text.includes('OBJS ACTIVE'),
			'the uncropped table',
		);
		expect(screen.replace(/\n$/, '').split('\n').length).toBe(30);
		await pane.waitForRawMode();
		pane.keys('q');
		await pane.waitFor(text => text.includes('EXIT=0'), 'the exit');
	});

	it.runIf(hasTmux)('restores the terminal on SIGTERM', async () => {
		const pane = start('term', 100, 30, ['--source', FIXTURE]);
		await pane.waitFor(text => text.includes('OBJS ACTIVE'), 'the table');
		// The pane's shell runs the CLI as its one child: signal that process by its id.
		const child = pane.childPid();
		expect(child).toBeGreaterThan(0);
		process.kill(child, 'SIGTERM');
		const screen = await pane.waitFor(text => text.includes('EXIT='), 'the exit');
		expect(screen).toContain('EXIT=143');
		expect(tmux('display-message', '-p', '-t', pane.session, '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
		await expectCookedMode(pane);
	});

	it.runIf(hasTmux)('runs the simulator screen', async () => {
		const pane = start('sim', 120, 40, ['--source', 'sim', '--seed', '1']);
		let screen = await pane.waitFor(text => text.includes('OBJS ACTIVE') && text.includes('t='), 'the simulator table');
		expect(screen).toMatch(/running|PAUSED/);
		await pane.waitForRawMode();
		pane.keys('Enter');
		screen = await pane.waitFor(
			text => text.includes('(Esc back)') && text.includes('Slabs by state'),
			'the sim detail',
		);
		pane.keys('Escape');
		await pane.waitFor(text => text.includes('OBJS ACTIVE'), 'the table again');
		pane.keys('Tab');
		screen = await pane.waitFor(text => text.includes('Node 0, zone   Normal'), 'the buddyinfo line');
		pane.keys('q');
		screen = await pane.waitFor(text => text.includes('EXIT='), 'the exit');
		expect(screen).toContain('EXIT=0');
		await expectCookedMode(pane);
	});

	it.runIf(hasTmux)('draws every frame in place: each line once, where it belongs, refresh after refresh', async () => {
		// Ink writes only the lines that changed (incremental rendering); a frame drawn a line
		// too low would leave the lines of the one before above it.
		const pane = start('inplace', 100, 30, ['--source', 'sim', '--seed', '1', '-d', '1']);
		await pane.waitFor(text => /sim {2}t=[1-9]/.test(text), 'the simulator running');
		const clock = (text: string): string => /sim {2}t=(\S+)/.exec(text)?.[1] ?? '';
		// Four refreshes, each drawn incrementally over the one before.
		let screen = pane.screen();
		for (let refresh = 0; refresh < 4; refresh++) {
			const before = clock(screen);
			screen = await pane.waitFor(text => clock(text) !== before, `refresh ${refresh + 1}`);
		}

		const lines = screen.replace(/\n$/, '').split('\n');
		expect(lines).toHaveLength(30);
		const rowsOf = (pattern: RegExp): number[] => lines.flatMap((line, index) => (pattern.test(line) ? [index] : []));
		expect(rowsOf(/Active \/ Total Objects/)).toEqual([0]);
		expect(rowsOf(/^sim {2}t=/)).toEqual([5]);
		expect(rowsOf(/OBJS ACTIVE/)).toEqual([7]);
		// The frame is one line shorter than the terminal: the key hints are its last line.
		expect(rowsOf(/^q quit {2}\? help/)).toEqual([28]);
		expect(lines[29]).toBe('');
		pane.keys('q');
		await pane.waitFor(text => text.includes('EXIT=0'), 'the exit');
	});
});
