// The REST contract test: a real paper host, its own OpenAPI document, and
// for EVERY documented operation a valid call whose body is validated with
// ajv against the documented schema of the status it answered. The list of
// calls below must cover exactly the documented operations (a route added
// to the table without a case here fails the test, and so does a case for a
// route that is not documented). Then: bad bodies for every body route,
// undocumented paths, a manual order placed and canceled, a risk denial
// (422), the kill switch, and a backtest from start to its reports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import WebSocket from 'ws';

import { requireEnv, startHost } from '../lib/host.mjs';

const exe = requireEnv('TH_TRADEHOST');
const repo = requireEnv('TH_REPO');
let host, doc, ajv;
const validators = new Map();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(method, path, { body, raw, token = host.token, headers = {} } = {}) {
	const h = { ...headers };
	if (token) h.authorization = `Bearer ${token}`;
	let payload;
	if (raw !== undefined) payload = raw;
	else if (body !== undefined) payload = JSON.stringify(body);
	if (payload !== undefined) h['content-type'] = 'application/json';
	const res = await fetch(host.base + path, { method, headers: h, body: payload });
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, type: res.headers.get('content-type') || '', text, json };
}

function operation(method, docPath) {
	const op = doc.paths[docPath]?.[method.toLowerCase()];
	assert.ok(op, `${method} ${docPath} is not in the OpenAPI document`);
	return op;
}

/** Validates a response against the schema documented for its status. */
function checkDocumented(method, docPath, res) {
	const op = operation(method, docPath);
	const resp = op.responses[String(res.status)];
	assert.ok(resp, `${method} ${docPath} answered ${res.status}, which is not documented: ${res.text.slice(0, 300)}`);
	const content = resp.content || {};
	const ctype = Object.keys(content)[0];
	if (!ctype) return;
	assert.ok(res.type.startsWith(ctype.split(';')[0]), `${method} ${docPath}: content type ${res.type}, documented ${ctype}`);
	if (!ctype.startsWith('application/json')) return;
	const key = `${method} ${docPath} ${res.status}`;
	let v = validators.get(key);
	if (!v) {
		v = ajv.compile({ ...content[ctype].schema, components: doc.components });
		validators.set(key, v);
	}
	assert.ok(res.json !== undefined, `${key}: body is not JSON: ${res.text.slice(0, 200)}`);
	assert.ok(v(res.json), `${key}: ${ajv.errorsText(v.errors)}\n${res.text.slice(0, 500)}`);
}

/** A documented call expected to answer `status`; returns the response. */
async function expectCall(method, docPath, { params = {}, query = '', body, status }) {
	let path = docPath;
	for (const [k, v] of Object.entries(params)) path = path.replace(`{${k}}`, encodeURIComponent(v));
	const res = await call(method, path + query, { body });
	assert.equal(res.status, status, `${method} ${path}${query}: ${res.status} ${res.text.slice(0, 400)}`);
	checkDocumented(method, docPath, res);
	covered.add(`${method} ${docPath}`);
	return res;
}
const covered = new Set();

const P = '/api/v1';
const state = {};

before(async () => {
	// 200 ms bars: the var model has its 10 bars of history within seconds
	host = await startHost({ exe, repo, extraArgs: ['--set', 'market.bar_ms=200'] });
	const res = await call('GET', `${P}/openapi.json`, { token: null });
	assert.equal(res.status, 200);
	doc = res.json;
	ajv = new Ajv({ strict: false, allErrors: true });
	addFormats(ajv);
});

after(async () => {
	const end = await host?.stop();
	// a clean shutdown, and nothing from the sanitizers in their builds
	assert.equal(end?.sanitizer, '', end?.sanitizer);
	assert.equal(end?.code, 0, `the host exited with ${end?.code}`);
});

