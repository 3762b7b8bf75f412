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
		const dentry = capture.caches.find(c => c.name === 'dentry')!.objects;
		expect(loads.get('dentry')).toBe(Math.round(Math.min(4, Math.max(0.2, dentry / 4000)) * 10) / 10);
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
		expect(run.allocated).toBeGreaterThan(100);
	});
});
