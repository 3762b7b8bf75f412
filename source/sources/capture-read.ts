// File access for captures (source/workload/capture.ts): captureLive() reads the running
// kernel's /proc/slabinfo and /sys/kernel/slab/ into a Capture (root needed: /proc/slabinfo
// is mode 0400); readCapture() reads a capture file; writeCapture() writes one. Every expected
// failure is one line for the user, never an exception.
//
// The state figures of a busy machine move while they are read: a cache whose slabinfo line
// disagrees with its sysfs figures (active_objs ≠ objects, num_objs ≠ total_objects,
// num_slabs ≠ slabs) is read again, with a fresh /proc/slabinfo, up to RETRIES times.

import {lstatSync, readFileSync, readdirSync, readlinkSync, writeFileSync} from 'node:fs';
import {basename, join} from 'node:path';
import {
	CAPTURE_FORMAT,
	CAPTURE_LAYOUT_FILES,
	CAPTURE_STATE_FILES,
	parseCapture,
	type Capture,
	type CaptureCache,
	type CaptureResult,
} from '../workload/capture.js';
import {SYSFS_FLAG_FILES} from '../engine/flags.js';
import {err, ok, type Failure, type Result} from '../result.js';
import {PROC_SLABINFO, readError, readTextFile} from './slabinfo-read.js';
import {SYSFS_SLAB_ROOT} from './sysfs-read.js';

const RETRIES = 5;

class ReadFailure extends Error {}

function read(path: string): string {
	try {
		return readFileSync(path, 'utf8').trim();
	} catch (error) {
		const e = readError(path, error);
		throw new ReadFailure(e.kind === 'permission-denied' ? `${e.message} (run --capture as root)` : e.message);
	}
}

function readCount(path: string): number {
	const t = read(path);
	const value = Number(t.split(/\s/)[0]); // "<total> N0=<n> …"
	if (!Number.isInteger(value)) throw new ReadFailure(`${path}: not a number: ${JSON.stringify(t)}`);
	return value;
}

/** Per-CPU partial slabs from slabs_cpu_partial: "<objects>(<slabs>) C0=<objects>(<slabs>) …". */
export function parseSlabsCpuPartial(t: string, cpus: number): number[] | null {
	const out = new Array<number>(cpus).fill(0);
	const fields = t.trim().split(/\s+/);
	if (!/^\d+\(\d+\)$/.test(fields[0] ?? '')) return null;
	for (const f of fields.slice(1)) {
		const m = /^C(\d+)=\d+\((\d+)\)$/.exec(f);
		if (!m) return null;
		const cpu = Number(m[1]);
		if (cpu < cpus) out[cpu] = Number(m[2]);
	}
	return out;
}

/** num_present_cpus(): count of a list like `0-1` or `0,2-5`. */
export function countCpuList(list: string): number {
	let n = 0;
	for (const part of list.trim().split(',')) {
		if (part === '') continue;
		const [lo, hi = lo] = part.split('-').map(Number);
		n += hi - lo + 1;
	}
	return n;
}

type SlabinfoLine = {activeObjs: number; numObjs: number; numSlabs: number};

function slabinfoLines(text: string): Map<string, SlabinfoLine> {
	const lines = text.split('\n');
	if (!lines[0]?.startsWith('slabinfo - version: 2.'))
		throw new ReadFailure(`${PROC_SLABINFO}: unexpected header: ${lines[0] ?? ''}`);
	const out = new Map<string, SlabinfoLine>();
	for (const line of lines.slice(1)) {
		if (line === '' || line.startsWith('#')) continue;
		const f = line.split(/\s+/);
		out.set(f[0], {activeObjs: Number(f[1]), numObjs: Number(f[2]), numSlabs: Number(f[14])});
	}
	return out;
}

