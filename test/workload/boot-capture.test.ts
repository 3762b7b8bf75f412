import {describe, expect, it} from 'vitest';
import {findCache, oneCacheStats, validateEngine, type Engine} from '../../source/engine/index.js';
import {bootMachine} from '../../source/workload/boot.js';
import {cpusWithSlab} from '../../source/workload/boot-capture.js';
import {parseCapture, type Capture} from '../../source/workload/capture.js';
import {defaultCapture} from '../../source/workload/default-capture.js';

// Boot the committed capture of a real 6.18 machine and compare every cache with what the
// machine showed: its /proc/slabinfo line (taken from the capture's slabinfo text, not from the
// per-cache figures the boot rebuilt from) and its sysfs slabs, objects, partial,
// objects_partial and cpu_slabs.

/** Caches the boot cannot make exact, and why (none on the committed capture). */
const EXCEPTIONS: Readonly<Record<string, string>> = {};

type Line = {
	activeObjs: number;
	numObjs: number;
	objSize: number;
	objsPerSlab: number;
	pagesPerSlab: number;
	activeSlabs: number;
	numSlabs: number;
};

function slabinfoLines(text: string): Map<string, Line> {
	const out = new Map<string, Line>();
	for (const line of text.split('\n').slice(2)) {
		if (line === '') continue;
		const f = line.split(/\s+/);
		out.set(f[0], {
			activeObjs: Number(f[1]),
			numObjs: Number(f[2]),
			objSize: Number(f[3]),
			objsPerSlab: Number(f[4]),
			pagesPerSlab: Number(f[5]),
			activeSlabs: Number(f[13]),
			numSlabs: Number(f[14]),
		});
	}
	return out;
}

function simLine(e: Engine, id: number): Line {
	const st = oneCacheStats(e, id);
	return {
		activeObjs: st.activeObjs,
		numObjs: st.numObjs,
		objSize: st.layout.size,
		objsPerSlab: st.layout.objects,
		pagesPerSlab: 1 << st.layout.order,
		activeSlabs: st.activeSlabs,
		numSlabs: st.numSlabs,
	};
}

function simSysfs(e: Engine, id: number): Record<string, number> {
	const st = oneCacheStats(e, id);
	return {
		slabs: st.numSlabs,
		objects: st.activeObjs,
		partial: st.partial,
		objects_partial: st.objectsPartial,
		cpu_slabs: st.cpuSlabs,
	};
}

function boot(capture: Capture, cpus: number | null = null, memoryBytes = 512 * 2 ** 20) {
	const booted = bootMachine({seed: 1, cpus, memoryBytes, debug: null, capture});
	if (!booted.ok) throw new Error(booted.error.message);
	return booted.value;
}