test('the document is OpenAPI 3.0.3 with bearer security and public routes marked', () => {
	assert.equal(doc.openapi, '3.0.3');
	assert.equal(doc.components.securitySchemes.bearer.scheme, 'bearer');
	assert.deepEqual(operation('GET', `${P}/health`).security, []);
	assert.deepEqual(operation('GET', `${P}/openapi.json`).security, []);
	assert.equal(operation('GET', `${P}/orders`).security, undefined); // the global bearer requirement
	for (const [path, item] of Object.entries(doc.paths))
		for (const [m, op] of Object.entries(item)) {
			assert.ok(op.summary && op.responses, `${m} ${path} lacks a summary or responses`);
			for (const p of path.match(/\{[^}]+\}/g) || [])
				assert.ok(op.parameters?.some((x) => x.in === 'path' && `{${x.name}}` === p), `${m} ${path}: ${p} undocumented`);
		}
});

test('public and authenticated access', async () => {
	await expectCall('GET', `${P}/health`, { status: 200 });
	const anon = await call('GET', `${P}/orders`, { token: null });
	assert.equal(anon.status, 401);
	checkDocumented('GET', `${P}/orders`, anon);
	const me = await expectCall('GET', `${P}/me`, { status: 200 });
	assert.deepEqual(me.json, { name: 'admin', role: 'admin' });
});

test('undocumented paths answer 404, documented paths with another method 405', async () => {
	assert.equal((await call('GET', `${P}/no-such-route`)).status, 404);
	assert.equal((await call('GET', `${P}/orders/x/y/z`)).status, 404);
	const r = await call('DELETE', `${P}/health`);
	assert.equal(r.status, 405);
	assert.match(r.json.error.code, /method_not_allowed/);
});

test('read routes', async () => {
	const h = await expectCall('GET', `${P}/health`, { status: 200 });
	assert.equal(h.json.mode, 'paper');
	// ready once reconciliation is over
	for (let i = 0; i < 50; i++) {
		const r = await call('GET', `${P}/ready`);
		if (r.status === 200) break;
		await sleep(100);
	}
	await expectCall('GET', `${P}/ready`, { status: 200 });
	await expectCall('GET', `${P}/openapi.json`, { status: 200 });
	const plugins = await expectCall('GET', `${P}/plugins`, { status: 200 });
	assert.ok(plugins.json.plugins.some((p) => p.name === 'sim' && p.kind === 'exchange' && p.running));
	const cfg = await expectCall('GET', `${P}/config`, { status: 200 });
	assert.equal(cfg.json.capital.deposit, '100000');
	const farms = await expectCall('GET', `${P}/farms`, { status: 200 });
	assert.deepEqual(farms.json.farms.map((f) => f.name), ['momentum', 'reversion', 'arbitrage']);
	await expectCall('GET', `${P}/farms/{name}`, { params: { name: 'momentum' }, status: 200 });
	await expectCall('GET', `${P}/farms/{name}`, { params: { name: 'nope' }, status: 404 });
	const agents = await expectCall('GET', `${P}/agents`, { status: 200 });
	assert.ok(agents.json.agents.some((a) => a.name === 'marcus' && a.farm === 'momentum'));
	await expectCall('GET', `${P}/agents/{name}`, { params: { name: 'marcus' }, status: 200 });
	const wallets = await expectCall('GET', `${P}/wallets`, { status: 200 });
	assert.equal(wallets.json.quote, 'USDT');
	// the hierarchy adds up: master + farms' equity == the deposit at start (no trades yet may have happened)
	const total = await expectCall('GET', `${P}/wallets/{name}`, { params: { name: 'total' }, status: 200 });
	assert.match(total.json.equity, /^[0-9]+\.[0-9]+$/);
	// the list carries the host total as the ledger defines it: master cash + every farm's equity
	const t = wallets.json.total;
	assert.equal(t.kind, 'total');
	assert.equal(t.name, 'total');
	const units = (d) => {
		const [i, f = ''] = d.replace('-', '').split('.');
		const v = BigInt(i) * 100000000n + BigInt(f.padEnd(8, '0'));
		return d.startsWith('-') ? -v : v;
	};
	const master = wallets.json.wallets.find((w) => w.kind === 'master');
	const farmWallets = wallets.json.wallets.filter((w) => w.kind === 'farm');
	assert.ok(farmWallets.length >= 1);
	assert.equal(units(t.equity), farmWallets.reduce((acc, f) => acc + units(f.equity), units(master.cash)), JSON.stringify(t));
	assert.notEqual(units(t.equity), units(master.equity), 'the master wallet alone is only its unallocated cash');
	await expectCall('GET', `${P}/wallets/{name}`, { params: { name: 'marcus' }, status: 200 });
	await expectCall('GET', `${P}/goals`, { status: 200 });
	await expectCall('GET', `${P}/orders`, { query: '?state=all&limit=5', status: 200 });
	await expectCall('GET', `${P}/fills`, { query: '?limit=5', status: 200 });
	await expectCall('GET', `${P}/positions`, { status: 200 });
	await expectCall('GET', `${P}/balances`, { status: 200 });
	const ins = await expectCall('GET', `${P}/instruments`, { status: 200 });
	assert.ok(ins.json.instruments.some((i) => i.venue === 'sim' && i.symbol === 'BTC-USDT' && i.tick === '0.01'));
	await sleep(600);
	const bars = await expectCall('GET', `${P}/market/{symbol}/bars`, { params: { symbol: 'BTC-USDT' }, query: '?limit=3', status: 200 });
	assert.ok(bars.json.bars.length >= 1 && bars.json.bars.length <= 3);
	await expectCall('GET', `${P}/market/{symbol}/bars`, { params: { symbol: 'NOPE-USDT' }, status: 404 });
	await expectCall('GET', `${P}/alerts`, { status: 200 });
	await expectCall('GET', `${P}/decisions`, { query: '?limit=10', status: 200 });
	await expectCall('GET', `${P}/risk`, { status: 200 });
	await expectCall('GET', `${P}/backtests`, { status: 200 });
	const bad = await call('GET', `${P}/orders?limit=0`);
	assert.equal(bad.status, 400);
	checkDocumented('GET', `${P}/orders`, bad);
});

