import {describe, expect, it} from 'vitest';
import {EMPTY_LINE, lineText} from '../../source/commands/line-editor.js';
import {modeAfter, normalise, reduce, screenReducer} from '../../source/commands/reduce.js';
import {initialState, type Frame, type UiCommand, type UiState} from '../../source/commands/state.js';
import {cacheRow} from '../helpers/fake-sources.js';

const NAMES = Array.from({length: 50}, (_, index) => `cache-${String(index).padStart(2, '0')}`);

/** NAMES in the order of sort key `a`: a fixed shuffle (cache-02 is row 34). */
const BY_ACTIVE = NAMES.map((name, index) => ({name, rank: (index * 17) % NAMES.length}))
	.sort((a, b) => a.rank - b.rank)
	.map(({name}) => name);

/** Rows of NAMES: in NAMES order by object count (key `o`), in BY_ACTIVE order by active objects (key `a`). */
function rowsOf(names: readonly string[]) {
	return names.map(name =>
		cacheRow(name, {numObjs: 1000 - NAMES.indexOf(name), activeObjs: 1000 - BY_ACTIVE.indexOf(name)}),
	);
}

/** A frame over NAMES (or some of them), with `pageRows` rows to a page and `pageLines` lines in a paged view. */
function context(pageRows = 10, pageLines = 30, names: readonly string[] = NAMES): Frame {
	return {rows: rowsOf(names), pageRows, pageLines, isPaused: false, slabCount: 0};
}

function run(
	commands: UiCommand[],
	state: UiState = initialState({sortKey: 'o', delayMs: 1000, isSim: true}),
	ctx = context(),
) {
	const {ui, effects} = screenReducer({ui: state, effects: []}, {kind: 'commands', commands, frame: ctx});
	return {state: ui, effects};
}

