// The views as functions of their props (as Shopify cli-kit tests its components): each is
// rendered alone with fixed data and its text compared line for line.

import {Box} from 'ink';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {computeTotals} from '../../source/report/totals.js';
import type {SimStatus} from '../../source/sim/types.js';
import {cacheColumns, CacheTable} from '../../source/ui/views/cache-table.js';
import {Table, type Column} from '../../source/ui/views/table.js';
import {CommandBar, CroppedNote} from '../../source/ui/views/command-bar.js';
import {Events} from '../../source/ui/views/events.js';
import {TraceView} from '../../source/ui/views/trace.js';
import {Help} from '../../source/ui/views/help.js';
import {Memory} from '../../source/ui/views/memory.js';
import {Summary} from '../../source/ui/views/summary.js';
import {cacheRow} from '../helpers/fake-sources.js';
import {EMPTY_LINE, lineOf} from '../../source/commands/line-editor.js';

function text(node: React.ReactElement): string[] {
	const instance = render(node);
	const frame = instance.lastFrame() ?? '';
	instance.unmount();
	return frame.split('\n');
}

const ROWS = [
	cacheRow('dentry', {numObjs: 21_000, activeObjs: 20_790, objSize: 192, objsPerSlab: 21, numSlabs: 1000}),
	cacheRow('kmalloc-64', {numObjs: 640, activeObjs: 64, objSize: 64, objsPerSlab: 64, numSlabs: 10, partial: 7}),
];

const STATUS: SimStatus = {
	tick: 1234,
	timeMs: 12_340,
	isPaused: false,
	speed: 1,
	behindMs: 0,
	workload: {
		name: 'steady',
		phase: 'churn',
		watch: '',
		isRepeating: true,
		phaseIndex: 0,
		phaseCount: 2,
		phaseProgress: 0.5,
		progress: 0.25,
		isFinished: false,
		ticksToNextPhase: 50,
	},
	cpus: 2,
	memory: {
		totalPages: 131_072,
		freePages: 65_536,
		slabPages: 1010,
		largeKmallocPages: 0,
		largeKmallocs: 0,
		freeBlocks: [],
		unusable: [],
	},
	latestEvent: {
		seq: 3,
		tick: 1200,
		kind: 'command',
		cache: '',
		text: 'shrink all: 3 slabs (3 pages) freed in 2 caches\nmore',
	},
	failures: {count: 0, last: null},
};

describe('Summary', () => {
	it("draws slabtop's five lines and the status line", () => {
		const lines = text(
			<Summary
				totals={computeTotals(ROWS)}
				label="sim"
				status={STATUS}
				sortKey="c"
				reversed={false}
				delayMs={1000}
				error={null}
			/>,
		);
		expect(lines).toEqual([
			' Active / Total Objects (% used)    : 20854 / 21640 (96.4%)',
			' Active / Total Slabs (% used)      : 1010 / 1010 (100.0%)',
			' Active / Total Caches (% used)     : 2 / 2 (100.0%)',
			// 20790 × 192 + 64 × 64 bytes is 3902.125K: %.2f rounds the tie to even, as slabtop's printf.
			' Active / Total Size (% used)       : 3902.12K / 3977.50K (98.1%)',
			' Minimum / Average / Maximum Object : 0.06K / 0.18K / 0.19K',
			// Cut to the terminal's 100 columns.
			'sim  t=12.34s  steady: churn 1/2 █████░░░░░ 50% (workload 25%)  mem 256M/512M  running 1x  sort c↓ …',
		]);
	});

	it('shows a read error instead of the latest event, and - for 0/0', () => {
		const lines = text(
			<Summary
				totals={computeTotals([])}
				label="/proc/slabinfo"
				status={null}
				sortKey="o"
				reversed
				error="/proc/slabinfo: permission denied"
				delayMs={250}
			/>,
		);
		expect(lines[1]).toBe(' Active / Total Slabs (% used)      : 0 / 0 (-%)');
		expect(lines[5]).toBe(
			'/proc/slabinfo  sort o↑ number of objects  every 250ms  ! /proc/slabinfo: permission denied',
		);
	});
});

describe('CacheTable', () => {
	it("prints slabtop's columns, then as many of PARTIAL, ALLOC/s, FREE/s and the trend as fit", () => {
		const rows = ROWS.map(row => ({row, rates: {allocPerSec: 12.5, freePerSec: null}, trend: [20, 40, null]}));
		const table = (width: number) =>
			text(<CacheTable rows={rows} columns={cacheColumns(width)} sortKey="o" selectedName="dentry" filter="" />);
		expect(table(100)).toEqual([
			'  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME                    PARTIAL  ALLOC/s',
			' 21000  20790  99%    0.19K   1000       21      4000K dentry                                13',
			'   640     64  10%    0.06K     10       64        40K kmalloc-64                    7       13',
		]);
		expect(table(80)).toEqual([
			'  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME',
			' 21000  20790  99%    0.19K   1000       21      4000K dentry',
			'   640     64  10%    0.06K     10       64        40K kmalloc-64',
		]);
	});
});

