// AG-UI client: POST /agui with a RunAgentInput and read the Server-Sent
// Events stream with fetch (EventSource cannot POST or send a bearer token).
// A run lasts forwardedProps.duration_ms; when it ends or the connection drops,
// a new run starts after a backoff, until the caller aborts.
import { SseParser } from './sse.js';
import { session } from './session.js';

const MIN_DELAY_MS = 1000;
const MAX_DELAY_MS = 20000;

function id(prefix) {
	return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** One run: resolves when the stream ends; rejects on HTTP or network errors. */
export async function runOnce({ threadId, durationMs, signal, onEvent }) {
	const body = {
		threadId,
		runId: id('run'),
		state: {},
		messages: [],
		tools: [],
		context: [],
		forwardedProps: { duration_ms: durationMs },
	};
	const res = await fetch('/agui', {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', Authorization: `Bearer ${session.token}` },
		body: JSON.stringify(body),
		signal,
	});
	if (!res.ok) {
		let detail = `${res.status} ${res.statusText}`;
		try {
			const j = await res.json();
			if (j.error) detail = `${j.error.code}: ${j.error.message}`;
		} catch {
			/* not JSON */
		}
		const err = new Error(`AG-UI run refused (${detail})`);
		err.status = res.status;
		throw err;
	}
	const parser = new SseParser(({ data }) => {
		let ev;
		try {
			ev = JSON.parse(data);
		} catch {
			return; // a broken event is skipped, the stream goes on
		}
		if (ev && typeof ev.type === 'string') onEvent(ev);
	});
	const reader = res.body.getReader();
	const dec = new TextDecoder();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		parser.push(dec.decode(value, { stream: true }));
	}
	parser.push(dec.decode());
	parser.end();
}

/**
 * Keep runs going until `signal` aborts. onStatus(text, state) reports
 * "running", "reconnecting in 2 s" etc.; a 401/403 stops (it will not heal).
 */
export async function follow({ durationMs = 3600000, signal, onEvent, onStatus = () => {} }) {
	const threadId = id('dashboard');
	let delay = MIN_DELAY_MS;
	let runs = 0;
	while (!signal.aborted) {
		try {
			onStatus(runs ? `run ${runs + 1} (reconnected)` : 'running', 'live');
			const started = Date.now();
			await runOnce({ threadId, durationMs, signal, onEvent });
			runs++;
			if (Date.now() - started > 5000) delay = MIN_DELAY_MS; // a healthy run resets the backoff
		} catch (e) {
			if (signal.aborted) return;
			if (e.status === 401 || e.status === 403) {
				onStatus(e.message, 'error');
				return;
			}
			onStatus(`${e.message}; retrying in ${Math.round(delay / 1000)} s`, 'offline');
		}
		if (signal.aborted) return;
		await new Promise((r) => {
			const t = setTimeout(r, delay);
			signal.addEventListener('abort', () => {
				clearTimeout(t);
				r();
			}, { once: true });
		});
		delay = Math.min(delay * 2, MAX_DELAY_MS);
	}
}

/** RFC 6902 JSON Patch, the subset STATE_DELTA needs (add, remove, replace); returns the new document. */
export function applyPatch(doc, ops) {
	let root = structuredClone(doc ?? {});
	for (const op of ops || []) {
		const path = String(op.path || '')
			.split('/')
			.slice(1)
			.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
		if (!path.length) {
			if (op.op === 'add' || op.op === 'replace') root = structuredClone(op.value);
			continue;
		}
		let parent = root;
		for (const k of path.slice(0, -1)) {
			if (parent === null || typeof parent !== 'object') break;
			parent = parent[k];
		}
		if (parent === null || typeof parent !== 'object') continue;
		const key = path[path.length - 1];
		if (Array.isArray(parent)) {
			const i = key === '-' ? parent.length : Number(key);
			if (op.op === 'add') parent.splice(i, 0, op.value);
			else if (op.op === 'remove') parent.splice(i, 1);
			else if (op.op === 'replace') parent[i] = op.value;
		} else if (op.op === 'add' || op.op === 'replace') parent[key] = op.value;
		else if (op.op === 'remove') delete parent[key];
	}
	return root;
}
