import {describe, expect, it} from 'vitest';
import {createPrometheusClient} from '../../source/sources/prometheus-fetch.js';
import {createFleetStore} from '../../source/ui/fleet-store.js';

type Answer = Array<{metric: Record<string, string>; value: [number, string]}>;

/** A fetch answering every query with `answer(query)`, or failing while `isDown()`. */
function clientOf(answer: (query: string) => Answer, isDown: () => boolean = () => false) {
	const fake = (input: string | URL | Request): Promise<Response> => {
		if (isDown())
			return Promise.reject(new TypeError('fetch failed', {cause: new Error('connect ECONNREFUSED 127.0.0.1:9')}));
		const query = new URL(input instanceof Request ? input.url : input).searchParams.get('query') ?? '';
		return Promise.resolve(
			new Response(JSON.stringify({status: 'success', data: {resultType: 'vector', result: answer(query)}})),
		);
	};

	return createPrometheusClient('http://p:9090', {fetch: fake});
}

describe('createFleetStore', () => {
	it('keeps the last figures and shows the failure as one line when the server goes down', async () => {
		let isDown = false;
		const client = clientOf(
			query => (query.startsWith('topk') ? [] : [{metric: {instance: 'a', cache: 'dentry'}, value: [1, '42']}]),
			() => isDown,
		);
		const store = createFleetStore(client);
		let updates = 0;
		store.subscribe(() => updates++);
		await store.requestFleet('dentry', 300);
		expect(store.getSnapshot().fleet?.hosts.map(host => [host.host, host.activeObjs, host.isEstimate])).toEqual([
			['a', 42, false],
		]);
		isDown = true;
		await store.requestFleet('dentry', 300);
		expect(store.getSnapshot().error).toBe(
			'prometheus http://p:9090: cannot connect (connect ECONNREFUSED 127.0.0.1:9)',
		);
		expect(store.getSnapshot().fleet?.cache).toBe('dentry');
		expect(updates).toBe(2);
	});

	it('drops the answer to a request another one replaced', async () => {
		const store = createFleetStore(clientOf(() => []));
		const first = store.requestFleet('dentry', 300);
		const second = store.requestFleet('inode_cache', 300);
		await Promise.all([first, second]);
		expect(store.getSnapshot().fleet?.cache).toBe('inode_cache');
	});

	it('lists the hosts', async () => {
		const store = createFleetStore(
			clientOf(() => [
				{metric: {instance: 'b'}, value: [1, '1']},
				{metric: {instance: 'a'}, value: [1, '1']},
			]),
		);
		await store.requestHosts();
		expect(store.getSnapshot().hosts).toEqual(['a', 'b']);
	});
});
