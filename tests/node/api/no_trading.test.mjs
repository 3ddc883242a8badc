// A host without a [market] section runs its plugins only: the trading
// routes answer 503 no_trading (documented), the others still work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { requireEnv, startHost } from '../lib/host.mjs';

const exe = requireEnv('TH_TRADEHOST');
const repo = requireEnv('TH_REPO');
let host, dir, doc;

async function get(path, token = host.token) {
	const res = await fetch(host.base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
	return { status: res.status, json: await res.json().catch(() => undefined) };
}

before(async () => {
	dir = mkdtempSync(join(tmpdir(), 'th-api-nt-'));
	const cfg = join(dir, 'plugins-only.toml');
	writeFileSync(cfg, '[host]\nmode = "paper"\nlog_level = "warn"\n');
	host = await startHost({ exe, repo, configFile: cfg });
	doc = (await get('/api/v1/openapi.json', null)).json;
});

after(async () => {
	const end = await host?.stop();
	assert.equal(end?.sanitizer, '', end?.sanitizer);
	assert.equal(end?.code, 0, `the host exited with ${end?.code}`);
	rmSync(dir, { recursive: true, force: true });
});

test('trading routes answer 503 no_trading, as documented', async () => {
	for (const path of ['/api/v1/orders', '/api/v1/wallets', '/api/v1/farms', '/api/v1/risk', '/api/v1/goals']) {
		const r = await get(path);
		assert.equal(r.status, 503, path);
		assert.equal(r.json.error.code, 'no_trading');
		assert.match(r.json.error.message, /\[market\]/);
		assert.ok(doc.paths[path].get.responses['503'], `${path}: 503 is not documented`);
	}
	const r = await fetch(`${host.base}/api/v1/orders`, {
		method: 'POST',
		headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
		body: '{}',
	});
	assert.equal(r.status, 503);
});

test('the other routes still answer', async () => {
	assert.equal((await get('/api/v1/health')).status, 200);
	assert.equal((await get('/api/v1/ready')).json.ready, true);
	assert.deepEqual((await get('/api/v1/plugins')).json, { plugins: [] });
	assert.deepEqual((await get('/api/v1/instruments')).json, { instruments: [] });
	assert.deepEqual((await get('/api/v1/alerts')).json, { alerts: [] });
	const bt = await fetch(`${host.base}/api/v1/backtests`, {
		method: 'POST',
		headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
		body: '{"bars":10}',
	});
	assert.equal(bt.status, 503);
});
