// End to end in a real terminal (tmux): the operation trace, the objects of a slab and explain on
// the simulator, after a known sequence typed into the command bar. Expected figures are worked
// out from mm/slub.c (6.18), 2 CPUs: a 256-byte NO_MERGE cache gets order-0 slabs of 16 objects
// (calculate_order: min_objects 4 × (fls(2) + 1) = 12 ≤ 16).

import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLI, hasTmux, tmuxServer, type Pane, type TmuxServer} from './tmux-pane.js';

let server: TmuxServer | undefined;
let pane: Pane | undefined;

const screen = (): string => pane!.screen();
const keys = (...k: string[]): void => {
	pane!.keys(...k);
};

const waitFor = async (predicate: (text: string) => boolean, what: string): Promise<string> =>
	pane!.waitFor(predicate, what, 10_000);

/** Type a command-bar line and wait for its answer. */
async function command(line: string, answer: string): Promise<void> {
	keys(':');
	await waitFor(text => /^:\s*$/m.test(text) || text.includes('\n:'), 'the command bar');
	keys('-l', line);
	keys('Enter');
	await waitFor(text => text.includes(answer), `the answer to ${line}`);
}

beforeAll(() => {
	if (!hasTmux) return;
	server = tmuxServer('teach');
	const quoted = [process.execPath, CLI, '-w', 'none', '--exec', 'pause; create tr_test 256 flags=NO_MERGE']
		.map(arg => `'${arg}'`)
		.join(' ');
	pane = server.start('teach', 140, 45, `env -u CI TERM=xterm-256color ${quoted}; sleep 600`);
});

afterAll(() => {
	server?.stop();
});

describe('seeing SLUB work in a real terminal (tmux)', () => {
	it.runIf(hasTmux)(
		'opens the trace of a cache, the objects of its slabs and explain, with the figures mm/slub.c gives',
		async () => {
			await waitFor(text => text.includes('OBJS ACTIVE'), 'the table');
			expect(screen()).toContain('no workload: `:workload steady` starts one');
			// The screen takes the keyboard a moment after its first frame (raw mode).
			await pane!.waitForRawMode();
			keys('/');
			await waitFor(text => text.includes('(Enter keeps, Esc clears)'), 'the filter');
			keys('-l', 'tr_test');
			keys('Enter');
			await waitFor(
				text => /\dK tr_test\s/.test(text) && text.includes("filter 'tr_test' (Esc clears)"),
				'the tr_test row alone',
			);
			keys('Enter');
			await waitFor(text => text.includes('tr_test  (Esc back)'), 'the detail view');
			keys('t');
			await waitFor(text => text.includes('Operation trace: tr_test') && text.includes('PAUSED'), 'the trace view');

			// 17 allocations on CPU 0: a new slab, 15 from the CPU freelist, then the full slab is
			// dropped (deactivate_bypass) and a second new slab is taken.
			await command('alloc -c tr_test -n 17', '17');
			let text = await waitFor(t => t.includes('deactivate_bypass'), 'the trace lines');
			expect(text).toMatch(
				/kmem_cache_alloc: call_site=\S+ ptr=ffff888[0-9a-f]{9} bytes_req=256 bytes_alloc=256 gfp_flags=GFP_KERNEL/,
			);
			expect(text).toContain('└ cpu slab full, left on no list (deactivate_bypass); new slab order 0 from buddy');
			expect(text).toMatch(/└ alloc_fastpath \(cpu freelist\) → slab 0x[0-9a-f]{8} 16\/16 frozen \(cpu slab\)/);
			keys('f');
			await waitFor(t => t.includes('path: slow paths only'), 'the slow-path filter');
			keys('f');
			text = await waitFor(t => t.includes('path: new slabs'), 'the new-slab path filter');
			expect(text.match(/new slab order 0 from buddy/g)?.length).toBe(2);

			// Back to the detail view: the slab map has the two slabs; each one's objects.
			keys('Escape');
			await waitFor(t => t.includes('OBJS ACTIVE'), 'the table');
			keys('Enter');
			await waitFor(t => t.includes('Slab map: 2 slabs'), 'the slab map');
			const slabs: string[] = [];
			for (const [index, move] of [[], ['Right']].entries()) {
				if (move.length > 0) keys(...move);
				await waitFor(t => t.includes(`◆ slab ${index + 1} of 2:`), `slab ${index + 1} chosen on the map`);
				keys('Enter');
				slabs.push(await waitFor(t => t.includes('Objects of one slab'), 'the objects of a slab'));
				keys('Escape');
				await waitFor(t => t.includes('Slab map: 2 slabs'), 'the slab map again');
			}
			const full = slabs.find(s => s.includes('16/16 in use')) ?? '';
			const cpuSlab = slabs.find(s => s.includes('frozen: the cpu slab of CPU 0')) ?? '';
			expect(full).toContain('full: on no list');
			// The second slab: object 0 handed out, the other 15 on CPU 0's freelist in address order.
			expect(cpuSlab).toContain('1/16 in use (inuse 16)');
			expect(cpuSlab).toContain('   0  ██   c1   c2   c3   c4   c5   c6   c7   c8   c9   c10  c11  c12  c13  c14  c15');

			// Explain USE: no slab is on the node partial list, so all 32 slots count as active
			// although only 17 objects are allocated.
			keys('Escape');
			await waitFor(t => t.includes('OBJS ACTIVE'), 'the table');
			keys('u');
			await waitFor(t => t.includes('sort u↓'), 'the USE sort');
			keys('e');
			text = await waitFor(t => t.includes('USE of tr_test'), 'explain');
			expect(text).toContain('USE = 32 / 32 = 100.0 % → shown as 100%');
			expect(text).toContain('objects really in use: 17 / 32 = 53.1 %');
			keys('Left');
			await waitFor(t => t.includes('ACTIVE of tr_test'), 'explain ACTIVE');
			keys('Left');
			text = await waitFor(t => t.includes('OBJS of tr_test'), 'explain OBJS');
			expect(text).toContain('slabs × objects per slab = 2 × 16 = 32');
			keys('q');
		},
	);
});