describe('reduce', () => {
	it('selects the first row before any move, and moves by one, by a page, Home and End', () => {
		expect(normalise(initialState({sortKey: 'o', delayMs: 1000, isSim: true}), context()).selectedName).toBe(
			'cache-00',
		);
		expect(
			run([
				{kind: 'move', delta: 1},
				{kind: 'move', delta: 1},
			]).state.selectedName,
		).toBe('cache-02');
		expect(run([{kind: 'move', delta: -1}]).state.selectedName).toBe('cache-00');
		expect(run([{kind: 'page', delta: 1}]).state.selectedName).toBe('cache-10');
		const end = run([{kind: 'end'}]).state;
		expect(end.selectedName).toBe('cache-49');
		expect(end.scrollTop).toBe(40);
		expect(run([{kind: 'end'}, {kind: 'home'}]).state).toMatchObject({selectedName: 'cache-00', scrollTop: 0});
	});

	it('scrolls so the selected row stays within the page', () => {
		const {state} = run(Array.from({length: 12}, () => ({kind: 'move', delta: 1}) as const));
		expect(state.selectedName).toBe('cache-12');
		expect(state.scrollTop).toBe(3);
	});

	it('when new rows no longer hold the selected cache, the selection moves to a shown row', () => {
		const {state} = run([{kind: 'end'}]);
		expect(state).toMatchObject({selectedName: 'cache-49', scrollTop: 40});
		const fewer = context(10, 30, NAMES.slice(0, 20));
		expect(normalise(state, fewer)).toMatchObject({selectedName: 'cache-19', scrollTop: 10});
		const same = normalise(state, context());
		expect(same).toBe(state);
	});

	it('a filter is typed live, kept on Enter, cleared on Esc; a vanished selection moves to a shown row', () => {
		let result = run([{kind: 'start-filter'}, {kind: 'type', text: '4'}, {kind: 'type', text: '2'}]);
		expect(result.state).toMatchObject({mode: 'filter', filter: '42', selectedName: 'cache-42'});
		result = run([{kind: 'edit', move: 'backspace'}, {kind: 'submit'}], result.state);
		expect(result.state).toMatchObject({mode: 'browse', filter: '4'});
		expect(result.state.selectedName).toBe('cache-42');
		result = run([{kind: 'back'}], result.state);
		expect(result.state.filter).toBe('');
		result = run([{kind: 'start-filter'}, {kind: 'type', text: 'x'}, {kind: 'cancel'}], result.state);
		expect(result.state).toMatchObject({mode: 'browse', filter: '', line: EMPTY_LINE});
	});

	it('the command bar parses the typed line, hands the command to the source as an effect and remembers it', () => {
		const {state, effects} = run([
			{kind: 'start-command'},
			...[...'shrink all'].map(text => ({kind: 'type', text}) as const),
			{kind: 'submit'},
		]);
		expect(effects).toEqual([
			{kind: 'run', command: {kind: 'shrink', cache: null}, line: 'shrink all'},
			{kind: 'refresh'},
		]);
		expect(state).toMatchObject({mode: 'browse', line: EMPTY_LINE, history: ['shrink all']});
		const answered = run([{kind: 'answer', answer: {ok: true, value: 'shrunk'}}], state).state;
		expect(answered.answer).toEqual({ok: true, value: 'shrunk'});
		expect(run([{kind: 'back'}], answered).state.answer).toBeNull();
	});

	it('a line that does not parse is answered with where and why, and runs nothing', () => {
		const {state, effects} = run([{kind: 'start-command'}, {kind: 'type', text: 'shrink a b'}, {kind: 'submit'}]);
		expect(effects).toEqual([]);
		expect(state.answer).toEqual({
			ok: false,
			error: {
				kind: 'parse',
				column: 10,
				message: 'col 10: shrink takes one argument ("b" is extra); usage: shrink [<cache>|all]',
			},
		});
		expect(state.history).toEqual(['shrink a b']);
	});

	it(':help opens the help screen as ? does; :help <command> asks the source', () => {
		const typed = (line: string): UiCommand[] => [
			{kind: 'start-command'},
			{kind: 'type', text: line},
			{kind: 'submit'},
		];
		const help = run(typed('help'));
		expect(help.effects).toEqual([]);
		expect(help.state.view).toBe('help');
		expect(run([{kind: 'help'}]).state.view).toBe('help');
		expect(run(typed('help free')).effects).toEqual([
			{kind: 'run', command: {kind: 'help', topic: 'free'}, line: 'help free'},
			{kind: 'refresh'},
		]);
	});

	it('edits the command line as readline does: ← inserts mid-line, Ctrl-W and Ctrl-U kill, Home and End move', () => {
		const edited = run([
			{kind: 'start-command'},
			{kind: 'type', text: 'alloc -c dentry'},
			{kind: 'edit', move: 'kill-word'},
			{kind: 'type', text: 'inode_cache'},
			{kind: 'edit', move: 'home'},
			{kind: 'edit', move: 'delete'},
			{kind: 'type', text: 'A'},
			{kind: 'edit', move: 'end'},
			{kind: 'edit', move: 'left'},
			{kind: 'edit', move: 'left'},
			{kind: 'type', text: '_'},
		]).state;
		expect(lineText(edited.line)).toBe('Alloc -c inode_cac_he');
		expect(lineText(run([{kind: 'edit', move: 'kill-start'}], edited).state.line)).toBe('he');
	});

	it('a line typed past its cap keeps what fits and the answer says how much was not taken', () => {
		const {state} = run([{kind: 'start-command'}, {kind: 'type', text: 'x'.repeat(5000)}]);
		expect(lineText(state.line)).toHaveLength(4096);
		expect(state.answer).toEqual({
			ok: false,
			error: {kind: 'refused', message: 'the command line holds 4096 characters: 904 not taken'},
		});
	});

	it('modeAfter follows the mode as reduce changes it, for the key reader', () => {
		const commands: UiCommand[] = [
			{kind: 'start-command'},
			{kind: 'type', text: 'show'},
			{kind: 'submit'},
			{kind: 'start-filter'},
			{kind: 'edit', move: 'left'},
			{kind: 'cancel'},
			{kind: 'sort', key: 'c'},
			{kind: 'start-command'},
			{kind: 'cancel'},
		];
		for (const isSim of [true, false]) {
			let state = initialState({sortKey: 'o', delayMs: 1000, isSim});
			let mode = state.mode;
			for (const command of commands) {
				state = reduce(state, command, context()).state;
				mode = modeAfter(mode, command, isSim);
				expect(mode).toBe(state.mode);
			}
		}
	});

	it('the commands of one read reduce in order, their effects queued in order', () => {
		const start = {ui: initialState({sortKey: 'o', delayMs: 1000, isSim: true}), effects: []};
		const screen = screenReducer(start, {
			kind: 'commands',
			commands: [{kind: 'sort', key: 'c'}, {kind: 'sort', key: 'b'}, {kind: 'refresh'}, {kind: 'quit'}],
			frame: context(),
		});
		expect(screen.ui.sortKey).toBe('b');
		expect(screen.effects).toEqual([{kind: 'refresh'}, {kind: 'quit'}]);
	});

	it('? from the detail view returns to it; Esc leaves the memory and events views for the table', () => {
		let {state} = run([{kind: 'move', delta: 1}, {kind: 'open-detail'}, {kind: 'help'}]);
		expect(state.view).toBe('help');
		state = run([{kind: 'back'}], state).state;
		expect(state.view).toBe('detail');
		expect(run([{kind: 'help'}, {kind: 'help'}], state).state.view).toBe('detail');
		expect(run([{kind: 'back'}], state).state.view).toBe('caches');
		expect(run([{kind: 'help'}, {kind: 'cycle-view'}], state).state.view).toBe('memory');
		for (const tabs of [1, 2]) {
			const shown = run(Array.from({length: tabs}, (): UiCommand => ({kind: 'cycle-view'}))).state;
			expect(run([{kind: 'back'}], shown).state.view).toBe('caches');
		}
	});

	it('changing or reversing the sort shows the top of the new order', () => {
		const {state} = run([{kind: 'end'}]);
		expect(state).toMatchObject({selectedName: 'cache-49', scrollTop: 40});
		expect(run([{kind: 'sort', key: 'a'}], state).state).toMatchObject({selectedName: BY_ACTIVE[0], scrollTop: 0});
		expect(run([{kind: 'reverse'}], state).state).toMatchObject({selectedName: 'cache-49', scrollTop: 0});
		expect(run([{kind: 'reverse'}, {kind: 'move', delta: 2}, {kind: 'reverse'}], state).state).toMatchObject({
			selectedName: 'cache-00',
			scrollTop: 0,
		});
	});

	it('Enter opens nothing when the filter matches no cache', () => {
		const {state} = run([
			{kind: 'move', delta: 3},
			{kind: 'start-filter'},
			{kind: 'type', text: 'nothing'},
			{kind: 'submit'},
		]);
		expect(state.filter).toBe('nothing');
		expect(run([{kind: 'open-detail'}], state).state.view).toBe('caches');
	});

	it('[ ] and . > become speed and step effects for the simulator, refused for other sources', () => {
		expect(run([{kind: 'speed', direction: 1}]).effects).toEqual([{kind: 'speed', direction: 1}, {kind: 'refresh'}]);
		expect(run([{kind: 'step', to: 'phase'}]).effects).toEqual([{kind: 'step', to: 'phase'}, {kind: 'refresh'}]);
		const file = run([{kind: 'speed', direction: -1}], initialState({sortKey: 'o', delayMs: 3000, isSim: false}));
		expect(file.effects).toEqual([]);
		expect(file.state.answer).toEqual({
			ok: false,
			error: {kind: 'needs-sim', message: 'the speed needs the simulator (--source sim)'},
		});
	});

	it('an empty command line runs nothing', () => {
		expect(run([{kind: 'start-command'}, {kind: 'submit'}]).effects).toEqual([]);
	});

	it('↑ and ↓ in the command bar step through its history, and past the newest line clear it', () => {
		const typed = (line: string): UiCommand[] => [
			{kind: 'start-command'},
			{kind: 'type', text: line},
			{kind: 'submit'},
		];
		const {state} = run([...typed('alloc -c dentry -n 5'), ...typed('shrink dentry'), {kind: 'start-command'}]);
		const up = (n: number): UiState =>
			run(
				Array.from({length: n}, (): UiCommand => ({kind: 'recall', delta: -1})),
				state,
			).state;
		expect(lineText(up(1).line)).toBe('shrink dentry');
		expect(lineText(up(2).line)).toBe('alloc -c dentry -n 5');
		expect(lineText(up(5).line)).toBe('alloc -c dentry -n 5'); // stops at the oldest
		const back = run(
			[
				{kind: 'recall', delta: 1},
				{kind: 'recall', delta: 1},
			],
			up(2),
		).state;
		expect([lineText(back.line), back.historyIndex]).toEqual(['', null]);
		const ran = run([{kind: 'recall', delta: -1}, {kind: 'type', text: ' all'}, {kind: 'submit'}], state);
		expect(ran.effects).toEqual([]);
		expect(ran.state.answer).toMatchObject({ok: false, error: {kind: 'parse', column: 15}});
		expect(
			run([{kind: 'recall', delta: -1}], initialState({sortKey: 'o', delayMs: 1000, isSim: true})).state.line,
		).toBe(EMPTY_LINE);
	});

	it('refuses the command bar and pause without the simulator, changing nothing else', () => {
		const file = initialState({sortKey: 'o', delayMs: 3000, isSim: false});
		const command = run([{kind: 'start-command'}], file);
		expect(command.state.mode).toBe('browse');
		expect(command.state.answer).toEqual({
			ok: false,
			error: {kind: 'needs-sim', message: 'the command bar needs the simulator (--source sim)'},
		});
		const pause = run([{kind: 'toggle-pause'}], file);
		expect(pause.effects).toEqual([]);
		expect(pause.state).toEqual({
			...normalise(file, context()),
			answer: {ok: false, error: {kind: 'needs-sim', message: 'pause needs the simulator (--source sim)'}},
		});
	});

	it("z runs pause or resume, as :pause and :resume do, by the clock the frame shows (the pause is the source's)", () => {
		const before = normalise(initialState({sortKey: 'o', delayMs: 1000, isSim: true}), context());
		const {state, effects} = run([{kind: 'toggle-pause'}], before);
		expect(state).toEqual(before);
		expect(effects).toEqual([{kind: 'run', command: {kind: 'pause'}, line: 'pause'}, {kind: 'refresh'}]);
		const paused = {...context(), isPaused: true};
		expect(run([{kind: 'toggle-pause'}], state, paused).effects).toEqual([
			{kind: 'run', command: {kind: 'resume'}, line: 'resume'},
			{kind: 'refresh'},
		]);
		const typed = run([{kind: 'start-command'}, {kind: 'type', text: 'pause'}, {kind: 'submit'}], state);
		expect(typed.effects).toEqual(effects);
	});

	it('+ and - step the delay through the steps, stopping at the ends', () => {
		const faster = run([{kind: 'faster'}]);
		expect(faster.state.delayMs).toBe(500);
		expect(faster.effects).toEqual([]);
		expect(run([{kind: 'slower'}, {kind: 'slower'}]).state.delayMs).toBe(3000);
		const fastest = run(Array.from({length: 10}, () => ({kind: 'faster'}) as const));
		expect(fastest.state.delayMs).toBe(100);
		expect(run([{kind: 'faster'}], fastest.state).effects).toEqual([]);
	});

	it('Enter opens the detail, Esc returns; Tab cycles caches, memory, events', () => {
		let {state} = run([{kind: 'move', delta: 1}, {kind: 'open-detail'}]);
		expect(state.view).toBe('detail');
		state = run([{kind: 'back'}], state).state;
		expect(state.view).toBe('caches');
		const views = [];
		for (let index = 0; index < 4; index++) {
			state = run([{kind: 'cycle-view'}], state).state;
			views.push(state.view);
		}

		expect(views).toEqual(['memory', 'events', 'trace', 'caches']);
		state = run([{kind: 'cycle-view'}, {kind: 'help'}], state).state;
		expect(state.view).toBe('help');
		expect(run([{kind: 'back'}], state).state.view).toBe('memory');
	});

	it('in paged views the arrows scroll within the content', () => {
		let {state} = run([{kind: 'cycle-view'}, {kind: 'move', delta: 5}]);
		expect(state.pageScroll).toBe(5);
		state = run([{kind: 'end'}], state).state;
		expect(state.pageScroll).toBe(20);
		state = run([{kind: 'page', delta: 1}], state).state;
		expect(state.pageScroll).toBe(20);
		expect(run([{kind: 'home'}], state).state.pageScroll).toBe(0);
	});

	it('q and space become quit and refresh effects', () => {
		expect(run([{kind: 'quit'}]).effects).toEqual([{kind: 'quit'}]);
		expect(run([{kind: 'refresh'}]).effects).toEqual([{kind: 'refresh'}]);
	});

	it('an empty table has no selection and no scroll', () => {
		const empty: Frame = {rows: [], pageRows: 10, pageLines: 0, isPaused: false, slabCount: 0};
		const {state} = run([{kind: 'move', delta: 3}, {kind: 'end'}], undefined, empty);
		expect(state).toMatchObject({selectedName: null, scrollTop: 0});
	});
});

