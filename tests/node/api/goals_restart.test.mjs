// Goals created through the REST API are journaled: after a restart on the
// same state dir they are back under the same ids with their updates, a
// finished goal stays finished (and refuses updates), a deleted one stays
// deleted, ids are never reused, and a goal whose deadline passed while the
// host was down ends (missed) on the first evaluation after the restart.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { requireEnv, startHost } from '../lib/host.mjs';

const exe = requireEnv('TH_TRADEHOST');
const repo = requireEnv('TH_REPO');
const stateDir = mkdtempSync(join(tmpdir(), 'th-goals-'));
let host;

after(async () => {
	if (host) await host.stop();
	rmSync(stateDir, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(method, path, body) {
	const headers = { authorization: `Bearer ${host.token}` };
	if (body !== undefined) headers['content-type'] = 'application/json';
	const res = await fetch(`${host.base}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}

async function expect(method, path, body, status) {
	const res = await call(method, path, body);
	assert.equal(res.status, status, `${method} ${path}: ${res.status} ${res.text.slice(0, 400)}`);
	return res.json;
}

async function stopClean() {
	const { code, sanitizer } = await host.stop();
	assert.equal(sanitizer, '', sanitizer);
	assert.equal(code, 0, `exit ${code}:\n${host.stderr().slice(-3000)}`);
	host = undefined;
}

test('API goals survive a restart with their ids, updates and ends', async () => {
	host = await startHost({ exe, repo, stateDir });
	const kept = await expect('POST', '/goals', { scope: 'agent', target: 'marcus', kind: 'trades', value: '100000',
		action: 'pause', label: 'kept across restarts' }, 201);
	// a drawdown ceiling of 100 % with a deadline: hit once the deadline passes
	const ends = await expect('POST', '/goals', { scope: 'host', kind: 'drawdown', value: '100.00',
		deadline_ms: Date.now() + 2500, label: 'survive 2.5 s' }, 201);
	const gone = await expect('POST', '/goals', { scope: 'farm', target: 'momentum', kind: 'profit', value: '5' }, 201);
	assert.deepEqual([kept.id, ends.id, gone.id], ['g-1', 'g-2', 'g-3']);
	const upd = await expect('PUT', `/goals/${kept.id}`, { value: '250000', label: 'raised' }, 200);
	assert.equal(upd.value, '250000');
	await expect('DELETE', `/goals/${gone.id}`, undefined, 200);
	let hit;
	for (let i = 0; i < 100 && hit?.state !== 'hit'; i++) {
		await sleep(100);
		hit = await expect('GET', `/goals/${ends.id}`, undefined, 200);
	}
	assert.equal(hit.state, 'hit', JSON.stringify(hit));
	assert.equal(hit.progress_ppm, 1000000);
	const token = host.token;
	await stopClean();

	host = await startHost({ exe, repo, stateDir });
	assert.equal(host.token, undefined, 'a restart prints no new token');
	host.token = token;
	assert.match(host.stderr(), /1 re-armed from the journal/);
	const list = (await expect('GET', '/goals', undefined, 200)).goals.filter((g) => g.id.startsWith('g-'));
	assert.deepEqual(list.map((g) => g.id), ['g-1', 'g-2'], JSON.stringify(list));
	const [k, e] = list;
	assert.equal(k.state, 'active');
	assert.equal(k.kind, 'trades');
	assert.equal(k.value, '250000');
	assert.equal(k.label, 'raised');
	assert.equal(k.action, 'pause');
	assert.equal(k.scope, 'agent');
	assert.equal(k.target, 'marcus');
	assert.equal(e.state, 'hit', 'a finished goal stays finished');
	assert.equal(e.progress_ppm, 1000000);
	assert.equal(e.deadline_ms, ends.deadline_ms);
	await expect('GET', `/goals/${gone.id}`, undefined, 404);
	const refused = await expect('PUT', `/goals/${e.id}`, { label: 'again' }, 409);
	assert.match(refused.error.message, /g-2 was already hit/);
	// the re-armed goal is evaluated and can still change
	assert.equal((await expect('PUT', `/goals/${k.id}`, { value: '300000' }, 200)).value, '300000');
	const next = await expect('POST', '/goals', { scope: 'host', kind: 'trades', value: '7' }, 201);
	assert.equal(next.id, 'g-4', 'ids are never reused');
	// a goal whose deadline passes while the host is down
	const late = await expect('POST', '/goals', { scope: 'agent', target: 'mia', kind: 'trades', value: '100000',
		deadline_ms: Date.now() + 1500 }, 201);
	assert.equal(late.id, 'g-5');
	await stopClean();
	const downFor = late.deadline_ms + 300 - Date.now();
	if (downFor > 0) await sleep(downFor);

	// and once more: the update made after the first restart is journaled too,
	// and the goal that ran out of time while down ends as missed
	host = await startHost({ exe, repo, stateDir });
	host.token = token;
	assert.match(host.stderr(), /3 re-armed from the journal/, 'g-5 was still active when the host stopped');
	let missed;
	for (let i = 0; i < 50 && missed?.state !== 'missed'; i++) {
		missed = await expect('GET', '/goals/g-5', undefined, 200);
		if (missed.state !== 'missed') await sleep(100);
	}
	assert.equal(missed.state, 'missed', JSON.stringify(missed));
	assert.match(host.stderr(), /api goal g-5 missed/);
	const again = (await expect('GET', '/goals', undefined, 200)).goals.filter((g) => g.id.startsWith('g-'));
	assert.deepEqual(again.map((g) => [g.id, g.state, g.value]), [['g-1', 'active', '300000'], ['g-2', 'hit', '100.00'],
		['g-4', 'active', '7'], ['g-5', 'missed', '100000']]);
	await stopClean();
});
