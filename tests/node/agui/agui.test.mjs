// AG-UI 1.0 conformance of POST /agui against a running paper host, with the
// official client (@ag-ui/client HttpAgent) and a raw SSE reader.
// A run must resolve with no error and no console.warn: the client only warns
// on dropped event types, stripped fields and patches that do not apply.
// Env: TRADEHOST_BIN (the built tradehost), TRADEHOST_REPO (the source tree).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { HttpAgent } from "@ag-ui/client";

import { requireEnv, startHost } from "../lib/host.mjs";

const BIN = requireEnv("TRADEHOST_BIN");
const REPO = requireEnv("TRADEHOST_REPO");

let host;
const warnings = [];
const realWarn = console.warn;
const realError = console.error;

before(async () => {
  host = await startHost({ exe: BIN, repo: REPO });
  console.warn = (...a) => warnings.push(a.map(String).join(" "));
  console.error = console.warn;
});

after(async () => {
  console.warn = realWarn;
  console.error = realError;
  if (!host) return;
  const status = await host.stop();
  const log = host.stderr();
  assert.doesNotMatch(log, /AddressSanitizer|LeakSanitizer|runtime error:/, "sanitizer report in the host's stderr");
  assert.equal(status.code, 0, `tradehost exit status ${JSON.stringify(status)}:\n${log.slice(-4000)}`);
});

const auth = () => ({ Authorization: `Bearer ${host.token}` });

function newAgent(threadId, initialMessages = []) {
  return new HttpAgent({ url: `${host.url}/agui`, headers: auth(), threadId, initialMessages });
}

// Runs the agent once; returns the events seen and the result. Fails on a
// rejected run, a RUN_ERROR or any client warning during the run.
async function run(agent, runId, forwardedProps) {
  const seen = [];
  let runError;
  const before = warnings.length;
  await agent.runAgent({ runId, forwardedProps }, {
    onEvent: ({ event }) => { seen.push(event); },
    onRunErrorEvent: ({ event }) => { runError = event; },
  });
  assert.equal(runError, undefined, `RUN_ERROR: ${JSON.stringify(runError)}`);
  assert.deepEqual(warnings.slice(before), [], "the client warned");
  assert.equal(seen[0]?.type, "RUN_STARTED");
  assert.equal(seen[0].threadId, agent.threadId);
  assert.equal(seen[0].runId, runId);
  assert.equal(seen.at(-1)?.type, "RUN_FINISHED");
  return seen;
}

function hasNull(v) {
  if (v === null) return true;
  if (typeof v === "object") return Object.values(v).some(hasNull);
  return false;
}

// Checks the client skips: tool calls and their results pair up, arguments
// are JSON, steps are strictly nested (one open at a time), timestamps are
// integers, every text message of an agent is named.
function checkStream(seen) {
  const calls = new Map();
  let openStep = null;
  let lastDelta = null;
  for (const e of seen) {
    assert.ok(Number.isInteger(e.timestamp), `${e.type} timestamp ${e.timestamp}`);
    assert.ok(!hasNull(e), `null in ${JSON.stringify(e)}`);
    switch (e.type) {
      case "STEP_STARTED":
        assert.equal(openStep, null, `step ${e.stepName} opened inside ${openStep}`);
        openStep = e.stepName;
        assert.match(e.stepName, /^\S+ cycle \d+$/);
        break;
      case "STEP_FINISHED":
        assert.equal(e.stepName, openStep);
        openStep = null;
        break;
      case "TOOL_CALL_START":
        assert.ok(["place_order", "cancel_order", "reallocate"].includes(e.toolCallName), e.toolCallName);
        calls.set(e.toolCallId, { name: e.toolCallName, args: "", ended: false, result: null, inStep: openStep !== null });
        break;
      case "TOOL_CALL_ARGS":
        calls.get(e.toolCallId).args += e.delta;
        break;
      case "TOOL_CALL_END":
        calls.get(e.toolCallId).ended = true;
        break;
      case "TOOL_CALL_RESULT": {
        const c = calls.get(e.toolCallId);
        assert.ok(c, `result for unknown tool call ${e.toolCallId}`);
        assert.ok(c.ended && c.result === null, `result of ${e.toolCallId} before its end, or twice`);
        c.result = JSON.parse(e.content);
        assert.equal(typeof c.result.outcome, "string");
        break;
      }
      case "TEXT_MESSAGE_START":
        assert.equal(e.role, "assistant");
        assert.equal(typeof e.name, "string");
        if (e.name !== "tradehost") assert.ok(openStep?.startsWith(`${e.name} cycle `), "agent message outside its step");
        break;
      case "STATE_DELTA":
        // at most one delta per 500 ms (a few ms of timer slack allowed)
        if (lastDelta !== null) assert.ok(e.timestamp - lastDelta >= 490, `deltas ${e.timestamp - lastDelta} ms apart`);
        lastDelta = e.timestamp;
        break;
      default:
        break;
    }
  }
  assert.equal(openStep, null);
  for (const [id, c] of calls) {
    const args = JSON.parse(c.args);
    if (c.name === "place_order") {
      // an agent's intent, inside its decision cycle; an operator's (REST), outside
      // any cycle and marked by: operator; or an order whose intent this run never
      // saw, outside any cycle and named by its client order id
      const operator = args.by === "operator";
      if (operator) assert.ok(!c.inStep, `${id}: an operator's order inside a decision cycle`);
      const keys = c.inStep || operator ? ["agent", "venue", "symbol", "side", "type", "qty"] :
        ["agent", "venue", "symbol", "side", "qty", "client_order_id"];
      for (const k of keys) assert.ok(k in args, `${id}: ${k} in ${c.args}`);
      assert.match(args.qty, /^-?\d+(\.\d+)?$/, "qty is a decimal string");
    }
    if (c.name === "cancel_order") {
      if (args.by === "operator") assert.ok(!c.inStep, "an operator's cancel inside a decision cycle");
      else assert.ok(c.inStep, "an agent's cancel outside its decision cycle");
    }
    if (c.name === "reallocate") assert.match(args.to, /^-?\d+\.\d+$/);
  }
  return calls;
}