describe('Table with symbol cells', () => {
	type Row = {name: string; value: number; spark: string};
	const columns: Array<Column<Row>> = [
		{key: 'value', header: 'VALUE', width: 5, align: 'right', format: row => String(row.value)},
		{key: 'name', header: 'NAME', width: 8, align: 'left', format: row => row.name},
		{key: 'spark', header: 'TREND', width: 6, align: 'left', isUnicode: true, format: row => row.spark},
	];
	const rows: Row[] = [
		{name: 'dentry', value: 12, spark: '▁▃ ▆█'},
		{name: 'filp', value: 3, spark: '██▇▁'},
		// Wider than its column: pushes the row one column right, and the trend is drawn as text.
		{name: 'huge', value: 123_456, spark: '▁▂▃▄▅▆'},
	];
	const table = (width: number) =>
		text(
			<Box width={width}>
				<Table columns={columns} rows={rows} rowKey={row => row.name} selectedKey="filp" markedKey="value" />
			</Box>,
		);

	it('draws the symbols after the numbers on every row, the selected one and an overflowing one too', () => {
		expect(table(40)).toEqual([
			'VALUE NAME     TREND',
			'   12 dentry   ▁▃ ▆█',
			'    3 filp     ██▇▁',
			'123456 huge     ▁▂▃▄▅▆',
		]);
	});

	it('cuts the text, never the symbols, in a box narrower than the table', () => {
		const lines = table(16);
		expect(lines).toHaveLength(4);
		expect(lines[1]).toBe('   12 de… ▁▃ ▆█');
		expect(lines.join('\n')).not.toContain('#');
	});
});

describe('CommandBar', () => {
	it('shows the key hints, and the filter when one is kept', () => {
		expect(
			text(<CommandBar mode="browse" line={EMPTY_LINE} width={100} answer={null} answerRows={0} filter="" />),
		).toEqual(['q quit  ? help  Enter detail  Tab views  / filter  : command  z pause  C columns']);
		expect(
			text(<CommandBar mode="browse" line={EMPTY_LINE} width={100} answer={null} answerRows={0} filter="kmal" />)[0],
		).toMatch(/^filter 'kmal' \(Esc clears\) {2}q quit/);
	});

	it('shows the line being typed, and an answer cut to the lines it may take', () => {
		expect(
			text(
				<CommandBar mode="command" line={lineOf('shrink all')} width={100} answer={null} answerRows={0} filter="" />,
			),
		).toEqual([
			// The cursor is an inverse space after the line.
			':shrink all   (Enter runs, ↑ ↓ history, Esc leaves)',
		]);
		const answer = {ok: true as const, value: 'one\ntwo\nthree\nfour'};
		expect(
			text(<CommandBar mode="browse" line={EMPTY_LINE} width={100} answer={answer} answerRows={3} filter="" />),
		).toEqual([
			'one',
			'two',
			'… 2 more lines (the events view has them all)',
			'q quit  ? help  Enter detail  Tab views  / filter  : command  z pause  C columns',
		]);
	});

	it('says first when the terminal is too small', () => {
		expect(text(<CroppedNote columns={60} rows={12} />)).toEqual(['cropped: 60x12 is smaller than 80x24']);
	});
});

describe('Events', () => {
	it('lists events newest first, with report lines indented, and says when it needs the simulator', () => {
		const events = [
			{seq: 2, tick: 150, kind: 'debug-report' as const, cache: 'dentry', text: 'Poison overwritten\nINFO: 0x1-0x2'},
			{seq: 1, tick: 100, kind: 'phase' as const, cache: '', text: 'phase churn'},
		];
		const lines = text(<Events events={events} isSim height={6} scroll={0} />);
		expect(lines).toEqual([
			'Events, newest first  (Tab next view)',
			't=   1.50s  debug-report   dentry  Poison overwritten',
			'    INFO: 0x1-0x2',
			't=   1.00s  phase          phase churn',
			'',
			'',
		]);
		expect(text(<Events events={[]} isSim={false} height={6} scroll={0} />)).toContain(
			'The event log needs the simulator (--source sim).',
		);
	});
});