describe('the trace, explain and slab views', () => {
	it("t opens the trace of the selected cache and opens the simulator's trace; leaving it closes the trace", () => {
		let result = run([{kind: 'move', delta: 2}, {kind: 'open-detail'}, {kind: 'trace'}]);
		expect(result.state).toMatchObject({view: 'trace', traceCache: 'cache-02'});
		expect(result.effects).toEqual([{kind: 'trace', open: true, cacheName: 'cache-02'}]);
		result = run([{kind: 'trace'}], result.state); // in the trace view: every cache
		expect(result.state.traceCache).toBeNull();
		expect(result.effects).toEqual([{kind: 'trace', open: true, cacheName: null}]);
		result = run([{kind: 'trace-path'}, {kind: 'trace-path'}], result.state);
		expect(result.state.tracePath).toBe('new-slab');
		result = run([{kind: 'back'}], result.state);
		expect(result.state.view).toBe('caches');
		expect(result.effects).toEqual([{kind: 'trace', open: false, cacheName: null}]);
	});

	it('Tab reaches the trace of every cache; the trace is refused without the simulator', () => {
		const {state, effects} = run([{kind: 'cycle-view'}, {kind: 'cycle-view'}, {kind: 'cycle-view'}]);
		expect(state.view).toBe('trace');
		expect(effects).toEqual([{kind: 'trace', open: true, cacheName: null}]);
		// On the other sources t is the rates' basis.
		const kernel = run([{kind: 'trace'}], initialState({sortKey: 'o', delayMs: 1000, isSim: false}));
		expect(kernel.state).toMatchObject({view: 'caches', rateBasis: 'start'});
	});

	it('e explains the sort column first; ← → step through every number; e or Esc goes back', () => {
		let {state} = run([{kind: 'sort', key: 'u'}, {kind: 'explain'}]);
		expect(state.view).toBe('explain');
		expect(state.explainIndex).toBe(2); // objs, active, use: USE
		state = run(
			[
				{kind: 'move-across', delta: -1},
				{kind: 'move-across', delta: -1},
				{kind: 'move-across', delta: -1},
			],
			state,
		).state;
		expect(state.explainIndex).toBe(16); // wrapped round to the last header line
		expect(run([{kind: 'explain'}], state).state.view).toBe('caches');
		expect(run([{kind: 'back'}], state).state.view).toBe('caches');
	});

	it('on the detail view ← → choose a slab of the map and Enter opens its objects; Esc returns to the detail', () => {
		const withMap: Frame = {...context(), slabCount: 3};
		let {state} = run([{kind: 'open-detail'}], undefined, withMap);
		state = run(
			[
				{kind: 'move-across', delta: 1},
				{kind: 'move-across', delta: 1},
				{kind: 'move-across', delta: 1},
			],
			state,
			withMap,
		).state;
		expect(state.slabCursor).toBe(2);
		state = run([{kind: 'open-detail'}], state, withMap).state;
		expect(state.view).toBe('slab');
		state = run([{kind: 'back'}], state, withMap).state;
		expect(state.view).toBe('detail');
		expect(run([{kind: 'back'}], state, withMap).state.view).toBe('caches');
	});
});

