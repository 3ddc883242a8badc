// The WebSocket hub (host/ws) against a real client: the `ws` package, plus a raw TCP
// client for what `ws` will not send. Drives ws_test_host (tests/integration/ws), whose
// path is in WS_TEST_HOST. Each host listens on 127.0.0.1 with an ephemeral port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import http from 'node:http';
import crypto from 'node:crypto';
import WebSocket from 'ws';

const HOST_BIN = process.env.WS_TEST_HOST;
if (!HOST_BIN) throw new Error('WS_TEST_HOST must name the ws_test_host binary');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Start ws_test_host with extra args; resolves once it printed its port.
function startHost(args = []) {
  return new Promise((resolve, reject) => {
    const proc = spawn(HOST_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stderr.on('data', (d) => { err += d; });
    proc.on('error', reject);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /port=(\d+)/.exec(out);
      if (m) {
        const exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
        resolve({
          port: Number(m[1]),
          stderr: () => err,
          // SIGTERM, then the host tears down the hub and the server and must exit 0.
          async stop() {
            proc.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    proc.on('exit', (code) => { if (!/port=/.test(out)) reject(new Error(`ws_test_host exited ${code}: ${err}`)); });
  });
}

// A connected `ws` client that keeps every JSON message it receives.
async function connect(port) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  ws.inbox = [];
  ws.waiters = [];
  ws.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('error', () => {}); // protocol tests provoke errors on purpose; 'close' carries the outcome
  ws.on('message', (data, isBinary) => {
    const msg = isBinary ? { binary: data } : JSON.parse(data.toString());
    ws.inbox.push(msg);
    ws.waiters = ws.waiters.filter((w) => !(w.pred(msg) && (w.resolve(msg), true)));
  });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  return ws;
}

// Wait for a message matching pred (looking at ones already received first).
function nextMessage(ws, pred, ms = 5000) {
  const found = ws.inbox.find(pred);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const w = { pred, resolve: (m) => { clearTimeout(t); resolve(m); } };
    const t = setTimeout(() => {
      ws.waiters = ws.waiters.filter((x) => x !== w);
      reject(new Error(`no matching message within ${ms} ms; got ${JSON.stringify(ws.inbox.slice(-5))}`));
    }, ms);
    ws.waiters.push(w);
  });
}

function withTimeout(promise, ms, what) {
  return Promise.race([promise, sleep(ms).then(() => { throw new Error(`timed out after ${ms} ms waiting for ${what}`); })]);
}

async function subscribe(ws, topics) {
  ws.send(JSON.stringify({ op: 'subscribe', topics }));
  return nextMessage(ws, (m) => m.type === 'subscribed' && JSON.stringify(m.topics) === JSON.stringify(topics));
}

async function stats(port) {
  const r = await fetch(`http://127.0.0.1:${port}/stats`);
  return r.json();
}

async function publish(port, topic, key, data) {
  const r = await fetch(`http://127.0.0.1:${port}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(key ? { topic, key, data } : { topic, data }),
  });
  assert.equal(r.status, 200);
  return (await r.json()).queued;
}

// ---- a raw client, for bytes the `ws` package will not produce -------------------------

function encodeFrame(op, payload, { fin = true, mask = true } = {}) {
  const p = Buffer.from(payload);
  const len = p.length;
  const head = [(fin ? 0x80 : 0) | op];
  const m = mask ? 0x80 : 0;
  if (len < 126) head.push(m | len);
  else if (len < 65536) head.push(m | 126, len >> 8, len & 255);
  else throw new Error('test frames stay under 64 KiB');
  const key = mask ? crypto.randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(p);
  if (mask) for (let i = 0; i < len; i++) body[i] ^= key[i & 3];
  return Buffer.concat([Buffer.from(head), key, body]);
}

// Server frames (never masked): returns complete frames and the remaining bytes.
function parseFrames(buf) {
  const frames = [];
  let off = 0;
  for (;;) {
    if (buf.length - off < 2) break;
    const op = buf[off] & 0x0f;
    let len = buf[off + 1] & 0x7f;
    let hl = 2;
    if (len === 126) { if (buf.length - off < 4) break; len = buf.readUInt16BE(off + 2); hl = 4; }
    else if (len === 127) { if (buf.length - off < 10) break; len = Number(buf.readBigUInt64BE(off + 2)); hl = 10; }
    if (buf.length - off < hl + len) break;
    frames.push({ op, payload: buf.subarray(off + hl, off + hl + len) });
    off += hl + len;
  }
  return { frames, rest: buf.subarray(off) };
}

// Handshake by hand; `after` is written in the same packet as the request.
async function rawConnect(port, after = Buffer.alloc(0)) {
  const sock = net.connect(port, '127.0.0.1');
  await new Promise((r, j) => { sock.once('connect', r); sock.once('error', j); });
  const key = crypto.randomBytes(16).toString('base64');
  const req = `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
  sock.write(Buffer.concat([Buffer.from(req), after]));
  const raw = { sock, frames: [], buf: Buffer.alloc(0), head: null, ended: false, listeners: [] };
  sock.on('data', (d) => {
    raw.buf = Buffer.concat([raw.buf, d]);
    if (!raw.head) {
      const i = raw.buf.indexOf('\r\n\r\n');
      if (i < 0) return;
      raw.head = raw.buf.subarray(0, i).toString();
      raw.buf = raw.buf.subarray(i + 4);
    }
    const { frames, rest } = parseFrames(raw.buf);
    raw.buf = rest;
    raw.frames.push(...frames);
    raw.listeners.forEach((f) => f());
  });
  sock.on('end', () => { raw.ended = true; raw.listeners.forEach((f) => f()); });
  sock.on('error', () => { raw.ended = true; raw.listeners.forEach((f) => f()); });
  raw.waitFor = (pred, ms = 5000, what = 'a frame') => withTimeout(new Promise((resolve) => {
    const check = () => { const f = raw.frames.find(pred); if (f) resolve(f); };
    raw.listeners.push(check);
    check();
  }), ms, what);
  await withTimeout(new Promise((r) => { const c = () => raw.head && r(); raw.listeners.push(c); c(); }), 5000, 'the 101 response');
  const expect = crypto.createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  assert.match(raw.head, /^HTTP\/1\.1 101 /);
  assert.match(raw.head, new RegExp(`\\r\\nSec-WebSocket-Accept: ${expect.replace(/[+/=]/g, '\\$&')}(\\r|$)`, 'i'));
  return raw;
}

const closeCode = (f) => f.payload.readUInt16BE(0);

// ---- the tests ----------------------------------------------------------------------------

let host;
before(async () => { host = await startHost(['--max-queue', String(256 * 1024), '--ping-ms', '60000']); });
after(async () => {
  if (!host) return;
  const r = await host.stop();
  assert.deepEqual(r, { code: 0, signal: null }, `ws_test_host did not shut down cleanly:\n${host.stderr()}`);
});

test('a request that is not a valid upgrade gets 400/426 with a JSON error', async () => {
  let r = await fetch(`http://127.0.0.1:${host.port}/ws`);
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error.code, 'bad_handshake');
  // fetch() refuses Upgrade/Connection headers, so node:http sends this one
  const res = await new Promise((resolve, reject) => {
    http.get({
      host: '127.0.0.1', port: host.port, path: '/ws',
      headers: { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '8', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    }, (resp) => {
      let text = '';
      resp.on('data', (d) => { text += d; });
      resp.on('end', () => resolve({ status: resp.statusCode, headers: resp.headers, text }));
    }).on('error', reject);
  });
  assert.equal(res.status, 426);
  assert.equal(res.headers['sec-websocket-version'], '13');
  const body = JSON.parse(res.text);
  assert.equal(body.error.code, 'upgrade_required');
  assert.match(body.error.message, /Sec-WebSocket-Version 8/);
});

test('subscribers receive only their topics and keys', async () => {
  const a = await connect(host.port);
  const b = await connect(host.port);
  const c = await connect(host.port);
  await subscribe(a, ['orders']);
  await subscribe(b, ['market:BTC-USDT']);
  await subscribe(c, ['market']);
  assert.equal(await publish(host.port, 'orders', null, { n: 1 }), 1);
  assert.equal(await publish(host.port, 'market', 'ETH-USDT', { n: 2 }), 1);
  assert.equal(await publish(host.port, 'market', 'BTC-USDT', { n: 3 }), 2);
  assert.equal(await publish(host.port, 'fills', null, { n: 4 }), 0);
  assert.equal(await publish(host.port, 'orders', null, { n: 5 }), 1);
  await nextMessage(a, (m) => m.data?.n === 5);
  await nextMessage(b, (m) => m.data?.n === 3);
  await nextMessage(c, (m) => m.data?.n === 3);
  await sleep(100); // anything wrongly delivered would have arrived by now
  const pubs = (ws) => ws.inbox.filter((m) => m.topic);
  assert.deepEqual(pubs(a), [{ topic: 'orders', data: { n: 1 } }, { topic: 'orders', data: { n: 5 } }]);
  assert.deepEqual(pubs(b), [{ topic: 'market:BTC-USDT', data: { n: 3 } }]);
  assert.deepEqual(pubs(c), [{ topic: 'market:ETH-USDT', data: { n: 2 } }, { topic: 'market:BTC-USDT', data: { n: 3 } }]);

  // unsubscribe stops delivery
  a.send(JSON.stringify({ op: 'unsubscribe', topics: ['orders'] }));
  assert.deepEqual(await nextMessage(a, (m) => m.type === 'unsubscribed'), { type: 'unsubscribed', topics: ['orders'] });
  assert.equal(await publish(host.port, 'orders', null, { n: 6 }), 0);
  for (const ws of [a, b, c]) ws.close(1000);
  await Promise.all([a.closed, b.closed, c.closed]);
});

test('the control protocol answers mistakes with an error message and stays open', async () => {
  const ws = await connect(host.port);
  ws.send(JSON.stringify({ op: 'subscribe', topics: ['orders', 'nope:x'] }));
  const e1 = await nextMessage(ws, (m) => m.type === 'error');
  assert.equal(e1.code, 'unknown_topic');
  assert.match(e1.message, /nope:x/);
  ws.send('{"op":');
  assert.equal((await nextMessage(ws, (m) => m.type === 'error' && m !== e1)).code, 'bad_json');
  ws.send(JSON.stringify({ op: 'dance' }));
  assert.equal((await nextMessage(ws, (m) => m.code === 'unknown_op')).type, 'error');
  ws.send(JSON.stringify({ op: 'subscribe', topics: [] }));
  assert.match((await nextMessage(ws, (m) => m.code === 'bad_request')).message, /topics/);
  ws.send(JSON.stringify({ op: 'ping' }));
  await nextMessage(ws, (m) => m.type === 'pong');
  // the all-or-nothing subscribe above left no subscription behind
  assert.equal(await publish(host.port, 'orders', null, { n: 1 }), 0);
  assert.equal(ws.readyState, WebSocket.OPEN);
  ws.close(1000);
  assert.equal((await ws.closed).code, 1000);
});

test('a fragmented text message (a code point split across fragments) is reassembled', async () => {
  const ws = await connect(host.port);
  const text = Buffer.from('{"op":"subscribe","topics":["orders"],"note":"café"}');
  const cut1 = 10;
  const cut2 = text.indexOf(0xc3) + 1; // between the two bytes of "é"
  ws.send(text.subarray(0, cut1), { binary: false, fin: false });
  ws.send(text.subarray(cut1, cut2), { binary: false, fin: false });
  ws.send(text.subarray(cut2), { binary: false, fin: true });
  assert.deepEqual(await nextMessage(ws, (m) => m.type === 'subscribed'), { type: 'subscribed', topics: ['orders'] });
  ws.close(1000);
  await ws.closed;
});

test('invalid UTF-8 in a text message closes with 1007', async () => {
  const ws = await connect(host.port);
  ws.send(Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), { binary: false });
  const { code } = await withTimeout(ws.closed, 5000, 'close');
  assert.equal(code, 1007);
});

test('an unmasked client frame closes with 1002', async () => {
  const ws = await connect(host.port);
  ws.send(JSON.stringify({ op: 'ping' }), { mask: false });
  const { code } = await withTimeout(ws.closed, 5000, 'close');
  assert.equal(code, 1002);
});

test('a message over the size limit closes with 1009', async () => {
  const ws = await connect(host.port);
  ws.send('x'.repeat(70 * 1024));
  const { code } = await withTimeout(ws.closed, 5000, 'close');
  assert.equal(code, 1009);
});

test('a binary message closes with 1003', async () => {
  const ws = await connect(host.port);
  ws.send(Buffer.from([1, 2, 3]), { binary: true });
  const { code } = await withTimeout(ws.closed, 5000, 'close');
  assert.equal(code, 1003);
});

test('reserved bits, an orphan continuation and a long ping close with 1002 (raw client)', async () => {
  const cases = [
    Buffer.from([0xc1, 0x80, 1, 2, 3, 4]),                 // RSV1 without an extension
    encodeFrame(0x0, 'x'),                                   // continuation with nothing open
    encodeFrame(0x9, 'p'.repeat(126)),                       // control payload over 125
    encodeFrame(0x3, 'x'),                                   // reserved opcode
  ];
  for (const bytes of cases) {
    const raw = await rawConnect(host.port);
    raw.sock.write(bytes);
    const f = await raw.waitFor((x) => x.op === 0x8, 5000, 'a close frame');
    assert.equal(closeCode(f), 1002, `for frame ${bytes.subarray(0, 4).toString('hex')}`);
    raw.sock.destroy();
  }
});

test('ping gets a pong with the same payload', async () => {
  const ws = await connect(host.port);
  const pong = new Promise((r) => ws.once('pong', (d) => r(d.toString())));
  ws.ping('hello');
  assert.equal(await withTimeout(pong, 5000, 'pong'), 'hello');
  ws.close(1000);
  await ws.closed;
});

test('close handshake: the server echoes the code and closes the TCP connection', async () => {
  const raw = await rawConnect(host.port);
  raw.sock.write(encodeFrame(0x8, Buffer.from([0x0f, 0xa0]))); // 4000, a private code
  const f = await raw.waitFor((x) => x.op === 0x8, 5000, 'the echoed close');
  assert.equal(closeCode(f), 4000);
  // the server sends FIN after its close frame
  await withTimeout(new Promise((r) => { const c = () => raw.ended && r(); raw.listeners.push(c); c(); }), 5000, 'FIN');
  raw.sock.end();
});

test('frames sent right behind the handshake request are processed', async () => {
  const sub = encodeFrame(0x1, JSON.stringify({ op: 'subscribe', topics: ['ticks'] }));
  const raw = await rawConnect(host.port, sub);
  const f = await raw.waitFor((x) => x.op === 0x1 && JSON.parse(x.payload).type === 'subscribed');
  assert.deepEqual(JSON.parse(f.payload), { type: 'subscribed', topics: ['ticks'] });
  await raw.waitFor((x) => x.op === 0x1 && JSON.parse(x.payload).topic === 'ticks', 5000, 'a tick');
  raw.sock.destroy();
});

test('a client that stops reading is dropped (1008) while others keep receiving', { timeout: 60000 }, async () => {
  const before0 = await stats(host.port);
  const slow = await connect(host.port);
  const fast = await connect(host.port);
  await subscribe(slow, ['bulk', 'ticks']);
  await subscribe(fast, ['ticks']);
  slow._socket.pause(); // stop reading: kernel buffers fill, then the hub's queue
  const seqs = [];
  fast.on('message', (d) => { const m = JSON.parse(d.toString()); if (m.topic === 'ticks') seqs.push(m.data.seq); });

  const deadline = Date.now() + 45000;
  let s = before0;
  while (s.dropped_slow === before0.dropped_slow) {
    assert.ok(Date.now() < deadline, `slow client not dropped: ${JSON.stringify(s)}`);
    assert.ok(s.queued_bytes <= 64 * 256 * 1024, 'queues stay bounded');
    await sleep(100);
    s = await stats(host.port);
  }
  const atDrop = seqs.length;
  await sleep(300);
  assert.ok(seqs.length > atDrop + 10, `the fast client kept receiving (${atDrop} -> ${seqs.length})`);
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, 'no tick lost for the fast client');

  slow._socket.resume();
  const { code } = await withTimeout(slow.closed, 10000, 'the slow client to be closed');
  assert.ok(code === 1008 || code === 1006, `slow client closed with ${code}`);
  assert.equal(fast.readyState, WebSocket.OPEN);
  fast.close(1000);
  await fast.closed;
});

test('server pings: a client that answers stays, one that does not is closed', { timeout: 30000 }, async () => {
  const h = await startHost(['--ping-ms', '200']);
  try {
    const ws = await connect(h.port); // the ws package answers pings itself
    let pings = 0;
    ws.on('ping', () => pings++);
    const raw = await rawConnect(h.port); // never answers
    const f = await raw.waitFor((x) => x.op === 0x8, 5000, 'a close frame for the silent client');
    assert.equal(closeCode(f), 1001);
    assert.match(f.payload.subarray(2).toString(), /ping/);
    assert.ok(raw.frames.filter((x) => x.op === 0x9).length >= 2, 'it was pinged first');
    await sleep(300);
    assert.ok(pings >= 3, `the answering client was pinged (${pings})`);
    assert.equal(ws.readyState, WebSocket.OPEN);
    raw.sock.destroy();
    // shutting the host down closes connected clients with 1001
    const stopped = h.stop();
    assert.equal((await withTimeout(ws.closed, 5000, 'close at shutdown')).code, 1001);
    assert.deepEqual(await stopped, { code: 0, signal: null });
  } catch (e) {
    await h.stop();
    throw e;
  }
});
