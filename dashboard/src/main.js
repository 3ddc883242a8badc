// The app shell: login state, hash routing (#/orders, #/chart/BTC-USDT),
// the navigation, the connection indicator, and page lifecycles (each page's
// live subscriptions and timers are released when another page opens).

import './style.css';
import { setUnauthorizedHandler, whoAmI } from './api.js';
import { live } from './live.js';
import { equityHistory } from './equity.js';
import { session, tokenFromFragment, isRole } from './session.js';
import { h, clear } from './ui.js';
import { pages, defaultPage } from './pages/index.js';
import { renderLogin } from './pages/login.js';

const view = document.getElementById('view');
const nav = document.getElementById('nav');
const navToggle = document.getElementById('nav-toggle');
const conn = document.getElementById('conn');
const who = document.getElementById('who');
const logoutBtn = document.getElementById('logout');

let current = null; // { cleanups: [], abort: AbortController }

function closePage() {
	if (!current) return;
	current.abort.abort();
	for (const fn of current.cleanups.splice(0)) {
		try {
			fn();
		} catch (e) {
			console.error(e);
		}
	}
	current = null;
}

function parseRoute() {
	const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
	return { id: parts[0] || '', params: parts.slice(1) };
}

function buildNav(activeId) {
	clear(
		nav,
		h(
			'ul',
			{},
			pages.map((p) =>
				h('li', {}, h('a', { href: `#/${p.id}`, 'aria-current': p.id === activeId ? 'page' : false }, p.title)),
			),
		),
	);
}

function setNavOpen(open) {
	document.body.classList.toggle('nav-open', open);
	navToggle.setAttribute('aria-expanded', String(open));
}

async function route() {
	closePage();
	setNavOpen(false);
	if (!session.token) {
		nav.hidden = true;
		logoutBtn.hidden = true;
		who.textContent = '';
		buildNav('');
		renderLogin(view, { onLogin: login });
		return;
	}
	const { id, params } = parseRoute();
	const page = pages.find((p) => p.id === id);
	if (!page) {
		location.replace(`#/${defaultPage}`);
		return;
	}
	nav.hidden = false;
	logoutBtn.hidden = false;
	buildNav(page.id);
	document.title = `${page.title} · tradehost`;
	const ctx = { cleanups: [], abort: new AbortController(), params };
	current = ctx;
	const pageCtx = {
		params,
		signal: ctx.abort.signal,
		get alive() {
			return current === ctx;
		},
		// A page's code goes on after an await that outlived the page (loadInto
		// swallows the abort): what it registers then must not outlive it. A
		// live handler left behind kept drawing on a chart already removed
		// ("Object is disposed" from the chart library on the next fill).
		onCleanup: (fn) => {
			if (current === ctx) ctx.cleanups.push(fn);
			else fn();
		},
		live: (topic, fn) => {
			if (current === ctx) ctx.cleanups.push(live.on(topic, fn));
		},
		every: (ms, fn) => {
			if (current !== ctx) return;
			const t = setInterval(fn, ms);
			ctx.cleanups.push(() => clearInterval(t));
		},
	};
	clear(view, h('h1', { class: 'page-title' }, page.title));
	// After a navigation, keyboard and screen-reader users start at the new page, not in the nav.
	if (!view.contains(document.activeElement)) view.focus({ preventScroll: true });
	try {
		await page.render(view, pageCtx);
	} catch (e) {
		if (e.name === 'AbortError' || !pageCtx.alive) return;
		view.append(h('p', { class: 'notice error', role: 'alert' }, `This page could not load: ${e.message}`));
	}
}

async function login(token) {
	// Throws (shown by the login form) when the host refuses the token.
	const me = await whoAmI(token);
	session.save(token);
	session.name = me.name || '';
	session.role = isRole(me.role) ? me.role : 'viewer';
	who.textContent = session.name ? `${session.name} · ${session.role}` : session.role;
	who.dataset.role = session.role;
	live.start();
	equityHistory.start();
	if (!parseRoute().id || parseRoute().id === 'login') location.hash = `#/${defaultPage}`;
	else route();
}

function logout() {
	session.clear();
	equityHistory.stop();
	live.stop();
	history.replaceState(null, '', location.pathname);
	route();
}

setUnauthorizedHandler(() => {
	if (!session.token) return;
	logout();
});

live.onState((state, attempts) => {
	conn.dataset.state = state;
	const label = state === 'live' ? 'live' : state === 'connecting' ? 'connecting…' : attempts ? `offline (retry ${attempts})` : 'offline';
	conn.querySelector('.label').textContent = label;
	conn.title = state === 'live' ? 'Live updates connected' : 'Live updates disconnected; reconnecting automatically';
});
conn.addEventListener('click', () => live.retry());

navToggle.addEventListener('click', () => setNavOpen(!document.body.classList.contains('nav-open')));
nav.addEventListener('keydown', (e) => {
	if (e.key === 'Escape') {
		setNavOpen(false);
		navToggle.focus();
	}
});
logoutBtn.addEventListener('click', logout);
view.addEventListener('click', () => setNavOpen(false));
window.addEventListener('hashchange', () => {
	const t = tokenFromFragment(location.hash);
	if (t) return boot();
	route();
});

async function boot() {
	// The host prints http://host:port/#token=th_...: take it, then drop it from
	// the address bar and history so it is not bookmarked or shared by accident.
	const fromUrl = tokenFromFragment(location.hash);
	if (fromUrl) history.replaceState(null, '', `${location.pathname}#/${defaultPage}`);
	const token = fromUrl || session.load();
	if (!token) return route();
	try {
		await login(token);
	} catch (e) {
		session.clear();
		await route();
		const form = view.querySelector('form');
		if (form) form.dispatchEvent(new CustomEvent('login-error', { detail: e }));
	}
}

boot();
