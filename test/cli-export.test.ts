// The export flags as a user meets them: `--format openmetrics`, `--export-dir`, `--export-top`,
// `--source prometheus=URL`, `--instance` (node dist/cli.js as a real process, and parseConfig).
// The real Prometheus and node_exporter are in test/sources/prometheus-real.slow.test.ts.

import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {parseConfig, type RawFlags} from '../source/config/config.js';
import {configOf} from './helpers/config.js';

const root = new URL('../', import.meta.url).pathname;
const cli = `${root}dist/cli.js`;
const fixture = (name: string) => `${root}test/fixtures/slabinfo/${name}`;
const dir = mkdtempSync(join(tmpdir(), 'slabtop-ts-export-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

function run(args: string[]) {
	if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `node scripts/build.mjs` first');
	const result = spawnSync(process.execPath, [cli, ...args], {encoding: 'utf8', timeout: 20_000});
	return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

function configError(flags: RawFlags): string | null {
	const parsed = parseConfig(flags);
	return parsed.ok ? null : parsed.error.message;
}

describe('--once --format openmetrics', () => {
	it("prints the file's figures as slabtop_ metrics, exact bytes included", () => {
		const {status, stdout, stderr} = run(['--once', '--format', 'openmetrics', '--source', fixture('one-cache.txt')]);
		expect(stderr).toBe('');
		expect(status).toBe(0);
		const samples = stdout.split('\n').filter(line => line !== '' && !line.startsWith('#'));
		expect(samples).toEqual([
			'slabtop_caches 1',
			'slabtop_objects{cache="dentry"} 16128',
			'slabtop_active_objects{cache="dentry"} 16000',
			'slabtop_object_size_bytes{cache="dentry"} 192',
			'slabtop_objects_per_slab{cache="dentry"} 21',
			'slabtop_pages_per_slab{cache="dentry"} 1',
			'slabtop_slabs{cache="dentry"} 768',
			'slabtop_active_slabs{cache="dentry"} 768',
			`slabtop_cache_bytes{cache="dentry"} ${768 * 4096}`,
			`slabtop_waste_bytes{cache="dentry"} ${768 * 4096 - 16_000 * 192}`,
		]);
		expect(stdout.endsWith('# EOF\n')).toBe(true);
	});

	it('keeps the --export-top largest caches and an other bucket', () => {
		const {stdout} = run(['--once', '--format', 'openmetrics', '--export-top', '2', '--source', fixture('ties.txt')]);
		const slabs = stdout.split('\n').filter(line => line.startsWith('slabtop_slabs{'));
		// tie_01 and tie_03 are the first of the caches of 4 two-page slabs (32 KiB); 13 others are left.
		expect(slabs[0]).toBe('slabtop_slabs{cache="tie_01"} 4');
		expect(slabs[1]).toBe('slabtop_slabs{cache="tie_03"} 4');
		expect(slabs[2]).toMatch(/^slabtop_slabs\{cache="other",bucket="other"\} \d+$/);
		expect(slabs).toHaveLength(3);
	});
});

describe('--export-dir', () => {
	it('writes slabtop_ts.prom in the text format the textfile collector reads, with the SLUB counters', () => {
		const {status, stdout} = run(['--once', '--json', '--source', 'sim', '--ticks', '50', '--export-dir', dir]);
		expect(status).toBe(0);
		const document = JSON.parse(stdout) as {caches: Array<{name: string; sysfs: Record<string, number>}>};
		const text = readFileSync(join(dir, 'slabtop_ts.prom'), 'utf8');
		const kmalloc = document.caches.find(cache => cache.name === 'kmalloc-64');
		expect(text).toContain('# TYPE slabtop_stat_alloc_fastpath_total counter\n');
		expect(text).toContain(
			`\nslabtop_stat_alloc_fastpath_total{cache="kmalloc-64"} ${kmalloc?.sysfs.alloc_fastpath}\n`,
		);
		expect(text).not.toContain('# EOF');
	});

	it('fails in one line when the directory is missing', () => {
		const {status, stderr} = run(['--once', '--source', fixture('one-cache.txt'), '--export-dir', join(dir, 'none')]);
		expect(status).toBe(1);
		expect(stderr).toBe(`slabtop-ts: ${join(dir, 'none')}: no such directory (--export-dir)\n`);
	});
});

describe('parseConfig: export and Prometheus flags', () => {
	it('reads --format, with --json as --format json', () => {
		expect(configOf({format: 'openmetrics', once: true}).format).toBe('openmetrics');
		const json = configOf({json: true});
		expect(json.format).toBe('json');
	});

	it('refuses what cannot work, in one line', () => {
		expect(configError({format: 'yaml'})).toBe("--format must be one of text, json, openmetrics, not 'yaml'");
		expect(configError({format: 'openmetrics', json: true})).toBe('--json and --format openmetrics exclude each other');
		expect(configError({exportTop: '5'})).toBe('--export-top needs --export-dir or --format openmetrics');
		expect(configError({exportTop: '0', exportDir: '/tmp'})).toBe("--export-top must be between 1 and 100000, not '0'");
		expect(configError({instance: 'a'})).toBe('--instance needs a Prometheus source (--source prometheus=URL)');
		expect(configError({source: 'prometheus=localhost:9090'})).toBe(
			"--source prometheus= needs an http:// or https:// URL, not 'localhost:9090' (e.g. prometheus=http://localhost:9090)",
		);
	});

	it('reads prometheus=URL without its trailing slash', () => {
		const config = configOf({source: 'prometheus=http://prom:9090/', instance: 'web-1'});
		expect([config.source, config.instance]).toEqual([{kind: 'prometheus', url: 'http://prom:9090'}, 'web-1']);
	});

	it('prints OpenMetrics without --once when standard output is not a terminal', () => {
		const {status, stdout} = run(['--format', 'openmetrics', '--source', fixture('one-cache.txt')]);
		expect(status).toBe(0);
		expect(stdout).toContain('slabtop_slabs{cache="dentry"} 768\n');
	});
});
