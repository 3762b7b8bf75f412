#!/usr/bin/env node
// Snapshot the layout-relevant part of /sys/kernel/slab into one JSON fixture:
//   test/fixtures/sysfs/slab-<kernel release>-<N>cpu.json
// For every cache directory (not symlink) it copies only the small attribute files listed in
// NUMERIC_ATTRS and FLAG_ATTRS plus `ctor`; for every symlink it records the target, i.e. which
// creator names were merged into which `:…` cache. Caches are written in /proc/slabinfo order
// (reverse creation order); each row's `name` is the slabinfo name (the first creator's name),
// `dir` the sysfs directory it lives in. Run as root (both /proc/slabinfo and some files are 0400).
// No dependencies: `node scripts/capture-sysfs-fixture.mjs [--out DIR] [--root SYSFS_SLAB_DIR]`.

import {lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync} from 'node:fs';
import {basename, dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const NUMERIC_ATTRS = [
	'object_size',
	'slab_size',
	'align',
	'order',
	'objs_per_slab',
	'min_partial',
	'cpu_partial',
	'sheaf_capacity',
	'aliases',
	'usersize',
];
const FLAG_ATTRS = [
	'hwcache_align',
	'poison',
	'red_zone',
	'store_user',
	'reclaim_account',
	'destroy_by_rcu',
	'cache_dma',
	'sanity_checks',
	'trace',
];

function option(name, fallback) {
	const i = process.argv.indexOf(name);
	return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const here = dirname(fileURLToPath(import.meta.url));
const slabRoot = option('--root', '/sys/kernel/slab');
const outDir = resolve(option('--out', join(here, '..', 'test', 'fixtures', 'sysfs')));

const readText = path => readFileSync(path, 'utf8').trim();

/** num_present_cpus(): count the CPUs in a list like `0-1` or `0,2-5`. */
function countCpus(list) {
	let n = 0;
	for (const part of list.split(',')) {
		if (part === '') continue;
		const [lo, hi = lo] = part.split('-').map(Number);
		n += hi - lo + 1;
	}
	return n;
}

function readNumber(dir, attr) {
	const text = readText(join(dir, attr));
	const value = Number(text.split(/\s/)[0]); // some files may carry a per-node suffix
	if (!Number.isInteger(value)) throw new Error(`${dir}/${attr}: not a number: ${JSON.stringify(text)}`);
	return value;
}

function readCache(dir) {
	const row = {};
	for (const attr of NUMERIC_ATTRS) row[attr] = readNumber(dir, attr);
	for (const attr of FLAG_ATTRS) row[attr] = readNumber(dir, attr);
	row.ctor = readText(join(dir, 'ctor')); // symbol+off/len, or '' without a constructor
	return row;
}

/** Names in /proc/slabinfo order (skips the two header lines). */
function slabinfoNames() {
	const lines = readFileSync('/proc/slabinfo', 'utf8').split('\n');
	if (!lines[0]?.startsWith('slabinfo - version: 2.')) throw new Error(`unexpected /proc/slabinfo header: ${lines[0]}`);
	return lines
		.slice(1)
		.filter(line => line !== '' && !line.startsWith('#'))
		.map(line => line.split(/\s+/)[0]);
}

const dirs = new Set();
const symlinks = {};
for (const entry of readdirSync(slabRoot).sort()) {
	const st = lstatSync(join(slabRoot, entry));
	if (st.isSymbolicLink()) symlinks[entry] = basename(readlinkSync(join(slabRoot, entry)));
	else if (st.isDirectory()) dirs.add(entry);
}

const caches = [];
const seen = new Set();
for (const name of slabinfoNames()) {
	const dir = dirs.has(name) ? name : symlinks[name];
	if (dir === undefined || !dirs.has(dir)) throw new Error(`slabinfo cache ${name} has no sysfs directory`);
	if (seen.has(dir)) throw new Error(`two slabinfo rows map to ${dir}`);
	seen.add(dir);
	const members = Object.keys(symlinks).filter(alias => symlinks[alias] === dir);
	caches.push({name, dir, members, ...readCache(join(slabRoot, dir))});
}
const missing = [...dirs].filter(dir => !seen.has(dir));
if (missing.length > 0) throw new Error(`sysfs caches missing from /proc/slabinfo: ${missing.join(' ')}`);

const kernelRelease = readText('/proc/sys/kernel/osrelease');
const cpus = countCpus(readText('/sys/devices/system/cpu/present'));
const fixture = {
	kernelRelease,
	cpus,
	capturedAt: new Date().toISOString().slice(0, 10),
	source: 'scripts/capture-sysfs-fixture.mjs: /sys/kernel/slab, /proc/slabinfo, /sys/devices/system/cpu/present',
	order:
		'caches in /proc/slabinfo order = reverse creation order; name = first creator, dir = sysfs directory, members = alias symlinks',
	caches,
	symlinks,
};

mkdirSync(outDir, {recursive: true});
const out = join(outDir, `slab-${kernelRelease}-${cpus}cpu.json`);
writeFileSync(out, `${JSON.stringify(fixture, null, '\t')}\n`);
console.log(`${out}: ${caches.length} caches, ${Object.keys(symlinks).length} symlinks, ${cpus} CPUs`);
