import {describe, expect, it} from 'vitest';
import {backgroundWorkload} from '../../source/workload/background.js';
import {defaultCapture} from '../../source/workload/default-capture.js';
import {boot, start, tick} from './run-helper.js';

describe('the background workload', () => {
	it('churns the caches a quiet machine churns, at rates that grow with the objects the capture shows', () => {
		const capture = defaultCapture();
		const w = backgroundWorkload(capture);
		const loads = new Map(w.phases[0].caches.map(l => [l.cache, l.rate]));
		expect(w.repeat).toBe(true);
		expect([...loads.keys()]).toEqual(
			expect.arrayContaining(['dentry', 'filp', 'kmalloc-64', 'vm_area_struct', 'maple_node']),
		);
		// objects / 4000 a tick, to one decimal, between 0.2 and 4: dentry (115542 objects) at the
		// cap, kmalloc-128 (7936) 2, filp (1053) 0.3, kmalloc-cg-64 (192) at the floor.
		expect(loads.get('dentry')).toBe(4);
		expect(loads.get('kmalloc-128')).toBe(2);
		expect(loads.get('filp')).toBe(0.3);
		expect(loads.get('kmalloc-cg-64')).toBe(0.2);
		for (const rate of loads.values()) expect(rate).toBeGreaterThanOrEqual(0.2);
	});

	it('leaves out caches the capture does not have', () => {
		const capture = defaultCapture();
		const without = {...capture, caches: capture.caches.filter(c => c.name !== 'dentry' && c.name !== 'filp')};
		const names = backgroundWorkload(without).phases[0].caches.map(l => l.cache);
		expect(names).not.toContain('dentry');
		expect(names).not.toContain('filp');
	});

	it('runs on the booted machine', () => {
		const m = boot();
		const run = start(m, backgroundWorkload(m.capture));
		for (let i = 0; i < 100; i++) tick(m, run);
		expect(run.allocated).toBe(2399);
	});
});
