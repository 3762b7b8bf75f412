// Engine errors. The hot path never throws: out of memory returns NIL. Only setup code
// (createEngine with a bad config) throws an EngineError; every operation a user can get
// wrong returns an EngineResult value instead.

export type EngineErrorCode =
	'bad-config' | 'bad-argument' | 'no-such-cache' | 'cache-exists' | 'cache-busy' | 'bad-address' | 'out-of-memory';

export class EngineError extends Error {
	readonly code: EngineErrorCode;
	constructor(code: EngineErrorCode, message: string) {
		super(message);
		this.name = 'EngineError';
		this.code = code;
	}
}

export type EngineResult<T> = {ok: true; value: T} | {ok: false; code: EngineErrorCode; message: string};

export const ok = <T>(value: T): EngineResult<T> => ({ok: true, value});
export const fail = <T>(code: EngineErrorCode, message: string): EngineResult<T> => ({ok: false, code, message});