test('the WebSocket stream (access_token, subscribe, equity every second)', async () => {
	const url = host.base.replace(/^http/, 'ws') + `${P}/ws?access_token=${host.token}`;
	const ws = new WebSocket(url);
	const got = await new Promise((resolve, reject) => {
		const t = setTimeout(() => reject(new Error('no equity message within 5 s')), 5000);
		ws.on('open', () => ws.send(JSON.stringify({ op: 'subscribe', topics: ['equity', 'market:BTC-USDT'] })));
		const seen = new Set();
		let equity;
		ws.on('message', (m) => {
			const msg = JSON.parse(m.toString());
			if (msg.topic) seen.add(msg.topic.split(':')[0]);
			if (msg.topic === 'equity') equity = msg;
			if (seen.has('equity') && seen.has('market')) {
				clearTimeout(t);
				resolve(equity);
			}
		});
		ws.on('error', reject);
	});
	ws.close();
	assert.equal(got.topic, 'equity');
	// the host total travels with the wallets, as in GET /wallets
	const data = got.data;
	assert.equal(data.total?.kind, 'total', JSON.stringify(got).slice(0, 400));
	assert.match(data.total.equity, /^[0-9]+\.[0-9]+$/);
	assert.ok(Array.isArray(data.wallets));
	covered.add(`GET ${P}/ws`);
});