describe('reduce: the answer panel', () => {
	const longAnswer = {ok: true as const, value: Array.from({length: 40}, (_, i) => `line ${i}`).join('\n')};

	it('keeps a short answer on the command line and opens a long one in its own panel', () => {
		const short = run([{kind: 'answer', answer: {ok: true, value: 'one\ntwo\nthree'}}]).state;
		expect([short.view, short.answer]).toEqual(['caches', {ok: true, value: 'one\ntwo\nthree'}]);
		const long = run([{kind: 'cycle-view'}, {kind: 'answer', answer: longAnswer}]).state;
		expect([long.view, long.returnView, long.pageScroll]).toEqual(['answer', 'memory', 0]);
	});

	it('scrolls the panel, and Esc closes it back to the view it covered, clearing the answer', () => {
		const scrolled = run(
			[
				{kind: 'answer', answer: longAnswer},
				{kind: 'move', delta: 5},
			],
			undefined,
			context(10, 40),
		).state;
		expect(scrolled.pageScroll).toBe(5);
		const closed = run([{kind: 'back'}], scrolled).state;
		expect([closed.view, closed.answer, closed.pageScroll]).toEqual(['caches', null, 0]);
	});

	it('a short answer while the panel is open closes it', () => {
		const open = run([{kind: 'answer', answer: longAnswer}]).state;
		const next = run([{kind: 'answer', answer: {ok: false, error: {kind: 'refused', message: 'no'}}}], open).state;
		expect(next.view).toBe('caches');
	});
});

