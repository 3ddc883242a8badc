// REST client for /api/v1: JSON in and out, the bearer token on every call,
// the contract's error body turned into an ApiError whose message names the
// problem. A 401 means the token is wrong or revoked: the app goes back to the
// login page (the onUnauthorized hook).

import { session } from './session.js';

export const API = '/api/v1';

export class ApiError extends Error {
	constructor(status, code, message) {
		super(message || code || `HTTP ${status}`);
		this.status = status;
		this.code = code || `http_${status}`;
	}
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) {
	onUnauthorized = fn;
}

function authHeaders(extra) {
	const h = { Accept: 'application/json', ...extra };
	if (session.token) h.Authorization = `Bearer ${session.token}`;
	return h;
}

async function errorFrom(res) {
	let code = `http_${res.status}`, message = `${res.status} ${res.statusText}`;
	try {
		const body = await res.json();
		if (body && body.error) {
			code = body.error.code || code;
			message = body.error.message || code;
		}
	} catch {
		/* not JSON: keep the status line */
	}
	return new ApiError(res.status, code, message);
}

/** api('GET', '/farms') → parsed JSON; throws ApiError. `query` values that are empty are left out. */
export async function api(method, path, { body, query, signal } = {}) {
	let url = API + path;
	if (query) {
		const q = new URLSearchParams();
		for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
		const s = q.toString();
		if (s) url += `?${s}`;
	}
	const init = { method, headers: authHeaders(body !== undefined ? { 'Content-Type': 'application/json' } : {}), signal };
	if (body !== undefined) init.body = JSON.stringify(body);
	let res;
	try {
		res = await fetch(url, init);
	} catch (e) {
		if (e.name === 'AbortError') throw e;
		throw new ApiError(0, 'network', `cannot reach the host (${method} ${path}): ${e.message}`);
	}
	if (res.status === 401) {
		onUnauthorized();
		throw new ApiError(401, 'unauthorized', 'the token was not accepted; log in again');
	}
	if (!res.ok) throw await errorFrom(res);
	if (res.status === 204) return null;
	const type = res.headers.get('Content-Type') || '';
	return type.includes('json') ? res.json() : res.text();
}

export const get = (path, query, signal) => api('GET', path, { query, signal });
export const post = (path, body) => api('POST', path, { body: body ?? {} });
export const put = (path, body) => api('PUT', path, { body });
export const del = (path) => api('DELETE', path);

/** Fetch a non-JSON resource with the token (the backtest's HTML report). */
export async function fetchText(path) {
	const res = await fetch(API + path, { headers: authHeaders({ Accept: 'text/html' }) });
	if (res.status === 401) {
		onUnauthorized();
		throw new ApiError(401, 'unauthorized', 'the token was not accepted; log in again');
	}
	if (!res.ok) throw await errorFrom(res);
	return res.text();
}

/** Who is this token? GET /me; hosts without it are probed read-only (GET /config is admin-only). */
export async function whoAmI(token) {
	const headers = { Accept: 'application/json', Authorization: `Bearer ${token}` };
	const res = await fetch(`${API}/me`, { headers });
	if (res.status === 401) throw new ApiError(401, 'unauthorized', 'the token was not accepted');
	if (res.ok) return res.json();
	if (res.status !== 404) throw await errorFrom(res);
	const probe = await fetch(`${API}/config`, { headers });
	if (probe.status === 401) throw new ApiError(401, 'unauthorized', 'the token was not accepted');
	// Without /me a trader cannot be told from a viewer without changing state: show the safe view.
	return { name: '', role: probe.ok ? 'admin' : 'viewer' };
}