function readState(dir: string, c: CaptureCache, cpus: number): void {
	for (const f of CAPTURE_STATE_FILES) c[f] = readCount(join(dir, f));
	const perCpu = parseSlabsCpuPartial(read(join(dir, 'slabs_cpu_partial')), cpus);
	if (perCpu === null) throw new ReadFailure(`${join(dir, 'slabs_cpu_partial')}: unexpected format`);
	c.cpu_partial_slabs = perCpu;
}

const isConsistent = (c: CaptureCache, line: SlabinfoLine | undefined): boolean =>
	line !== undefined && line.activeObjs === c.objects && line.numObjs === c.total_objects && line.numSlabs === c.slabs;

export type LiveCaptureOptions = {
	slabRoot?: string;
	slabinfo?: string;
	cpuList?: string;
	release?: string;
	today: string;
	command: string;
};

/** Read the running kernel into a Capture. */
export function captureLive(options: LiveCaptureOptions): CaptureResult {
	const slabRoot = options.slabRoot ?? SYSFS_SLAB_ROOT;
	const slabinfoPath = options.slabinfo ?? PROC_SLABINFO;
	try {
		const cpus = countCpuList(read(options.cpuList ?? '/sys/devices/system/cpu/present'));
		let slabinfo = read(slabinfoPath) + '\n';
		const dirs = new Set<string>();
		const symlinks = new Map<string, string>();
		for (const entry of readdirSync(slabRoot).sort()) {
			const st = lstatSync(join(slabRoot, entry));
			if (st.isSymbolicLink()) symlinks.set(entry, basename(readlinkSync(join(slabRoot, entry))));
			else if (st.isDirectory()) dirs.add(entry);
		}
		let lines = slabinfoLines(slabinfo);
		const caches: CaptureCache[] = [];
		const seen = new Set<string>();
		for (const name of lines.keys()) {
			const dir = dirs.has(name) ? name : symlinks.get(name);
			if (dir === undefined || !dirs.has(dir))
				throw new ReadFailure(`${slabinfoPath}: cache ${name} has no directory in ${slabRoot}`);
			if (seen.has(dir)) throw new ReadFailure(`${slabinfoPath}: two lines map to ${slabRoot}/${dir}`);
			seen.add(dir);
			const path = join(slabRoot, dir);
			const c = {
				name,
				dir,
				members: [...symlinks].filter(([, target]) => target === dir).map(([alias]) => alias),
				ctor: read(join(path, 'ctor')),
				cpu_partial_slabs: [],
			} as unknown as CaptureCache;
			for (const f of [...CAPTURE_LAYOUT_FILES, ...SYSFS_FLAG_FILES]) c[f] = readCount(join(path, f));
			readState(path, c, cpus);
			caches.push(c);
		}
		for (let attempt = 0; attempt < RETRIES; attempt++) {
			const stale = caches.filter(c => !isConsistent(c, lines.get(c.name)));
			if (stale.length === 0) break;
			slabinfo = read(slabinfoPath) + '\n';
			lines = slabinfoLines(slabinfo);
			for (const c of stale) readState(join(slabRoot, c.dir), c, cpus);
		}
		const capture: Capture = {
			format: CAPTURE_FORMAT,
			kernelRelease: options.release ?? read('/proc/sys/kernel/osrelease'),
			cpus,
			pageSize: 4096,
			capturedAt: options.today,
			command: options.command,
			slabinfo,
			caches,
		};
		return ok(capture);
	} catch (error) {
		if (error instanceof ReadFailure) return err('capture', error.message);
		return err('capture', readError(slabRoot, error).message);
	}
}

/** Read and check a capture file. */
export function readCapture(file: string): CaptureResult {
	const t = readTextFile(file);
	if (!t.ok) return err('capture', t.error.message);
	return parseCapture(t.value, file);
}

/** Write `capture` to `file` (tab-indented JSON). */
export function writeCapture(file: string, capture: Capture): Result<null, Failure<'capture'>> {
	try {
		writeFileSync(file, `${JSON.stringify(capture, null, '\t')}\n`);
		return ok(null);
	} catch (error) {
		return err('capture', readError(file, error, 'write').message);
	}
}