test('capital actions, pauses and goals', async () => {
	const t = await expectCall('POST', `${P}/wallets/transfer`, { body: { from: 'marcus', to: 'momentum', amount: '100' }, status: 200 });
	assert.equal(t.json.from.name, 'marcus');
	await expectCall('POST', `${P}/wallets/transfer`, { body: { from: 'marcus', to: 'nobody', amount: '1' }, status: 404 });
	await expectCall('POST', `${P}/wallets/transfer`, { body: { from: 'master', to: 'marcus', amount: '1' }, status: 409 });
	const alloc = await expectCall('POST', `${P}/wallets/{name}/allocation`, { params: { name: 'marcus' }, body: { amount: '19950' }, status: 200 });
	assert.equal(alloc.json.allocated, '19950.00');
	await expectCall('POST', `${P}/wallets/rebalance`, { body: { scope: 'momentum' }, status: 200 });
	const fp = await expectCall('POST', `${P}/farms/{name}/pause`, { params: { name: 'reversion' }, status: 200 });
	assert.deepEqual(fp.json, { name: 'reversion', paused: true });
	assert.equal((await call('GET', `${P}/farms/reversion`)).json.paused, true);
	await expectCall('POST', `${P}/farms/{name}/resume`, { params: { name: 'reversion' }, status: 200 });
	await expectCall('POST', `${P}/agents/{name}/pause`, { params: { name: 'gus' }, status: 200 });
	assert.equal((await call('GET', `${P}/agents/gus`)).json.paused, true);
	await expectCall('POST', `${P}/agents/{name}/resume`, { params: { name: 'gus' }, status: 200 });

	const g = await expectCall('POST', `${P}/goals`, {
		body: { scope: 'agent', target: 'marcus', kind: 'profit', value: '1000', deadline_ms: Date.now() + 3600e3, action: 'pause' },
		status: 201,
	});
	assert.equal(g.json.state, 'active');
	assert.equal(g.json.value, '1000');
	await expectCall('POST', `${P}/goals`, { body: { scope: 'farm', target: 'nobody', kind: 'trades', value: '5' }, status: 404 });
	await expectCall('GET', `${P}/goals/{id}`, { params: { id: g.json.id }, status: 200 });
	const u = await expectCall('PUT', `${P}/goals/{id}`, { params: { id: g.json.id }, body: { value: '500' }, status: 200 });
	assert.equal(u.json.value, '500');
	assert.ok((await call('GET', `${P}/goals`)).json.goals.some((x) => x.id === g.json.id));
	await expectCall('DELETE', `${P}/goals/{id}`, { params: { id: g.json.id }, status: 200 });
	await expectCall('GET', `${P}/goals/{id}`, { params: { id: g.json.id }, status: 404 });
});

async function placeOrder(body) {
	// the var model denies (no_data) until it has 10 bars: retry for a while
	for (let i = 0; ; i++) {
		const res = await call('POST', `${P}/orders`, { body });
		if (res.status !== 422 || !/usable bars|history/.test(res.json?.error?.message) || i > 100) return res;
		await sleep(200);
	}
}

test('manual order: placed through the risk pipeline, listed, canceled; a denial is 422', async () => {
	const bars = (await call('GET', `${P}/market/BTC-USDT/bars?limit=1`)).json.bars;
	const last = Number(bars[bars.length - 1].close);
	const price = (Math.floor(last * 0.9 * 100) / 100).toFixed(2); // resting: 10 % below, inside the price band
	const body = { agent: 'marcus', venue: 'sim', symbol: 'BTC-USDT', side: 'buy', type: 'limit', qty: '0.0100', price };
	const placed = await placeOrder(body);
	assert.equal(placed.status, 202, placed.text);
	checkDocumented('POST', `${P}/orders`, placed);
	covered.add(`POST ${P}/orders`);
	assert.equal(placed.json.manual, true);
	assert.equal(placed.json.agent, 'marcus');
	assert.equal(placed.json.qty, '0.0100');
	assert.equal(placed.json.price, price);
	const id = placed.json.client_order_id;
	const open = await expectCall('GET', `${P}/orders`, { query: '?state=open&agent=marcus', status: 200 });
	assert.ok(open.json.orders.some((o) => o.client_order_id === id));
	await expectCall('GET', `${P}/orders/{id}`, { params: { id }, status: 200 });
	await expectCall('GET', `${P}/orders/{id}`, { params: { id: 'nope' }, status: 404 });
	await expectCall('DELETE', `${P}/orders/{id}`, { params: { id }, status: 202 });
	for (let i = 0; i < 50; i++) {
		const o = (await call('GET', `${P}/orders/${id}`)).json;
		if (o.state === 'canceled') break;
		assert.ok(i < 49, `order ${id} never canceled: ${o.state}`);
		await sleep(100);
	}
	await expectCall('DELETE', `${P}/orders/{id}`, { params: { id }, status: 409 });

	// 1 BTC is far above the 15000 notional limit
	const denied = await placeOrder({ ...body, qty: '1' });
	assert.equal(denied.status, 422, denied.text);
	checkDocumented('POST', `${P}/orders`, denied);
	assert.equal(denied.json.error.code, 'risk_denied');
	assert.match(denied.json.error.message, /notional/);
	// more decimals than the instrument has
	const fine = await call('POST', `${P}/orders`, { body: { ...body, qty: '0.00001' } });
	assert.equal(fine.status, 400);
	assert.match(fine.json.error.message, /qty/);
	await expectCall('POST', `${P}/orders`, { body: { ...body, agent: 'nobody' }, status: 404 });
	const risk = (await call('GET', `${P}/risk`)).json;
	assert.ok(risk.decisions.denied >= 1 && risk.decisions.by_reason.notional >= 1, JSON.stringify(risk.decisions));
});