describe('rates, the mark and the column picker', () => {
	const kernel = () => initialState({sortKey: 'o', delayMs: 3000, isSim: false, sourceKind: 'kernel'});

	it('m sets the mark (an effect) and shows rates since it; t cycles the basis', () => {
		const marked = run([{kind: 'mark'}], kernel());
		expect(marked.state.rateBasis).toBe('mark');
		expect(marked.effects).toEqual([{kind: 'mark'}]);
		const cycle: UiCommand = {kind: 'cycle-rates'};
		const bases = [1, 2, 3].map(
			count =>
				run(
					Array.from({length: count}, () => cycle),
					kernel(),
				).state.rateBasis,
		);
		expect(bases).toEqual(['start', 'mark', 'interval']);
	});

	it('the kernel and file sources default to rate columns, the simulator to its counters', () => {
		expect(kernel().columns).toEqual(['partial', 'objs_rate', 'kib_rate']);
		expect(initialState({sortKey: 'o', delayMs: 1000, isSim: true}).columns).toEqual([
			'partial',
			'alloc_rate',
			'free_rate',
		]);
		expect(initialState({sortKey: 'o', delayMs: 1000, isSim: false, columns: ['waste']}).columns).toEqual(['waste']);
	});

	it('C opens the picker; space shows or hides the column under the cursor; Esc closes it and saves', () => {
		const opened = run([{kind: 'open-columns'}], kernel()).state;
		expect(opened).toMatchObject({view: 'columns', mode: 'picker', pickerIndex: 0});
		// Cursor on the fourth column (waste): shown, in the registry's order.
		const shown = run([{kind: 'move', delta: 3}, {kind: 'toggle-column'}], opened).state;
		expect(shown.columns).toEqual(['partial', 'waste', 'objs_rate', 'kib_rate']);
		const hidden = run([{kind: 'move', delta: -3}, {kind: 'toggle-column'}], shown).state;
		expect(hidden.columns).toEqual(['waste', 'objs_rate', 'kib_rate']);
		const closed = run([{kind: 'back'}], hidden);
		expect(closed.state).toMatchObject({view: 'caches', mode: 'browse'});
		expect(closed.effects).toEqual([{kind: 'save-settings'}]);
	});

	it('s in the picker sorts by that column (shown if hidden); s again or a sort letter goes back', () => {
		const opened = run([{kind: 'open-columns'}, {kind: 'move', delta: 2}], kernel()).state; // order
		const sorted = run([{kind: 'sort-column'}], opened).state;
		expect(sorted).toMatchObject({sortColumn: 'order', columns: ['partial', 'order', 'objs_rate', 'kib_rate']});
		expect(run([{kind: 'sort-column'}], sorted).state.sortColumn).toBeNull();
		expect(run([{kind: 'back'}, {kind: 'sort', key: 'c'}], sorted).state).toMatchObject({
			sortColumn: null,
			sortKey: 'c',
		});
		// Hiding the sort column stops sorting by it.
		expect(run([{kind: 'toggle-column'}], sorted).state.sortColumn).toBeNull();
	});

	it("the table follows the sort column's figures, largest first, unknown last; r reverses", () => {
		const rows = ['a', 'b', 'c', 'd'].map(name => cacheRow(name));
		const figures = new Map<string, number | null>([
			['a', 1],
			['b', null],
			['c', 30],
			['d', -5],
		]);
		const frame: Frame = {rows, pageRows: 10, pageLines: 0, isPaused: false, figures};
		const state: UiState = {...kernel(), sortColumn: 'objs_rate'};
		expect(run([{kind: 'end'}], state, frame).state.selectedName).toBe('b');
		expect(run([{kind: 'home'}], state, frame).state.selectedName).toBe('c');
		expect(run([{kind: 'reverse'}, {kind: 'home'}], state, frame).state.selectedName).toBe('d');
	});
});
