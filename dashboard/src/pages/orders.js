// Orders & fills: filtered tables (agent, symbol, state) with paging, cancel
// buttons on open orders, and the manual order form (the order goes through the
// host's risk pipeline like any agent's: 202 accepted or 422 with the reason).
import { get, post, del } from '../api.js';
import { fmtDec, isDec } from '../dec.js';
import { isOpenOrder } from '../orderstate.js';
import { h, clear, table, field, select, notice, actionButton, fmtTime, badge, loadInto, throttle } from '../ui.js';
import { can } from '../session.js';

const PAGE = 100;

function orderForm(agents, instruments, msg, onPlaced) {
	const venues = [...new Set(instruments.map((i) => i.venue))];
	const symbols = [...new Set(instruments.map((i) => i.symbol))];
	const f = {
		agent: select('agent', agents.map((a) => a.name), { required: true }),
		venue: select('venue', venues, { required: true }),
		symbol: select('symbol', symbols, { required: true }),
		side: select('side', ['buy', 'sell']),
		type: select('type', ['limit', 'market', 'stop', 'stop_limit']),
		tif: select('tif', ['gtc', 'ioc', 'fok', 'post_only']),
		qty: h('input', { name: 'qty', inputmode: 'decimal', required: true, placeholder: '0.01', autocomplete: 'off' }),
		price: h('input', { name: 'price', inputmode: 'decimal', placeholder: 'limit price', autocomplete: 'off' }),
	};
	const priceField = field('Price', f.price);
	const syncType = () => {
		const needs = f.type.value !== 'market';
		f.price.required = needs;
		f.price.disabled = !needs;
		f.tif.disabled = f.type.value === 'market';
	};
	f.type.addEventListener('change', syncType);
	syncType();
	const form = h(
		'form',
		{ class: 'card form-grid', id: 'order-form', 'aria-labelledby': 'order-form-title' },
		h('h2', { id: 'order-form-title' }, 'Manual order'),
		field('Agent (pays from its wallet)', f.agent),
		field('Venue', f.venue),
		field('Symbol', f.symbol),
		field('Side', f.side),
		field('Type', f.type),
		field('Time in force', f.tif),
		field('Quantity', f.qty),
		priceField,
		h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', 'data-mutates': '' }, 'Place order')),
	);
	form.addEventListener('submit', async (e) => {
		e.preventDefault();
		msg.clear();
		const qty = f.qty.value.trim();
		const price = f.price.value.trim();
		if (!isDec(qty) || qty.startsWith('-')) return msg.error(`Quantity must be a positive decimal like 0.01, not "${qty}".`);
		if (f.type.value !== 'market' && (!isDec(price) || price.startsWith('-'))) return msg.error(`Price must be a positive decimal like 65000.5, not "${price}".`);
		const body = { agent: f.agent.value, venue: f.venue.value, symbol: f.symbol.value, side: f.side.value, type: f.type.value, qty };
		if (f.type.value !== 'market') {
			body.price = price;
			body.tif = f.tif.value;
		}
		const btn = form.querySelector('button[type=submit]');
		btn.disabled = true;
		try {
			const o = await post('/orders', body);
			msg.ok(`Order ${o.client_order_id} accepted (${o.state}).`);
			onPlaced(o);
		} catch (err) {
			msg.error(err.code === 'risk_denied' ? `Denied by risk: ${err.message}` : err);
		} finally {
			btn.disabled = false;
		}
	});
	return form;
}