test('risk states, the kill switch and resume', async () => {
	const s = await expectCall('POST', `${P}/risk/state`, { body: { scope: 'agent', name: 'mia', state: 'reducing', reason: 'contract test' }, status: 200 });
	assert.deepEqual(s.json, { scope: 'agent', name: 'mia', state: 'reducing' });
	let risk = (await call('GET', `${P}/risk`)).json;
	assert.ok(risk.states.some((x) => x.scope === 'agent' && x.name === 'mia' && x.state === 'reducing'));
	await expectCall('POST', `${P}/risk/state`, { body: { scope: 'agent', name: 'mia', state: 'active' }, status: 200 });
	const k = await expectCall('POST', `${P}/risk/kill`, { body: { reason: 'contract test' }, status: 200 });
	assert.equal(k.json.killed, true);
	const agents = (await call('GET', `${P}/agents`)).json.agents;
	assert.ok(agents.length > 0 && agents.every((a) => a.state === 'halted'), JSON.stringify(agents.map((a) => a.state)));
	for (let i = 0; ; i++) {
		const open = (await call('GET', `${P}/orders?state=open&limit=500`)).json.orders;
		if (open.length === 0) break;
		assert.ok(i < 50, `open orders remain after the kill: ${open.map((o) => o.client_order_id)}`);
		await sleep(100);
	}
	risk = (await call('GET', `${P}/risk`)).json;
	assert.equal(risk.killed, true);
	const r = await expectCall('POST', `${P}/risk/resume`, { body: {}, status: 200 });
	assert.equal(r.json.killed, false);
	assert.equal((await call('GET', `${P}/risk`)).json.killed, false);
});

test('reload answers with its summary', async () => {
	const r = await expectCall('POST', `${P}/plugins/reload`, { status: 200 });
	assert.equal(r.json.failures, 0, r.json.summary);
});

test('a backtest runs to its reports', { timeout: 240000 }, async () => {
	const bt = await expectCall('POST', `${P}/backtests`, { body: { bars: 300, seed: 7 }, status: 202 });
	assert.equal(bt.json.state, 'running');
	let cur;
	for (let i = 0; ; i++) {
		cur = (await expectCall('GET', `${P}/backtests/{id}`, { params: { id: bt.json.id }, status: 200 })).json;
		if (cur.state !== 'running') break;
		assert.ok(i < 1800, 'the backtest did not finish within 180 s');
		await sleep(100);
	}
	assert.equal(cur.state, 'done', cur.error);
	assert.equal(cur.progress_ppm, 1000000);
	assert.ok(cur.bars >= 300, `bars ${cur.bars}`);
	const rep = await expectCall('GET', `${P}/backtests/{id}/report`, { params: { id: bt.json.id }, status: 200 });
	assert.equal(typeof rep.json, 'object');
	const html = await expectCall('GET', `${P}/backtests/{id}/report.html`, { params: { id: bt.json.id }, status: 200 });
	assert.match(html.text, /<html/i);
	assert.ok((await call('GET', `${P}/backtests`)).json.backtests.some((b) => b.id === bt.json.id));
	await expectCall('GET', `${P}/backtests/{id}`, { params: { id: 'bt-nope' }, status: 404 });
	const failed = await call('POST', `${P}/backtests`, { body: { from: 'yesterday' } });
	assert.equal(failed.status, 202);
	for (let i = 0; ; i++) {
		cur = (await call('GET', `${P}/backtests/${failed.json.id}`)).json;
		if (cur.state !== 'running') break;
		assert.ok(i < 600);
		await sleep(100);
	}
	assert.equal(cur.state, 'failed');
	assert.match(cur.error, /from|time|yesterday/i);
	await expectCall('GET', `${P}/backtests/{id}/report`, { params: { id: failed.json.id }, status: 409 });
});

