// Instrument chart: candlesticks from GET /market/{symbol}/bars, live bars and
// trades from `market:<symbol>`, the host's own fills as markers and its open
// orders as price lines. #/chart/<symbol>/<venue>.
import { get } from '../api.js';
import { decToNumber, fmtDec } from '../dec.js';
import { disposeChart, makeChart, toTime } from '../charts.js';
import { isOpenOrder } from '../orderstate.js';
import { h, field, select, loadInto } from '../ui.js';

const MAX_MARKERS = 500;

function candle(b) {
	return { time: toTime(b.ts_ms), open: decToNumber(b.open), high: decToNumber(b.high), low: decToNumber(b.low), close: decToNumber(b.close) };
}

export default {
	id: 'chart',
	title: 'Chart',
	async render(view, ctx) {
		const { instruments } = await get('/instruments', null, ctx.signal);
		if (!instruments.length) {
			view.append(h('p', {}, 'The host has no instruments (it runs without [market]).'));
			return;
		}
		const symbols = [...new Set(instruments.map((i) => i.symbol))];
		const symbol = symbols.includes(ctx.params[0]) ? ctx.params[0] : symbols[0];
		const venues = instruments.filter((i) => i.symbol === symbol).map((i) => i.venue);
		const venue = venues.includes(ctx.params[1]) ? ctx.params[1] : venues[0];
		const inst = instruments.find((i) => i.symbol === symbol && i.venue === venue);

		const symSel = select('symbol', symbols, { value: symbol });
		symSel.value = symbol;
		const venueSel = select('venue', venues);
		venueSel.value = venue;
		const go = () => {
			location.hash = `#/chart/${encodeURIComponent(symSel.value)}/${symSel.value === symbol ? encodeURIComponent(venueSel.value) : ''}`;
		};
		symSel.addEventListener('change', go);
		venueSel.addEventListener('change', go);
		const last = h('span', { id: 'chart-last' }, inst && inst.last_price ? fmtDec(inst.last_price) : '—');
		const fillsInfo = h('span', { id: 'chart-fills', 'data-count': '0' }, '0 fills');
		const ordersInfo = h('span', { id: 'chart-orders', 'data-count': '0' }, '0 open orders');
		const box = h('div', { class: 'chart', id: 'price-chart', role: 'img', 'aria-label': `${symbol} on ${venue}: candlesticks with this host's fills and open orders` });
		view.querySelector('.page-title').textContent = `Chart · ${symbol}`;
		view.append(
			h('form', { class: 'toolbar', onsubmit: (e) => e.preventDefault() }, field('Symbol', symSel), field('Venue', venueSel)),
			h('p', { class: 'legend' }, 'Last ', last, ' · ', fillsInfo, ' (▲ buy, ▼ sell) · ', ordersInfo, ' (dashed lines)'),
			box,
		);

		const { chart, lc } = await makeChart(box);
		ctx.onCleanup(() => disposeChart(chart));
		const series = chart.addSeries(lc.CandlestickSeries, {
			upColor: '#4cc38a',
			downColor: '#e5484d',
			borderVisible: false,
			wickUpColor: '#4cc38a',
			wickDownColor: '#e5484d',
		});
		const markers = lc.createSeriesMarkers(series, []);

		// Bars: the snapshot, then live updates (a bar for the same time replaces the last one).
		let times = []; // bar open times (s), ascending, for snapping fills to their bar
		let interval = 0;
		const res = await get(`/market/${encodeURIComponent(symbol)}/bars`, { venue, limit: 500 }, ctx.signal);
		const data = (res.bars || []).map(candle).filter((c) => Number.isFinite(c.close)).sort((a, b) => a.time - b.time);
		const dedup = data.filter((c, i) => i === 0 || c.time !== data[i - 1].time);
		series.setData(dedup);
		times = dedup.map((c) => c.time);
		if (times.length > 1) interval = times[times.length - 1] - times[times.length - 2];
		chart.timeScale().fitContent();
		let lastBar = dedup[dedup.length - 1] || null;

		const pushBar = (c) => {
			if (lastBar && c.time < lastBar.time) return;
			series.update(c);
			if (!lastBar || c.time > lastBar.time) {
				if (lastBar) interval = c.time - lastBar.time;
				times.push(c.time);
			}
			lastBar = c;
		};
		ctx.live(`market:${symbol}`, (d) => {
			if (!d || (d.venue && d.venue !== venue)) return;
			if (d.kind === 'trade') {
				const p = decToNumber(d.price);
				if (!Number.isFinite(p)) return;
				last.textContent = fmtDec(d.price);
				const t = toTime(d.ts_ms);
				if (!lastBar || (interval && t >= lastBar.time + interval)) {
					const start = lastBar && interval ? lastBar.time + Math.floor((t - lastBar.time) / interval) * interval : t;
					pushBar({ time: start, open: p, high: p, low: p, close: p });
				} else if (t >= lastBar.time) {
					pushBar({ ...lastBar, high: Math.max(lastBar.high, p), low: Math.min(lastBar.low, p), close: p });
				}
				return;
			}
			const c = candle(d);
			if (Number.isFinite(c.close)) {
				last.textContent = fmtDec(d.close);
				pushBar(c);
			}
		});

		// Fills as markers, on the bar they happened in.
		const fillList = [];
		const seen = new Set();
		const barTime = (t) => {
			let lo = 0, hi = times.length - 1, ans = -1;
			while (lo <= hi) {
				const mid = (lo + hi) >> 1;
				if (times[mid] <= t) {
					ans = mid;
					lo = mid + 1;
				} else hi = mid - 1;
			}
			return ans < 0 ? null : times[ans];
		};
		const drawFills = () => {
			const ms = [];
			for (const f of fillList.slice(-MAX_MARKERS)) {
				const t = barTime(toTime(f.ts_ms));
				if (t === null) continue;
				const buy = f.side === 'buy';
				ms.push({
					time: t,
					position: buy ? 'belowBar' : 'aboveBar',
					shape: buy ? 'arrowUp' : 'arrowDown',
					color: buy ? '#4cc38a' : '#e5484d',
					text: f.agent || '',
					size: 1,
				});
			}
			ms.sort((a, b) => a.time - b.time);
			markers.setMarkers(ms);
			fillsInfo.dataset.count = String(ms.length);
			fillsInfo.textContent = `${ms.length} fill${ms.length === 1 ? '' : 's'}`;
		};
		const addFill = (f) => {
			if (!f || f.symbol !== symbol || (f.venue && f.venue !== venue)) return false;
			const key = f.trade_id ? `${f.venue}/${f.trade_id}/${f.client_order_id}` : `${f.client_order_id}/${f.ts_ms}/${f.qty}`;
			if (seen.has(key)) return false;
			seen.add(key);
			fillList.push(f);
			return true;
		};
		await loadInto(fillsInfo, async () => {
			const { fills } = await get('/fills', { symbol, limit: 500 }, ctx.signal);
			(fills || []).sort((a, b) => a.ts_ms - b.ts_ms).forEach(addFill);
			drawFills();
		});
		ctx.live('fills', (f) => {
			if (addFill(f)) drawFills();
		});

		// Open orders as price lines, kept in step with the `orders` topic.
		const lines = new Map(); // client_order_id -> price line
		const showOrders = () => {
			ordersInfo.dataset.count = String(lines.size);
			ordersInfo.textContent = `${lines.size} open order${lines.size === 1 ? '' : 's'}`;
		};
		const applyOrder = (o) => {
			if (!o || o.symbol !== symbol || (o.venue && o.venue !== venue)) return;
			const old = lines.get(o.client_order_id);
			if (old) {
				series.removePriceLine(old);
				lines.delete(o.client_order_id);
			}
			const price = decToNumber(o.price);
			if (!isOpenOrder(o) || !Number.isFinite(price) || price <= 0) return;
			const buy = o.side === 'buy';
			lines.set(
				o.client_order_id,
				series.createPriceLine({
					price,
					color: buy ? '#4cc38a' : '#e5484d',
					lineWidth: 1,
					lineStyle: lc.LineStyle.Dashed,
					axisLabelVisible: true,
					title: `${o.agent || ''} ${o.side} ${o.qty}`.trim(),
				}),
			);
		};
		await loadInto(ordersInfo, async () => {
			const { orders } = await get('/orders', { state: 'open', symbol, venue, limit: 500 }, ctx.signal);
			(orders || []).forEach(applyOrder);
			showOrders();
		});
		ctx.live('orders', (o) => {
			applyOrder(o);
			showOrders();
		});
	},
};