describe('booting the committed capture of a 6.18 machine', () => {
	const capture = defaultCapture();
	const m = boot(capture);
	const e = m.engine;
	const lines = slabinfoLines(capture.slabinfo);

	it('is a capture of Linux 6.18 on 2 CPUs, and the machine boots with its CPU count', () => {
		expect(capture.kernelRelease).toMatch(/^6\.18\./);
		expect(capture.cpus).toBe(2);
		expect(e.cpus).toBe(2);
		expect(m.bootNotes).toEqual([]);
	});

	it.each(capture.caches.map(c => [c.name, c] as const))('%s: slabinfo line and sysfs state as captured', (name, c) => {
		const id = findCache(e, name);
		expect(id).toBeGreaterThan(0);
		if (EXCEPTIONS[name] !== undefined) return;
		expect({name, ...simLine(e, id)}).toEqual({name, ...lines.get(name)});
		expect({name, ...simSysfs(e, id)}).toEqual({
			name,
			slabs: c.slabs,
			objects: c.objects,
			partial: c.partial,
			objects_partial: c.objects_partial,
			cpu_slabs: c.cpu_slabs,
		});
		expect(e.caches[id].sysfsName).toBe(c.dir);
	});

	it('at least 98 % of caches are exact, and the exceptions are exactly the listed ones', () => {
		const inexact = capture.caches
			.filter(c => {
				const id = findCache(e, c.name);
				return (
					JSON.stringify(simLine(e, id)) !== JSON.stringify(lines.get(c.name)) ||
					JSON.stringify(simSysfs(e, id)) !==
						JSON.stringify({
							slabs: c.slabs,
							objects: c.objects,
							partial: c.partial,
							objects_partial: c.objects_partial,
							cpu_slabs: c.cpu_slabs,
						})
				);
			})
			.map(c => c.name)
			.sort();
		expect(inexact).toEqual(Object.keys(EXCEPTIONS).sort());
		expect(m.bootExceptions.map(x => x.cache).sort()).toEqual(Object.keys(EXCEPTIONS).sort());
		expect(1 - inexact.length / capture.caches.length).toBeGreaterThanOrEqual(0.98);
	});

	it('aliases boot as aliases of the cache sysfs links them to', () => {
		let aliases = 0;
		for (const c of capture.caches) {
			for (const member of c.members) {
				expect([member, findCache(e, member)]).toEqual([member, findCache(e, c.name)]);
				aliases++;
			}
		}
		expect(aliases).toBeGreaterThan(100);
	});

	it('leaves a consistent engine, with the kmem_cache_demo module loaded after the captured caches', () => {
		expect(validateEngine(e)).toEqual([]);
		const demo = findCache(e, 'demo_objects');
		expect(demo).toBe(m.demoCache);
		expect(e.caches[demo].ctor?.name).toBe('object_ctor');
		expect(e.cacheOrderList[e.cacheOrderList.length - 1]).toBe(demo);
	});
});

describe('boot images that the model cannot reproduce exactly', () => {
	const capture = defaultCapture();

	it('a capture of another kernel version boots with a note saying what differs', () => {
		const other = {...capture, kernelRelease: '6.12.9-arch1'};
		const m = boot(other);
		expect(m.bootNotes.join('\n')).toMatch(/Linux 6\.12\.9-arch1, the model is of 6\.18/);
	});

	it("--cpus other than the capture's boots with a note, and rebuilds each cache from its object count where the layout differs", () => {
		const m = boot(capture, 1);
		expect(m.bootNotes.join('\n')).toMatch(/captured on 2 CPUs, booted on 1/);
		expect(m.bootExceptions.length).toBeGreaterThan(0);
		expect(validateEngine(m.engine)).toEqual([]);
		for (const c of capture.caches.slice(0, 40)) {
			const id = findCache(m.engine, c.name);
			expect([c.name, oneCacheStats(m.engine, id).activeObjs >= c.objects]).toEqual([c.name, true]);
		}
	});

	it('a memory too small for the capture boots what fits and says so', () => {
		const m = boot(capture, null, 64 * 2 ** 20);
		expect(m.bootNotes.join('\n')).toMatch(/did not fit in the simulated memory: give more with --memory/);
		expect(validateEngine(m.engine)).toEqual([]);
	});

	it('a capture file with a wrong field is refused with the field named', () => {
		const broken = JSON.parse(JSON.stringify(capture)) as Record<string, unknown> & {
			caches: Array<Record<string, unknown>>;
		};
		broken.caches[3].partial = -1;
		const parsed = parseCapture(JSON.stringify(broken), 'x.json');
		expect(parsed).toEqual({
			ok: false,
			error: {kind: 'capture', message: 'x.json: caches[3].partial: must be a whole number ≥ 0, not -1'},
		});
		expect(parseCapture('{', 'x.json').ok).toBe(false);
	});
});

describe('cpusWithSlab: which CPUs hold a CPU slab, from cpu_slabs and slabs_cpu_partial', () => {
	it("counts a CPU's partial slabs only when it has a CPU slab, as show_slab_objects() does", () => {
		expect(cpusWithSlab(21, [11, 8])).toEqual([0, 1]);
		expect(cpusWithSlab(12, [11, 8])).toEqual([0]);
		expect(cpusWithSlab(9, [11, 8])).toEqual([1]);
		expect(cpusWithSlab(1, [0, 0])).toEqual([0]);
		expect(cpusWithSlab(0, [3, 0])).toEqual([]);
		expect(cpusWithSlab(7, [1, 1])).toBeNull();
	});
});