// A valid body for each body route, to derive the bad ones from.
const validBodies = {
	'POST /api/v1/wallets/transfer': { from: 'marcus', to: 'momentum', amount: '1' },
	'POST /api/v1/wallets/{name}/allocation': { amount: '1' },
	'POST /api/v1/wallets/rebalance': { scope: 'master' },
	'POST /api/v1/goals': { scope: 'host', kind: 'trades', value: '3' },
	'PUT /api/v1/goals/{id}': { value: '2' },
	'POST /api/v1/orders': { agent: 'marcus', venue: 'sim', symbol: 'BTC-USDT', side: 'buy', type: 'market', qty: '0.001' },
	'POST /api/v1/risk/state': { scope: 'host', state: 'active' },
	'POST /api/v1/risk/kill': { reason: 'x' },
	'POST /api/v1/risk/resume': { reason: 'x' },
	'POST /api/v1/backtests': { bars: 10 },
};

function wrongValue(schema) {
	if (schema.type === 'string') return 12345;
	if (schema.type === 'integer') return 'twelve';
	if (schema.type === 'boolean') return 'yes';
	return null;
}

test('bad bodies on every body route: 400 with the documented error shape', async () => {
	const params = { name: 'marcus', id: 'g-999999' };
	for (const [path, item] of Object.entries(doc.paths)) {
		for (const [m, op] of Object.entries(item)) {
			if (!op.requestBody) continue;
			const method = m.toUpperCase();
			const schema = op.requestBody.content['application/json'].schema;
			const url = path.replace(/\{(\w+)\}/g, (_, k) => params[k]);
			const key = `${method} ${path}`;
			const valid = validBodies[key] ?? {};
			const cases = [
				['bad_json', '{"unterminated": '],
				['bad_json', '[1,2]'],
				['unknown_field', JSON.stringify({ ...valid, surely_not_a_field: 1 })],
			];
			const props = Object.entries(schema.properties || {});
			if (props.length) {
				const [name, ps] = props[0];
				cases.push(['bad_field', JSON.stringify({ ...valid, [name]: wrongValue(ps) })]);
			}
			for (const req of schema.required || []) {
				const b = { ...valid };
				delete b[req];
				cases.push(['missing_field', JSON.stringify(b)]);
			}
			for (const [code, raw] of cases) {
				const res = await call(method, url, { raw });
				assert.equal(res.status, 400, `${key} with ${raw}: ${res.status} ${res.text}`);
				assert.equal(res.json?.error?.code, code, `${key} with ${raw}: ${res.text}`);
				assert.ok(res.json.error.message.length > 5);
				checkDocumented(method, path, res);
			}
		}
	}
	// a decimal must be a string, never a JSON number
	const n = await call('POST', `${P}/wallets/transfer`, { body: { from: 'marcus', to: 'momentum', amount: 1 } });
	assert.equal(n.status, 400);
	assert.match(n.json.error.message, /amount/);
});

test('every documented operation was called (and nothing undocumented was)', () => {
	const documented = new Set();
	for (const [path, item] of Object.entries(doc.paths))
		for (const m of Object.keys(item)) documented.add(`${m.toUpperCase()} ${path}`);
	const missing = [...documented].filter((k) => !covered.has(k));
	const extra = [...covered].filter((k) => !documented.has(k));
	assert.deepEqual(missing, [], `documented but not exercised: ${missing.join(', ')}`);
	assert.deepEqual(extra, [], `exercised but not documented: ${extra.join(', ')}`);
});