describe('Memory view: large kmallocs', () => {
	it('lists the pages large kmallocs hold apart from slabs and other use', async () => {
		const {memoryParts} = await import('../../source/ui/views/memory.js');
		const memory = {
			totalPages: 1000,
			freePages: 500,
			slabPages: 300,
			largeKmallocPages: 12,
			largeKmallocs: 2,
			freeBlocks: [],
			unusable: [],
		};
		const [first] = memoryParts({memory, samplePages: 300, height: 40, scroll: 0});
		const lines = first.kind === 'lines' ? first.lines : [];
		expect(lines.find(line => line.startsWith('large kmalloc'))).toMatch(
			/^large kmalloc 12 pages \(48(\.0)?K, 1\.2%\) in 2 compound pages \(above 8 KiB, not in slabinfo\)$/,
		);
		expect(lines.find(line => line.startsWith('other'))).toBe('other   188 pages (752K, 18.8%)');
	});
});

describe('AnswerPanel', () => {
	it('shows a long answer under its own title with the Esc hint, scrolled', async () => {
		const {AnswerPanel} = await import('../../source/ui/views/answer-panel.js');
		const value = Array.from({length: 30}, (_, i) => `line ${i}`).join('\n');
		const {lastFrame} = render(<AnswerPanel answer={{ok: true, value}} height={6} scroll={10} />);
		const lines = (lastFrame() ?? '').split('\n');
		expect(lines[0]).toBe('Command answer  (Esc closes)  lines 11–15 of 30 (↑↓ PgUp PgDn Home End)');
		expect(lines.slice(1)).toEqual(['line 10', 'line 11', 'line 12', 'line 13', 'line 14']);
	});
});

describe('Memory', () => {
	it('shows the page allocator: pages by use, fragmentation and /proc/buddyinfo', () => {
		const memory = {
			totalPages: 1024,
			freePages: 768,
			slabPages: 200,
			largeKmallocPages: 0,
			largeKmallocs: 0,
			freeBlocks: [4, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0],
			unusable: [0, 0.005, 0.0104, 0.2, 1, 1, 1, 1, 1, 1, 1],
		};
		const lines = text(<Memory memory={memory} samplePages={200} height={12} scroll={0} />);
		expect(lines.slice(0, 9)).toEqual([
			// 9 lines, then the table: borders, heading and a separated row per order (3 + 2 × 11).
			'Memory: the page allocator  (Tab next view)  lines 1–11 of 34 (↑↓ PgUp PgDn Home End)',
			'total   1024 pages (4.0M, 100.0%)',
			'slabs   200 pages (800K, 19.5%)',
			'other   56 pages (224K, 5.5%)',
			'free    768 pages (3.0M, 75.0%)',
			'fragmentation: 20.0% of free memory is unusable for an order-3 request',
			'',
			'/proc/buddyinfo',
			'Node 0, zone   Normal      4      2      1      0      0      0      0      0      0      0      0',
		]);
	});

	it('says what needs the simulator for another source', () => {
		expect(
			text(<Memory memory={null} samplePages={6005} sourceKind="file" height={6} scroll={0} />).slice(1, 4),
		).toEqual([
			'Pages used by slabs (from slabinfo): 6005 (23.5M)',
			'',
			'Free blocks per order need --source kernel (/proc/buddyinfo) or --source sim.',
		]);
	});
});

describe('Help', () => {
	it('pages through the one help table', () => {
		const lines = text(<Help height={5} scroll={1} />);
		expect(lines[0]).toMatch(/^Help {2}\(Esc back\) {2}lines 2–5 of \d+ /);
		expect(lines.slice(1)).toEqual([
			// Cut to the terminal's 100 columns.
			'  a b c l v n o p s u     sort by a column, as slabtop (see the sort keys); the sorted column is ma…',
			'  r                       reverse the sort order',
			'  space                   refresh now',
			'  ↑ ↓ PgUp PgDn Home End  move the selection (scroll in the other views)',
		]);
	});
});

describe('TraceView with nothing to show', () => {
	const trace = {isOpen: true, isFile: false, every: 1, skipped: 0, cacheName: 'dentry', records: []};
	const view = (isPaused: boolean, pathFilter: 'all' | 'slow') =>
		text(
			<TraceView trace={trace} records={[]} pathFilter={pathFilter} isPaused={isPaused} height={10} scroll={0} />,
		).join('\n');

	it('says z resumes the simulator only when it is paused', () => {
		expect(view(true, 'all')).toContain('No operations yet: they appear as the simulator runs (z resumes it).');
		expect(view(false, 'all')).toContain('No operations yet: they appear as the simulator runs.');
	});
});
