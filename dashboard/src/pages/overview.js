// Overview: the master wallet (equity, PnL, drawdown), trading states and the
// kill switch state, recent alerts, and an equity line fed every second by the
// `equity` topic.
import { get } from '../api.js';
import { fmtDec, fmtBps, signDec, decToNumber } from '../dec.js';
import { totals } from '../wallet.js';
import { equityHistory } from '../equity.js';
import { disposeChart, makeChart, toTime } from '../charts.js';
import { h, clear, table, fmtTime, badge, loadInto } from '../ui.js';

const MAX_POINTS = 3600;

function kpi(label, id) {
	return h('div', { class: 'kpi card' }, h('div', { class: 'kpi-label', id: `${id}-label` }, label), h('div', { class: 'kpi-value', id, 'aria-labelledby': `${id}-label` }, '—'));
}

export default {
	id: 'overview',
	title: 'Overview',
	async render(view, ctx) {
		const kpis = h('section', { class: 'kpis', 'aria-label': 'Host total' }, kpi('Total equity', 'equity-value'), kpi('PnL of all agents', 'pnl-value'), kpi('Drawdown (host total)', 'drawdown-value'), kpi('Fees paid', 'fees-value'));
		const updated = h('p', { class: 'dim', id: 'equity-updated' }, 'Waiting for the first equity update…');
		const chartBox = h('div', { class: 'chart small', id: 'equity-chart', role: 'img', 'aria-label': 'Total equity over time' });
		const states = h('div', {}, 'Loading…');
		const alerts = h('div', {}, 'Loading…');
		view.append(
			kpis,
			h('section', { class: 'card' }, h('h2', {}, 'Equity (live)'), chartBox, updated),
			h('div', { class: 'grid2' }, h('section', { class: 'card' }, h('h2', {}, 'Trading states'), states), h('section', { class: 'card' }, h('h2', {}, 'Recent alerts'), alerts)),
		);

		let updates = 0;
		const showWallet = (t, ts) => {
			view.querySelector('#equity-value').textContent = `${fmtDec(t.equity, { dp: 2 })}`;
			const pnlEl = view.querySelector('#pnl-value');
			pnlEl.textContent = fmtDec(t.pnl, { dp: 2, plus: true });
			pnlEl.dataset.sign = String(signDec(t.pnl));
			view.querySelector('#drawdown-value').textContent = fmtBps(t.drawdownBps);
			view.querySelector('#fees-value').textContent = fmtDec(t.fees, { dp: 2 });
			if (ts) {
				updates++;
				updated.textContent = `Updated ${fmtTime(ts)} (${updates} live update${updates === 1 ? '' : 's'})`;
				updated.dataset.updates = String(updates);
			}
		};

		const { total, quote } = await get('/wallets', null, ctx.signal);
		kpis.querySelector('#equity-value-label').textContent = `Total equity (${quote || 'quote'})`;
		showWallet(totals(total));

		const { chart, lc } = await makeChart(chartBox);
		ctx.onCleanup(() => disposeChart(chart));
		const line = chart.addSeries(lc.LineSeries, { color: '#4cc38a', lineWidth: 2, priceLineVisible: false });
		// The line starts from what the app collected since login (equity.js), then follows the topic.
		const point = (p) => ({ time: toTime(p.ts_ms), value: decToNumber(p.totals.equity) });
		let lastTime = 0;
		const seed = [];
		for (const p of equityHistory.points) {
			const pt = point(p);
			if (Number.isFinite(pt.value) && pt.time > lastTime) {
				seed.push(pt);
				lastTime = pt.time;
			}
		}
		line.setData(seed);
		let points = seed.length;
		ctx.live('equity', (data) => {
			if (!data.total) return;
			const t = totals(data.total);
			showWallet(t, data.ts_ms);
			const pt = point({ ts_ms: data.ts_ms, totals: t });
			if (!Number.isFinite(pt.value) || pt.time < lastTime) return; // an out-of-order point (host clock step)
			line.update(pt);
			if (pt.time > lastTime) points++;
			lastTime = pt.time;
			if (points > MAX_POINTS) {
				line.setData(line.data().slice(-MAX_POINTS));
				points = MAX_POINTS;
			}
		});

		const loadRisk = async () => {
			const risk = await get('/risk', null, ctx.signal);
			clear(
				states,
				h('p', {}, 'Kill switch: ', risk.killed ? badge('KILLED', 'halted') : badge('armed', 'active')),
				table(
					[
						{ label: 'Scope', get: (s) => s.scope },
						{ label: 'Name', get: (s) => s.name },
						{ label: 'State', get: (s) => badge(s.state) },
					],
					risk.states || [],
					{ caption: 'Trading states', empty: 'Everything active (no state set).' },
				),
			);
		};
		const alertRows = [];
		const drawAlerts = () =>
			clear(
				alerts,
				table(
					[
						{ label: 'Time', get: (a) => fmtTime(a.ts_ms) },
						{ label: 'Level', get: (a) => badge(a.level) },
						{ label: 'Source', get: (a) => a.source },
						{ label: 'Message', get: (a) => a.message },
					],
					alertRows.slice(0, 20),
					{ caption: 'Recent alerts', empty: 'No alerts.' },
				),
			);
		await loadInto(alerts, async () => {
			const initial = await get('/alerts', null, ctx.signal);
			alertRows.push(...(initial.alerts || []).slice().sort((a, b) => b.ts_ms - a.ts_ms));
			drawAlerts();
		});
		ctx.live('alerts', (a) => {
			alertRows.unshift(a);
			alertRows.length = Math.min(alertRows.length, 200);
			drawAlerts();
		});
		await loadInto(states, loadRisk);
		ctx.live('risk', (ev) => {
			if (ev && ev.kind !== 'decision') loadRisk().catch(() => {});
		});
		ctx.every(10000, () => loadInto(states, loadRisk));
	},
};
