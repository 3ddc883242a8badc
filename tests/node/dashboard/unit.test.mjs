// Unit tests of the dashboard's pure modules (no browser, no host): exact
// decimal arithmetic and formatting, the SSE parser under arbitrary chunking,
// the JSON Patch subset for AG-UI STATE_DELTA, order states, the #token= parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDec, subDec, cmpDec, roundDec, fmtDec, fmtBps, fmtPpm, parseDec, isDec, signDec } from '../../../dashboard/src/dec.js';
import { SseParser } from '../../../dashboard/src/sse.js';
import { applyPatch } from '../../../dashboard/src/agui.js';
import { isOpenOrder } from '../../../dashboard/src/orderstate.js';
import { tokenFromFragment } from '../../../dashboard/src/session.js';
import { totals } from '../../../dashboard/src/wallet.js';

test('decimal arithmetic is exact', () => {
	assert.equal(addDec('0.1', '0.2'), '0.3');
	assert.equal(addDec('65012.25', '-0.0150'), '65012.2350');
	assert.equal(subDec('100', '100.01'), '-0.01');
	assert.equal(addDec('-1.5', '1.5'), '0.0');
	assert.equal(cmpDec('2.50', '2.5'), 0);
	assert.equal(cmpDec('-3', '2'), -1);
	assert.equal(signDec('-0.0001'), -1);
	assert.equal(signDec('0.000'), 0);
	assert.equal(addDec('99999999999999999999.99', '0.01'), '100000000000000000000.00'); // past 2^53
	assert.deepEqual(parseDec('-0.0150'), { units: -150n, scale: 4 });
});

test('decimal parsing rejects floats in disguise and garbage', () => {
	for (const bad of ['1e5', '0x10', '', '.5', '1.', 'NaN', '1,000']) {
		assert.equal(isDec(bad), false, bad);
		assert.throws(() => parseDec(bad), /not a decimal string/);
	}
});

test('rounding is half away from zero', () => {
	assert.equal(roundDec('1.005', 2), '1.01');
	assert.equal(roundDec('-1.005', 2), '-1.01');
	assert.equal(roundDec('1.004', 2), '1.00');
	assert.equal(roundDec('7', 2), '7.00');
	assert.equal(roundDec('0.5', 0), '1');
});

test('formatting for people', () => {
	assert.equal(fmtDec('1234567.891', { dp: 2 }), '1,234,567.89');
	assert.equal(fmtDec('-1234.5'), '-1,234.5');
	assert.equal(fmtDec('12.5', { plus: true }), '+12.5');
	assert.equal(fmtDec('0.00', { plus: true }), '0.00');
	assert.equal(fmtDec('-0.001', { dp: 2 }), '0.00'); // no "-0.00"
	assert.equal(fmtDec(undefined), '—');
	assert.equal(fmtDec('n/a'), 'n/a');
	assert.equal(fmtBps(1234), '12.34 %');
	assert.equal(fmtBps(5), '0.05 %');
	assert.equal(fmtBps(-250), '-2.50 %');
	assert.equal(fmtPpm(1000000), '100.0 %');
	assert.equal(fmtPpm(123456), '12.3 %');
	assert.equal(fmtPpm(undefined), '—');
});

function parseAll(chunks) {
	const events = [];
	const p = new SseParser((e) => events.push(e));
	for (const c of chunks) p.push(c);
	p.end();
	return events;
}

test('SSE events survive any chunking', () => {
	const stream = 'data: {"type":"RUN_STARTED"}\n\n: keep-alive\n\nevent: x\ndata: {"a":\ndata: 1}\r\n\r\ndata:{"type":"RUN_FINISHED"}\n\ndata: cut';
	const whole = parseAll([stream]);
	assert.deepEqual(
		whole.map((e) => [e.event, e.data]),
		[
			['message', '{"type":"RUN_STARTED"}'],
			['x', '{"a":\n1}'],
			['message', '{"type":"RUN_FINISHED"}'],
		],
	);
	// Every split point, including between "\r" and "\n", gives the same events.
	for (let i = 1; i < stream.length; i++) assert.deepEqual(parseAll([stream.slice(0, i), stream.slice(i)]), whole, `split at ${i}`);
	assert.deepEqual(parseAll(stream.split('')), whole);
});

test('JSON Patch subset for STATE_DELTA', () => {
	const doc = { wallets: [{ name: 'a', equity: '1' }], killed: false };
	const out = applyPatch(doc, [
		{ op: 'replace', path: '/wallets/0/equity', value: '2' },
		{ op: 'add', path: '/wallets/-', value: { name: 'b' } },
		{ op: 'add', path: '/a~1b', value: 1 },
		{ op: 'remove', path: '/killed' },
	]);
	assert.deepEqual(out, { wallets: [{ name: 'a', equity: '2' }, { name: 'b' }], 'a/b': 1 });
	assert.equal(doc.wallets[0].equity, '1', 'the input is not modified');
	assert.deepEqual(applyPatch({ x: 1 }, [{ op: 'replace', path: '', value: { y: 2 } }]), { y: 2 });
	assert.deepEqual(applyPatch({ x: 1 }, [{ op: 'replace', path: '/no/such/path', value: 3 }]), { x: 1 });
});

test('open orders are the ones not known to be final', () => {
	for (const s of ['new', 'accepted', 'partially_filled', 'pending_cancel', 'something_new']) assert.equal(isOpenOrder({ state: s }), true, s);
	for (const s of ['filled', 'canceled', 'cancelled', 'rejected', 'expired', 'FILLED']) assert.equal(isOpenOrder({ state: s }), false, s);
});

test('the login URL fragment', () => {
	assert.equal(tokenFromFragment('#token=th_abc-DEF_123'), 'th_abc-DEF_123');
	assert.equal(tokenFromFragment('#/overview'), null);
	assert.equal(tokenFromFragment(''), null);
});

test('host totals are the host\'s own total wallet, read as it is (no sum in the dashboard)', () => {
	const total = { name: 'total', kind: 'total', parent: '', equity: '100100.10', cash: '102.10', realized_pnl: '12.60',
		unrealized_pnl: '-3.05', fees: '1.30', drawdown_bps: 7 };
	assert.deepEqual(totals(total), { equity: '100100.10', pnl: '9.55', fees: '1.30', drawdownBps: 7 });
	// before the first answer: nothing to show, and no throw
	assert.deepEqual(totals(undefined), { equity: undefined, pnl: undefined, fees: undefined, drawdownBps: undefined });
});
