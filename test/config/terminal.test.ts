import {describe, expect, it} from 'vitest';
import {terminalMode} from '../../source/config/terminal.js';

describe('terminalMode', () => {
	it('draws the screen on a terminal, in colour', () => {
		expect(terminalMode({TERM: 'xterm-256color'}, true)).toEqual({isScreen: true, palette: 'color'});
	});

	it('no screen when TERM is dumb or standard output is not a terminal', () => {
		expect(terminalMode({TERM: 'dumb'}, true).isScreen).toBe(false);
		expect(terminalMode({TERM: 'xterm'}, false).isScreen).toBe(false);
	});

	it('NO_COLOR (any non-empty value) or a configured mono palette give monochrome', () => {
		expect(terminalMode({NO_COLOR: '1'}, true).palette).toBe('mono');
		expect(terminalMode({NO_COLOR: ''}, true).palette).toBe('color');
		expect(terminalMode({}, true, 'mono').palette).toBe('mono');
	});
});