export default {
	id: 'orders',
	title: 'Orders & fills',
	async render(view, ctx) {
		const [{ agents }, { instruments }] = await Promise.all([get('/agents', null, ctx.signal), get('/instruments', null, ctx.signal)]);
		const msg = notice();
		const filters = {
			agent: select('agent', ['', ...agents.map((a) => a.name)]),
			symbol: select('symbol', ['', ...new Set(instruments.map((i) => i.symbol))]),
			state: select('state', [
				{ value: 'all', label: 'all' },
				{ value: 'open', label: 'open' },
				{ value: 'closed', label: 'closed' },
			]),
		};
		const ordersBox = h('div', { id: 'orders-table' }, 'Loading…');
		const fillsBox = h('div', { id: 'fills-table' }, 'Loading…');
		const moreOrders = h('button', { type: 'button', hidden: true }, 'More orders');
		const moreFills = h('button', { type: 'button', hidden: true }, 'More fills');
		view.append(
			h('form', { class: 'toolbar', 'aria-label': 'Filters', onsubmit: (e) => e.preventDefault() }, field('Agent', filters.agent), field('Symbol', filters.symbol), field('Order state', filters.state)),
			msg,
			can('trader') ? orderForm(agents, instruments, msg, () => reload()) : null,
			h('section', { class: 'card' }, h('h2', {}, 'Orders'), ordersBox, moreOrders),
			h('section', { class: 'card' }, h('h2', {}, 'Fills'), fillsBox, moreFills),
		);

		let orders = [], fills = [], orderCursor = null, fillCursor = null;
		const q = () => ({ agent: filters.agent.value, symbol: filters.symbol.value });

		const cancel = (o) => async () => {
			try {
				const r = await del(`/orders/${encodeURIComponent(o.client_order_id)}`);
				msg.ok(`Cancel of ${o.client_order_id} sent (${r && r.state ? r.state : 'pending'}).`);
				await reload();
			} catch (e) {
				msg.error(e);
			}
		};
		const drawOrders = () =>
			clear(
				ordersBox,
				table(
					[
						{ label: 'Updated', get: (o) => fmtTime(o.updated_ms || o.created_ms) },
						{ label: 'Order', get: (o) => h('code', {}, o.client_order_id) },
						{ label: 'Agent', get: (o) => o.agent },
						{ label: 'Venue', get: (o) => o.venue },
						{ label: 'Symbol', get: (o) => o.symbol },
						{ label: 'Side', get: (o) => badge(o.side) },
						{ label: 'Type', get: (o) => `${o.type}${o.tif ? ` ${o.tif}` : ''}` },
						{ label: 'Price', num: true, get: (o) => fmtDec(o.price) },
						{ label: 'Qty', num: true, get: (o) => fmtDec(o.qty) },
						{ label: 'Filled', num: true, get: (o) => fmtDec(o.filled_qty) },
						{ label: 'State', get: (o) => h('span', { title: o.reason || '' }, badge(o.state), o.reason ? ` ${o.reason}` : '') },
						{ label: '', get: (o) => (isOpenOrder(o) ? actionButton('trader', 'Cancel', cancel(o), { 'aria-label': `Cancel order ${o.client_order_id}` }) : null) },
					],
					orders,
					{ caption: 'Orders', empty: 'No orders match.', rowAttrs: (o) => ({ 'data-order': o.client_order_id, 'data-state': o.state }) },
				),
			);
		const drawFills = () =>
			clear(
				fillsBox,
				table(
					[
						{ label: 'Time', get: (f) => fmtTime(f.ts_ms) },
						{ label: 'Agent', get: (f) => f.agent },
						{ label: 'Venue', get: (f) => f.venue },
						{ label: 'Symbol', get: (f) => f.symbol },
						{ label: 'Side', get: (f) => badge(f.side) },
						{ label: 'Price', num: true, get: (f) => fmtDec(f.price) },
						{ label: 'Qty', num: true, get: (f) => fmtDec(f.qty) },
						{ label: 'Fee', num: true, get: (f) => fmtDec(f.fee) },
						{ label: 'Liquidity', get: (f) => f.liquidity },
						{ label: 'Order', get: (f) => h('code', {}, f.client_order_id) },
					],
					fills,
					{ caption: 'Fills', empty: 'No fills match.' },
				),
			);

		const loadOrders = async (append) => {
			const r = await get('/orders', { ...q(), state: filters.state.value, limit: PAGE, cursor: append ? orderCursor : '' }, ctx.signal);
			orders = append ? orders.concat(r.orders || []) : r.orders || [];
			orderCursor = r.next_cursor || null;
			moreOrders.hidden = !orderCursor;
			drawOrders();
		};
		const loadFills = async (append) => {
			const r = await get('/fills', { ...q(), limit: PAGE, cursor: append ? fillCursor : '' }, ctx.signal);
			fills = append ? fills.concat(r.fills || []) : r.fills || [];
			fillCursor = r.next_cursor || null;
			moreFills.hidden = !fillCursor;
			drawFills();
		};
		const reload = () => Promise.all([loadInto(ordersBox, () => loadOrders(false)), loadInto(fillsBox, () => loadFills(false))]);
		moreOrders.addEventListener('click', () => loadInto(ordersBox, () => loadOrders(true)));
		moreFills.addEventListener('click', () => loadInto(fillsBox, () => loadFills(true)));
		for (const s of Object.values(filters)) s.addEventListener('change', reload);
		await reload();
		// Live: refresh the first page (at most every 2 s) while nobody has paged further.
		const refresh = throttle(() => {
			if (ctx.alive && !moreOrders.dataset.paged) reload();
		}, 2000);
		moreOrders.addEventListener('click', () => (moreOrders.dataset.paged = '1'));
		ctx.live('orders', refresh);
		ctx.live('fills', refresh);
	},
};
