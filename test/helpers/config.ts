// Configs and simulators for tests, built the way the CLI builds them: flags → parseConfig →
// config/source-options.ts → createSimSource.

import {parseConfig, type Config, type RawFlags} from '../../source/config/config.js';
import {simOptions} from '../../source/config/source-options.js';
import {createSimSource, type SimOptions} from '../../source/sim/simulator.js';
import type {SimSource} from '../../source/sim/types.js';

/** The Config the flags give; throws (failing the test) on a usage error. */
export function configOf(flags: RawFlags, input: string[] = []): Config {
	const parsed = parseConfig(flags, input);
	if (!parsed.ok || parsed.value.kind !== 'run') throw new Error(`expected a config, got ${JSON.stringify(parsed)}`);
	return parsed.value.config;
}

/** The simulator's options for the flags, with `extra` on top. */
export function simOptionsOf(flags: RawFlags, extra: Partial<SimOptions> = {}): SimOptions {
	return {...simOptions(configOf(flags)), ...extra};
}

/** A booted simulator for the flags; throws (failing the test) if it cannot boot. */
export function simOf(flags: RawFlags, extra: Partial<SimOptions> = {}): SimSource {
	const created = createSimSource(simOptionsOf(flags, extra));
	if (!created.ok) throw new Error(created.error.message);
	return created.value;
}
