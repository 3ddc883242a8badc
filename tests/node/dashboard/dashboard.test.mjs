// End-to-end: Debian's Chromium (through playwright-core) drives the built
// dashboard served by a real paper host. The tests run in order on one host:
// the kill switch comes last because it halts all trading.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { requireEnv } from '../lib/host.mjs';
import { startHost } from './host.mjs';

const exe = requireEnv('TH_TRADEHOST');
const repo = requireEnv('TH_REPO');
const out = resolve(process.env.TH_E2E_OUT || join(repo, 'build', 'e2e'));
const shots = join(out, 'screenshots');
const browserPath = process.env.TH_CHROMIUM || '/usr/bin/chromium';
const PAGES = ['overview', 'farms', 'chart', 'orders', 'risk', 'wallets', 'goals', 'feed', 'backtests'];

let host, browser, ctx, page;
const pageErrors = [];

async function shot(p, name) {
	await p.evaluate(() => window.scrollTo(0, 0));
	await p.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function newPage(options = {}) {
	const c = await browser.newContext({ viewport: { width: 1360, height: 900 }, ...options });
	const p = await c.newPage();
	p.on('pageerror', (e) => pageErrors.push(`${e.message}\n${e.stack || ''}`));
	p.setDefaultTimeout(15000);
	return { c, p };
}

async function loginWithForm(p, token) {
	await p.goto(`${host.base}/`);
	await p.getByLabel('Access token').fill(token);
	await p.getByRole('button', { name: 'Log in' }).click();
	await p.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}

async function openPage(p, id) {
	await p.goto(`${host.base}/#/${id}`);
	await p.locator('main h1').waitFor();
	// Loaded: no section still says "Loading…".
	await p.waitForFunction(() => !document.querySelector('main').textContent.includes('Loading…'), null, { timeout: 15000 });
}

before(async () => {
	mkdirSync(shots, { recursive: true });
	if (!existsSync(browserPath)) throw new Error(`no Chromium at ${browserPath} (scripts/install-deps.sh test installs Debian's chromium)`);
	host = await startHost({ exe, repo, logFile: join(out, 'host.log') });
	browser = await chromium.launch({
		executablePath: browserPath,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
	});
	({ c: ctx, p: page } = await newPage());
});

after(async () => {
	await browser?.close();
	if (host && !host.stopped) await host.stop();
});

test('the login form and a wrong token', async () => {
	await page.goto(`${host.base}/`);
	await page.getByLabel('Access token').waitFor();
	await shot(page, 'login');
	await page.getByLabel('Access token').fill(`th_${'x'.repeat(43)}`);
	await page.getByRole('button', { name: 'Log in' }).click();
	await page.getByText('The host did not accept this token.').waitFor();
	await loginWithForm(page, host.token);
	assert.match(await page.locator('#who').textContent(), /admin/);
	assert.equal(await page.evaluate(() => sessionStorage.getItem('tradehost.token')), host.token);
});

test('the printed login URL logs in and leaves no token in the address bar', async () => {
	const { c, p } = await newPage();
	await p.goto(`${host.base}/#token=${host.token}`);
	await p.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
	assert.ok(!p.url().includes('token='), p.url());
	await c.close();
});

test('the instrument chart draws candles and the host\'s fills', async () => {
	await openPage(page, 'chart/BTC-USDT');
	await page.locator('#price-chart canvas').first().waitFor();
	// The paper agents start trading once the risk models have enough history (a minute or
	// two of 2-second bars); their fills become markers as they come in over the WebSocket.
	await page.waitForFunction(() => Number(document.querySelector('#chart-fills')?.dataset.count || 0) > 0, null, { timeout: 150000 });
	await shot(page, 'chart');
});

test('equity updates live over the WebSocket', async () => {
	await openPage(page, 'overview');
	await page.locator('#conn[data-state="live"]').waitFor({ timeout: 20000 });
	// The `equity` topic comes every second; with positions open (the chart test waited for
	// fills) the marks move the value within seconds.
	await page.waitForFunction(() => Number(document.querySelector('#equity-updated')?.dataset.updates || 0) >= 1, null, { timeout: 20000 });
	const first = await page.locator('#equity-value').textContent();
	const firstUpdates = Number(await page.locator('#equity-updated').getAttribute('data-updates'));
	await page.waitForFunction(
		([v, n]) => document.querySelector('#equity-value').textContent !== v && Number(document.querySelector('#equity-updated').dataset.updates) > n,
		[first, firstUpdates],
		{ timeout: 60000 },
	);
	assert.match(await page.locator('#equity-value').textContent(), /^[\d,]+\.\d{2}$/);
	await shot(page, 'overview');
});

test('a manual order is placed and canceled', async () => {
	const { instruments } = await host.api('GET', '/instruments');
	const btc = instruments.find((i) => i.symbol === 'BTC-USDT' && i.venue === 'sim');
	assert.ok(btc && btc.last_price, `BTC-USDT on sim has a last price: ${JSON.stringify(btc)}`);
	// A buy 5 % under the market rests on the book (the fat-finger band is 25 %).
	const [int, frac = ''] = btc.last_price.split('.');
	const cents = (BigInt(int) * 100n + BigInt((frac + '00').slice(0, 2))) * 95n / 100n;
	const price = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;

	await openPage(page, 'orders');
	const form = page.locator('#order-form');
	await form.getByLabel('Agent').selectOption('marcus');
	await form.getByLabel('Venue').selectOption('sim');
	await form.getByLabel('Symbol').selectOption('BTC-USDT');
	await form.getByLabel('Side').selectOption('buy');
	await form.getByLabel('Type').selectOption('limit');
	await form.getByLabel('Quantity').fill('0.0010');
	await form.getByLabel('Price').fill(price);
	await form.getByRole('button', { name: 'Place order' }).click();
	const note = page.locator('.notice.ok');
	await note.waitFor();
	const id = /Order (\S+) accepted/.exec(await note.textContent())?.[1];
	assert.ok(id, `the notice names the order: ${await note.textContent()}`);

	await page.getByLabel('Order state').selectOption('open');
	const cancel = page.getByRole('button', { name: `Cancel order ${id}` });
	await cancel.waitFor({ timeout: 20000 });
	await shot(page, 'orders');
	await cancel.click();
	await page.getByText(`Cancel of ${id} sent`).waitFor();
	// The venue confirms the cancel: the host reports the order canceled.
	const deadline = Date.now() + 15000;
	let state;
	while (Date.now() < deadline) {
		state = (await host.api('GET', `/orders/${encodeURIComponent(id)}`)).state;
		if (/cancel/.test(state)) break;
		await new Promise((r) => setTimeout(r, 250));
	}
	assert.match(state, /cancel/);
});

test('a backtest runs and its report opens', async () => {
	await openPage(page, 'backtests');
	await page.getByLabel('Bars').fill('300');
	await page.getByRole('button', { name: 'Start backtest' }).click();
	const id = /Backtest (\S+) started/.exec(await page.locator('.notice.ok').textContent())?.[1];
	assert.ok(id, 'the notice names the backtest');
	await page.locator(`tr[data-backtest="${id}"][data-state="done"]`).waitFor({ timeout: 120000 });
	await page.getByRole('button', { name: `Open the report of backtest ${id}` }).click();
	const frame = page.frameLocator('#report-frame');
	await frame.locator('body').waitFor();
	const text = await frame.locator('body').textContent();
	assert.ok(text.length > 200, `the report has content (${text.length} chars)`);
	await shot(page, 'backtests');
});

test('a goal is created and listed with its progress', async () => {
	await openPage(page, 'goals');
	const form = page.locator('#goal-form');
	await form.getByLabel('Scope').selectOption('agent');
	await form.getByLabel('Target').selectOption('marcus');
	await form.getByLabel('Kind').selectOption('profit');
	await form.getByLabel('Value').fill('500');
	await form.getByLabel('When hit').selectOption('none');
	await form.getByRole('button', { name: 'Create goal' }).click();
	const id = /Goal (\S+) created/.exec(await page.locator('.notice.ok').textContent())?.[1];
	assert.ok(id, 'the notice names the goal');
	await page.getByRole('progressbar', { name: `Goal ${id} progress` }).waitFor();
	const goals = (await host.api('GET', '/goals')).goals;
	assert.ok(goals.some((g) => String(g.id) === id && g.target === 'marcus' && g.kind === 'profit'), JSON.stringify(goals));
	await shot(page, 'goals');
});

test('the agent feed streams an AG-UI run', async () => {
	await openPage(page, 'feed');
	await page.waitForFunction(() => Number(document.querySelector('#feed-steps')?.textContent || 0) > 0, null, { timeout: 30000 });
	await page.waitForFunction(() => document.querySelector('#feed-state').textContent !== 'No state yet.', null, { timeout: 30000 });
	await shot(page, 'feed');
});

test('every page loads without errors', async () => {
	for (const id of PAGES) {
		await openPage(page, id);
		const errors = await page.locator('main [role="alert"]').allTextContents();
		assert.deepEqual(errors, [], `page ${id} shows errors`);
		if (!['overview', 'chart', 'orders', 'backtests', 'feed', 'goals'].includes(id)) await shot(page, id);
	}
	assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});

test('leaving a page while it loads leaves no live subscription behind', async () => {
	// The chart page subscribes to `fills` after its fills request; hold that
	// request, leave for a page that subscribes to nothing, then let it go.
	// The page's code goes on after the (aborted) load; before the fix its
	// `fills` handler stayed subscribed and drew on the removed chart.
	const { c, p } = await newPage();
	const topics = new Map(); // topic -> subscribe frames minus unsubscribe frames
	p.on('websocket', (ws) =>
		ws.on('framesent', ({ payload }) => {
			let m;
			try {
				m = JSON.parse(String(payload));
			} catch {
				return;
			}
			const d = m.op === 'subscribe' ? 1 : m.op === 'unsubscribe' ? -1 : 0;
			for (const t of m.topics || []) topics.set(t, (topics.get(t) || 0) + d);
		}),
	);
	let release;
	const held = new Promise((r) => (release = r));
	let seen;
	const requested = new Promise((r) => (seen = r));
	await p.route((url) => url.pathname === '/api/v1/fills', async (route) => {
		seen();
		await held;
		await route.continue().catch(() => {}); // the page has aborted it by now
	});
	await p.goto(`${host.base}/#token=${host.token}`);
	await p.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
	await p.goto(`${host.base}/#/chart/BTC-USDT`);
	await requested;
	await p.goto(`${host.base}/#/wallets`);
	await p.getByRole('heading', { level: 1, name: 'Wallets' }).waitFor();
	release();
	await p.waitForTimeout(500); // the chart page's code runs on after its aborted load
	assert.equal(topics.get('fills') || 0, 0, 'no `fills` subscription left by the closed chart page');
	assert.equal(topics.get('orders') || 0, 0, 'no `orders` subscription left by the closed chart page');
	await c.close();
});

test('a viewer sees no state-changing controls', async () => {
	// Admin first: the same pages do have them (so this check can fail).
	let adminControls = 0;
	for (const id of ['farms', 'orders', 'risk', 'wallets', 'goals', 'backtests']) {
		await openPage(page, id);
		adminControls += await page.locator('[data-mutates]').count();
	}
	assert.ok(adminControls > 10, `admin sees controls (${adminControls})`);

	const viewer = await host.createToken('e2e-viewer', 'viewer');
	const { c, p } = await newPage();
	await loginWithForm(p, viewer);
	assert.match(await p.locator('#who').textContent(), /viewer/);
	for (const id of PAGES) {
		await openPage(p, id);
		assert.equal(await p.locator('[data-mutates]').count(), 0, `page ${id}`);
		for (const name of [/^pause/i, /^resume/i, /^cancel/i, /kill/i, /place order/i, /reallocate/i, /create goal/i, /start backtest/i])
			assert.equal(await p.getByRole('button', { name }).count(), 0, `page ${id}: button ${name}`);
	}
	await openPage(p, 'risk');
	await shot(p, 'viewer-risk');
	await c.close();
});

test('phone width: the nav opens from the menu button', async () => {
	const { c, p } = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
	await p.goto(`${host.base}/#token=${host.token}`);
	await p.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
	const menu = p.getByRole('button', { name: 'Menu' });
	assert.equal(await menu.getAttribute('aria-expanded'), 'false');
	assert.equal(await p.getByRole('link', { name: 'Risk' }).isVisible(), false, 'the nav is collapsed');
	await menu.click();
	await p.getByRole('link', { name: 'Risk' }).waitFor({ state: 'visible' });
	await shot(p, 'phone-nav');
	await p.getByRole('link', { name: 'Risk' }).click();
	await p.getByRole('heading', { level: 1, name: 'Risk' }).waitFor();
	assert.equal(await menu.getAttribute('aria-expanded'), 'false', 'the nav closes after navigating');
	const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(overflow <= 0, `no horizontal scrolling at 390 px (overflow ${overflow}px)`);
	await shot(p, 'phone-risk');
	await c.close();
});

test('the kill switch halts every agent (after a confirmation)', async () => {
	await openPage(page, 'risk');
	await page.getByRole('button', { name: 'Kill switch…' }).click();
	const dialog = page.getByRole('dialog', { name: 'Trip the kill switch?' });
	await dialog.waitFor();
	await shot(page, 'risk-kill-dialog');
	// Cancel first: nothing happens.
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	assert.equal((await host.api('GET', '/risk')).killed, false);
	await page.getByRole('button', { name: 'Kill switch…' }).click();
	await dialog.getByLabel('Reason').fill('e2e test');
	await dialog.getByRole('button', { name: 'Kill all trading' }).click();
	await page.locator('#kill-state[data-killed="true"]').waitFor();
	assert.equal((await host.api('GET', '/risk')).killed, true);
	await shot(page, 'risk-killed');

	await openPage(page, 'farms');
	const rows = page.locator('tr[data-agent]');
	const n = await rows.count();
	assert.ok(n >= 5, `the agents are listed (${n})`);
	await page.waitForFunction(() => [...document.querySelectorAll('tr[data-agent]')].every((r) => r.dataset.state === 'halted'), null, { timeout: 10000 });
	await shot(page, 'farms-killed');

	await openPage(page, 'risk');
	await page.getByRole('button', { name: 'Resume trading' }).click();
	await page.getByRole('dialog', { name: 'Resume trading?' }).getByRole('button', { name: 'Resume trading' }).click();
	await page.locator('#kill-state[data-killed="false"]').waitFor();
});

test('the host shuts down cleanly after all this', async () => {
	await browser.close();
	browser = null;
	const status = await host.stop();
	host.stopped = true;
	assert.deepEqual({ code: status.code, signal: status.signal }, { code: 0, signal: null }, `the host's exit status (log: ${join(out, 'host.log')})`);
});