// Money as exact integers of 1e-8 (the host's money scale): no floats.
function units(s) {
  const m = /^(-?)(\d+)(?:\.(\d{1,8}))?$/.exec(s);
  assert.ok(m, `not a decimal string: ${s}`);
  const v = BigInt(m[2]) * 100000000n + BigInt((m[3] ?? "").padEnd(8, "0"));
  return m[1] ? -v : v;
}
const decimal = (u) => `${u < 0n ? "-" : ""}${(u < 0n ? -u : u) / 100000000n}.${((u < 0n ? -u : u) % 100000000n).toString().padStart(8, "0")}`;

const types = (seen) => new Set(seen.map((e) => e.type));

describe("POST /agui", () => {
  test("raw stream: SSE framing, LF only, JSON objects, no nulls", async () => {
    const res = await fetch(`${host.url}/agui`, {
      method: "POST",
      headers: { ...auth(), "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify({ threadId: "raw", runId: "raw-1", messages: [], forwardedProps: { duration_ms: 1200 } }),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /^text\/event-stream/);
    const body = await res.text();
    assert.ok(!body.includes("\r"), "CR in the stream");
    assert.ok(body.endsWith("\n\n"));
    const frames = body.slice(0, -2).split("\n\n");
    const events = [];
    for (const f of frames) {
      if (f.startsWith(":")) continue; // comment (keepalive)
      assert.ok(f.startsWith("data: ") && !f.includes("\n"), `bad frame ${JSON.stringify(f.slice(0, 80))}`);
      const e = JSON.parse(f.slice(6));
      assert.equal(typeof e.type, "string");
      assert.ok(!hasNull(e));
      events.push(e);
    }
    assert.equal(events[0].type, "RUN_STARTED");
    assert.equal(events[1].type, "STATE_SNAPSHOT");
    assert.equal(events.at(-1).type, "RUN_FINISHED");
    const snap = events[1].snapshot;
    assert.equal(snap.trading, true);
    assert.equal(snap.quote, "USDT");
    assert.match(snap.total.equity, /^\d+\.\d+$/, "money is a decimal string");
    for (const farm of ["momentum", "reversion", "arbitrage"]) assert.ok(snap.farms[farm], farm);
    for (const a of ["marcus", "mia", "sophia", "gus", "alex"]) assert.ok(snap.agents[a], a);
  });

  test("3 s runs with HttpAgent: clean, with snapshot, delta, agent messages and tool calls", async () => {
    const agent = newAgent("live");
    const all = new Set();
    // Agents speak on market events (a bar every 2 s): a few consecutive runs
    // must together show messages and tool calls; each run must be clean.
    for (let i = 1; i <= 6; i++) {
      const seen = await run(agent, `live-${i}`, { duration_ms: 3000 });
      checkStream(seen);
      for (const t of types(seen)) all.add(t);
      const last = seen.filter((e) => e.type === "STATE_DELTA").at(-1);
      if (last) {
        // every patch applied: the client's state carries the last stamp
        const stamp = last.delta.find((op) => op.path === "/updated_ms").value;
        assert.equal(agent.state.updated_ms, stamp);
      }
      if (i >= 2 && all.has("TEXT_MESSAGE_START") && all.has("TOOL_CALL_START") && all.has("STEP_STARTED")) break;
    }
    for (const t of ["STATE_SNAPSHOT", "STATE_DELTA", "STEP_STARTED", "STEP_FINISHED", "TEXT_MESSAGE_START",
      "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END"]) {
      assert.ok(all.has(t), `no ${t} in the runs (saw ${[...all].join(", ")})`);
    }
    assert.ok(agent.messages.some((m) => m.role === "assistant" && m.name && m.name !== "tradehost"),
      "agent messages become assistant messages named after the agent");
  });

  test("an allocation change during a run shows as a reallocate tool call with its result", async () => {
    const wallet = async () => (await (await fetch(`${host.url}/api/v1/wallets/mia`, { headers: auth() })).json());
    const before = await wallet();
    assert.match(before.allocated, /^\d+\.\d+$/, JSON.stringify(before));
    const target = units(before.allocated) - units("1000");
    const agent = newAgent("realloc");
    const pending = run(agent, "realloc-1", { duration_ms: 2000 });
    await new Promise((r) => setTimeout(r, 700));
    const res = await fetch(`${host.url}/api/v1/wallets/mia/allocation`, {
      method: "POST", headers: { ...auth(), "Content-Type": "application/json" },
      body: JSON.stringify({ amount: decimal(target) }),
    });
    assert.equal(res.status, 200, await res.text());
    const seen = await pending;
    const calls = checkStream(seen);
    const realloc = [...calls.values()].filter((c) => c.name === "reallocate").map((c) => ({ ...c, a: JSON.parse(c.args) }));
    const mia = realloc.find((c) => c.a.wallet === "mia");
    assert.ok(mia, `no reallocate call for mia in ${JSON.stringify(realloc)}`);
    assert.equal(mia.a.kind, "agent");
    assert.equal(mia.a.change, "-1000.00");
    assert.equal(units(mia.a.to), target);
    assert.equal(mia.result?.outcome, "done");
    assert.equal(units(agent.state.agents.mia.wallet.allocated), target);
  });

  test("a question is answered before the live part; duration 0 only answers", async () => {
    const agent = newAgent("ask", [{ id: "u1", role: "user", content: "what are my positions?" }]);
    const t0 = Date.now();
    const seen = await run(agent, "ask-1", { duration_ms: 0 });
    assert.ok(Date.now() - t0 < 5000);
    assert.deepEqual(seen.map((e) => e.type), ["RUN_STARTED", "STATE_SNAPSHOT", "TEXT_MESSAGE_START",
      "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED"]);
    const reply = agent.messages.at(-1);
    assert.equal(reply.role, "assistant");
    assert.match(reply.content, /position/i);

    agent.messages.push({ id: "u2", role: "user", content: "How much PnL did we make, and what about risk?" });
    await run(agent, "ask-2", { duration_ms: 0 });
    const pnl = agent.messages.at(-1).content;
    assert.match(pnl, /Profit and loss \(USDT\)/);
    assert.match(pnl, /equity \d+\.\d+ USDT/);
    assert.match(pnl, /Risk: host trading state (active|reducing|halted)/);

    // parts instead of a string; unknown topics get the help text
    agent.messages.push({ id: "u3", role: "user", content: [{ type: "text", text: "hello there" }] });
    await run(agent, "ask-3", { duration_ms: 0 });
    assert.match(agent.messages.at(-1).content, /I can report positions, PnL, risk, orders and agents/);

    // an answered question followed by a live part
    agent.messages.push({ id: "u4", role: "user", content: "list the agents" });
    const live = await run(agent, "ask-4", { duration_ms: 800 });
    assert.equal(live[2].type, "TEXT_MESSAGE_START");
    assert.equal(live[2].name, "tradehost");
    assert.match(agent.messages.find((m) => m.id === live[2].messageId).content, /marcus \(farm momentum\)/);
  });

  test("malformed input is refused with 400 naming the field", async () => {
    const post = (body) => fetch(`${host.url}/agui`, {
      method: "POST", headers: { ...auth(), "Content-Type": "application/json" }, body,
    });
    const cases = [
      ["{not json", "bad_json", /not valid JSON/],
      ["[]", "bad_field", /RunAgentInput object/],
      [JSON.stringify({ runId: "r", messages: [] }), "missing_field", /threadId/],
      [JSON.stringify({ threadId: 5, runId: "r", messages: [] }), "bad_field", /threadId must be a string/],
      [JSON.stringify({ threadId: "t", runId: "r" }), "missing_field", /messages/],
      [JSON.stringify({ threadId: "t", runId: "r", messages: {} }), "bad_field", /messages must be an array/],
      [JSON.stringify({ threadId: "t", runId: "r", messages: [{ id: "1", role: "robot", content: "x" }] }),
        "bad_field", /messages\[0\]\.role/],
      [JSON.stringify({ threadId: "t", runId: "r", messages: [{ id: "1", role: "user", content: 3 }] }),
        "bad_field", /messages\[0\]\.content/],
      [JSON.stringify({ threadId: "t", runId: "r", messages: [], tools: [{ name: "x" }] }),
        "missing_field", /tools\[0\]\.description/],
      [JSON.stringify({ threadId: "t", runId: "r", messages: [], forwardedProps: { duration_ms: -1 } }),
        "bad_field", /forwardedProps\.duration_ms/],
      [JSON.stringify({ threadId: "t", runId: "r", messages: [], forwardedProps: { duration_ms: 3600001 } }),
        "bad_field", /forwardedProps\.duration_ms/],
      [JSON.stringify({ threadId: "t", runId: "r", messages: [], forwardedProps: { duration_ms: 1.5 } }),
        "bad_field", /forwardedProps\.duration_ms/],
      [JSON.stringify({ threadId: "t", runId: "r", messages: [], forwardedProps: null }),
        "bad_field", /forwardedProps/],
    ];
    for (const [body, code, message] of cases) {
      const res = await post(body);
      assert.equal(res.status, 400, body);
      const err = (await res.json()).error;
      assert.equal(err.code, code, body);
      assert.match(err.message, message, body);
    }
    // unknown top-level fields are accepted (the schema is a loose object)
    const ok = await post(JSON.stringify({ threadId: "t", runId: "r", messages: [], futureField: 1,
      forwardedProps: { duration_ms: 0 } }));
    assert.equal(ok.status, 200);
    await ok.text();
    // the official client sees the 400 as a rejected run
    await assert.rejects(newAgent("bad").runAgent({ runId: "b1", forwardedProps: { duration_ms: "soon" } }),
      /HTTP 400/);
  });

  test("no token -> 401, wrong token -> 401", async () => {
    const body = JSON.stringify({ threadId: "t", runId: "r", messages: [] });
    const none = await fetch(`${host.url}/agui`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    assert.equal(none.status, 401);
    assert.equal((await none.json()).error.code, "unauthorized");
    const wrong = await fetch(`${host.url}/agui`, {
      method: "POST", headers: { "Content-Type": "application/json", Authorization: "Bearer th_nope" }, body,
    });
    assert.equal(wrong.status, 401);
    await wrong.text();
  });

  test("clients that leave mid-run are dropped; at most 64 runs stream at once", async () => {
    const body = (i) => JSON.stringify({ threadId: "many", runId: `m${i}`, messages: [],
      forwardedProps: { duration_ms: 60000 } });
    const aborts = [];
    const opened = [];
    for (let i = 0; i < 64; i++) {
      const ac = new AbortController();
      aborts.push(ac);
      opened.push(fetch(`${host.url}/agui`, {
        method: "POST", headers: { ...auth(), "Content-Type": "application/json" }, body: body(i), signal: ac.signal,
      }));
    }
    const responses = await Promise.all(opened);
    for (const r of responses) assert.equal(r.status, 200);
    // read the first frame of one stream, to be sure it is live
    const reader = responses[0].body.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, /^data: \{"type":"RUN_STARTED"/);
    const extra = await fetch(`${host.url}/agui`, {
      method: "POST", headers: { ...auth(), "Content-Type": "application/json" }, body: body(64),
    });
    assert.equal(extra.status, 429);
    assert.equal((await extra.json()).error.code, "rate_limited");
    for (const ac of aborts) ac.abort();
    // the host frees the runs when the connections close: a new run is admitted
    let status = 0;
    for (let tries = 0; tries < 50 && status !== 200; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`${host.url}/agui`, {
        method: "POST", headers: { ...auth(), "Content-Type": "application/json" },
        body: JSON.stringify({ threadId: "after", runId: `a${tries}`, messages: [], forwardedProps: { duration_ms: 0 } }),
      });
      status = res.status;
      await res.text();
    }
    assert.equal(status, 200);
    const agent = newAgent("after-abort");
    checkStream(await run(agent, "after-1", { duration_ms: 600 }));
  });

  test("an operator's order, a risk denial and a REST cancel show as tool calls with their results", async () => {
    // the VaR model needs 10 bars (2 s each) of history before it approves anything
    const warm = host.startedAt + 22000 - Date.now();
    if (warm > 0) await new Promise((r) => setTimeout(r, warm));
    const agent = newAgent("operator");
    const post = (body) => fetch(`${host.url}/api/v1/orders`, {
      method: "POST", headers: { ...auth(), "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    let pending, res, order, denied, canceled;
    for (let attempt = 1; ; attempt++) {
      pending = run(agent, `op-${attempt}`, { duration_ms: 3500 });
      await new Promise((r) => setTimeout(r, 600));
      // a small limit buy 5 % under the market: accepted and resting
      const mark = units(agent.state.marks["sim:BTC-USDT"]) / 1000000n; // price in cents
      const price = (mark * 95n) / 100n;
      const body = { agent: "marcus", venue: "sim", symbol: "BTC-USDT", side: "buy", type: "limit",
        qty: "0.0010", price: `${price / 100n}.${(price % 100n).toString().padStart(2, "0")}` };
      res = await post(body);
      order = await res.json();
      if (res.status !== 422 || !/history/.test(order.error?.message) || attempt === 8) {
        // a whole bitcoin is over the notional limit: denied by risk
        const d = await post({ ...body, qty: "1" });
        denied = await d.json();
        assert.equal(d.status, 422, JSON.stringify(denied));
        assert.equal(denied.error.code, "risk_denied");
        if (res.status === 202) {
          const del = await fetch(`${host.url}/api/v1/orders/${order.client_order_id}`, { method: "DELETE", headers: auth() });
          canceled = await del.json();
          assert.equal(del.status, 202, JSON.stringify(canceled));
        }
        break;
      }
      await pending; // a slow start: the model still lacks history, try again
    }
    assert.equal(res.status, 202, JSON.stringify(order));
    const seen = await pending;
    const calls = [...checkStream(seen).values()].map((c) => ({ ...c, a: JSON.parse(c.args) }));
    const byOperator = calls.filter((c) => c.a.by === "operator");

    const placed = byOperator.find((c) => c.name === "place_order" && c.result?.client_order_id === order.client_order_id);
    assert.ok(placed, `no operator place_order resulting in ${order.client_order_id}: ${JSON.stringify(byOperator)}`);
    assert.equal(placed.a.agent, "marcus");
    assert.equal(placed.a.qty, "0.0010");
    assert.equal(placed.a.type, "limit");
    assert.ok(["accepted", "filled", "partially_filled"].includes(placed.result.outcome), JSON.stringify(placed.result));

    const refused = byOperator.find((c) => c.name === "place_order" && c.a.qty === "1.0000");
    assert.ok(refused, `no operator place_order for the denied order: ${JSON.stringify(byOperator)}`);
    assert.equal(refused.result?.outcome, "denied", JSON.stringify(refused.result));
    assert.match(refused.result.message, /^denied by \S+: /);
    assert.ok(denied.error.message.includes(refused.result.message.replace(/^denied by \S+: /, "")),
      `${refused.result.message} vs ${denied.error.message}`);

    const cancel = byOperator.find((c) => c.name === "cancel_order");
    assert.ok(cancel, `no operator cancel_order: ${JSON.stringify(byOperator)}`);
    assert.equal(cancel.a.client_order_id, order.client_order_id);
    assert.equal(cancel.a.agent, "marcus");
    if (placed.result.outcome !== "filled") {
      assert.equal(cancel.result?.outcome, "canceled", JSON.stringify(cancel.result));
      assert.equal(cancel.result.client_order_id, order.client_order_id);
    }
  });
});
