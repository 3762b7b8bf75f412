// `afterEachSample(source, act)`: the source, with `act` run on every sample it gives (writing a
// recording, exporting a textfile). A sample whose act fails becomes that failure; every other
// member (a simulator's commands, status, events) goes to the source untouched, bound to it.

import {failWith} from '../result.js';
import type {Sample, SampleResult, SlabSource, SourceError} from './source.js';

export function afterEachSample<S extends SlabSource>(source: S, act: (sample: Sample) => SourceError | null): S {
	const sample = (): SampleResult => {
		const result = source.sample();
		if (!result.ok) return result;
		const error = act(result.value);
		return error === null ? result : failWith(error);
	};

	const bound = new Map<PropertyKey, unknown>();
	return new Proxy(source, {
		get(target, key) {
			if (key === 'sample') return sample;
			const value: unknown = Reflect.get(target, key, target);
			if (typeof value !== 'function') return value;
			let method = bound.get(key);
			if (method === undefined) {
				method = (value as (...args: unknown[]) => unknown).bind(target);
				bound.set(key, method);
			}

			return method;
		},
	});
}
