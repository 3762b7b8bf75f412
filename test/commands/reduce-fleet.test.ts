// The reducer with a Prometheus source: Tab between the table and the fleet view, the host
// picker, moving through hosts, Enter showing a host, the growth window.

import {describe, expect, it} from 'vitest';
import {parseKeys} from '../../source/commands/key-parse.js';
import {keyToCommands} from '../../source/commands/keymap.js';
import {screenReducer} from '../../source/commands/reduce.js';
import {initialState, type Frame, type UiCommand, type UiState} from '../../source/commands/state.js';
import {cacheRow} from '../helpers/fake-sources.js';

const frame: Frame = {
	rows: [cacheRow('dentry'), cacheRow('inode_cache')],
	pageRows: 10,
	pageLines: 0,
	isPaused: false,
	hosts: ['db-1', 'web-1', 'web-2'],
	currentHost: 'web-1',
};

const fleetState = (view?: UiState['view']) =>
	initialState({sortKey: 'o', delayMs: 2000, isSim: false, isFleet: true, initialView: view});

function run(commands: UiCommand[], state: UiState) {
	const {ui, effects} = screenReducer({ui: state, effects: []}, {kind: 'commands', commands, frame});
	return {state: ui, effects};
}

describe('reduce with a Prometheus source', () => {
	it('cycles Tab between the cache table and the fleet view', () => {
		const state = fleetState();
		expect(run([{kind: 'cycle-view'}], state).state.view).toBe('fleet');
		expect(run([{kind: 'cycle-view'}, {kind: 'cycle-view'}], state).state.view).toBe('caches');
	});

	it("keeps the simulator's views for other sources", () => {
		const sim = initialState({sortKey: 'o', delayMs: 1000, isSim: true});
		expect(run([{kind: 'cycle-view'}], sim).state.view).toBe('memory');
	});

	it("moves through the hosts from the one shown, and Enter shows the selected host's table", () => {
		const {state, effects} = run(
			[{kind: 'cycle-view'}, {kind: 'move', delta: -1}, {kind: 'open-detail'}],
			fleetState(),
		);
		expect(state.view).toBe('caches');
		expect(effects).toEqual([{kind: 'show-host', host: 'db-1'}, {kind: 'refresh'}]);
	});

	it('opens the host picker with h and closes it with h or Esc; Enter without a move shows the host shown', () => {
		expect(run([{kind: 'pick-host'}], fleetState()).state.view).toBe('hosts');
		expect(run([{kind: 'pick-host'}, {kind: 'pick-host'}], fleetState()).state.view).toBe('caches');
		expect(run([{kind: 'pick-host'}, {kind: 'back'}], fleetState()).state.view).toBe('caches');
		expect(run([{kind: 'open-detail'}], fleetState('hosts')).effects).toEqual([
			{kind: 'show-host', host: 'web-1'},
			{kind: 'refresh'},
		]);
		expect(run([{kind: 'end'}, {kind: 'open-detail'}], fleetState('hosts')).effects[0]).toEqual({
			kind: 'show-host',
			host: 'web-2',
		});
	});

	it('refuses the host picker without a Prometheus source, changing nothing else', () => {
		const sim = initialState({sortKey: 'o', delayMs: 1000, isSim: true});
		const {state} = run([{kind: 'pick-host'}], sim);
		expect(state.view).toBe('caches');
		expect(state.answer).toEqual({
			ok: false,
			error: {kind: 'refused', message: 'the host picker needs a Prometheus source (--source prometheus=URL)'},
		});
	});

	it("orders the fleet view's hosts by growth and back with g, in the fleet view only", () => {
		expect(run([{kind: 'cycle-view'}, {kind: 'toggle-fleet-order'}], fleetState()).state.fleetOrder).toBe('growth');
		expect(
			run([{kind: 'cycle-view'}, {kind: 'toggle-fleet-order'}, {kind: 'toggle-fleet-order'}], fleetState()).state
				.fleetOrder,
		).toBe('size');
		expect(run([{kind: 'toggle-fleet-order'}], fleetState()).state.fleetOrder).toBe('size');
	});

	it('steps the growth window in the fleet view only', () => {
		expect(run([{kind: 'cycle-view'}, {kind: 'cycle-window'}], fleetState()).state.fleetWindow).toBe(900);
		expect(
			run([{kind: 'cycle-view'}, ...Array<UiCommand>(4).fill({kind: 'cycle-window'})], fleetState()).state.fleetWindow,
		).toBe(300);
		expect(run([{kind: 'cycle-window'}], fleetState()).state.fleetWindow).toBe(300);
	});
});

describe('the fleet keys', () => {
	const commandsOf = (keys: string, mode: 'browse' | 'filter') =>
		parseKeys(keys).flatMap(key => keyToCommands(key, mode));
	it('are h and w in browse mode, and text in the filter', () => {
		expect(commandsOf('h', 'browse')).toEqual([{kind: 'pick-host'}]);
		expect(commandsOf('w', 'browse')).toEqual([{kind: 'cycle-window'}]);
		expect(commandsOf('g', 'browse')).toEqual([{kind: 'toggle-fleet-order'}]);
		expect(commandsOf('h', 'filter')).toEqual([{kind: 'type', text: 'h'}]);
	});
});
