// Wallets: the master wallet, every farm and agent sub-wallet as a tree, and
// the forms that move capital: set an allocation, transfer, rebalance.
import { get, post } from '../api.js';
import { fmtDec, fmtBps, isDec } from '../dec.js';
import { h, clear, table, field, select, notice, actionButton, loadInto } from '../ui.js';
import { walletFacts, pnlCell, pnlOf, totals } from '../wallet.js';
import { can } from '../session.js';

// Parents before children, depth for indentation.
function tree(wallets) {
	const byParent = new Map();
	for (const w of wallets) {
		const p = w.parent || '';
		if (!byParent.has(p)) byParent.set(p, []);
		byParent.get(p).push(w);
	}
	const out = [], seen = new Set();
	const walk = (parent, depth) => {
		for (const w of byParent.get(parent) || []) {
			if (seen.has(w.name)) continue;
			seen.add(w.name);
			out.push({ w, depth });
			walk(w.name, depth + 1);
		}
	};
	walk('', 0);
	for (const w of wallets) if (!seen.has(w.name)) out.push({ w, depth: 0 }); // parent missing: still shown
	return out;
}

function positiveDec(s) {
	return isDec(s) && !s.trim().startsWith('-');
}

function forms(wallets, msg, refresh) {
	const names = wallets.map((w) => w.name);
	const subs = wallets.filter((w) => w.kind !== 'master').map((w) => w.name);
	const alloc = { wallet: select('wallet', subs), amount: h('input', { name: 'amount', inputmode: 'decimal', required: true, placeholder: '20000', autocomplete: 'off' }) };
	const allocForm = h(
		'form',
		{ class: 'card form-grid', id: 'allocation-form', 'aria-labelledby': 'alloc-title' },
		h('h2', { id: 'alloc-title' }, 'Set allocation'),
		field('Wallet', alloc.wallet),
		field('Allocation', alloc.amount),
		h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', 'data-mutates': '' }, 'Reallocate')),
	);
	allocForm.addEventListener('submit', async (e) => {
		e.preventDefault();
		const amount = alloc.amount.value.trim();
		if (!positiveDec(amount)) return msg.error(`Allocation must be a non-negative decimal like 20000, not "${amount}".`);
		try {
			await post(`/wallets/${encodeURIComponent(alloc.wallet.value)}/allocation`, { amount });
			msg.ok(`${alloc.wallet.value}: allocation set to ${fmtDec(amount)}.`);
			await refresh();
		} catch (err) {
			msg.error(err);
		}
	});
	const tr = {
		from: select('from', names),
		to: select('to', names),
		amount: h('input', { name: 'amount', inputmode: 'decimal', required: true, placeholder: '1000', autocomplete: 'off' }),
	};
	if (subs.length) tr.to.value = subs[0];
	const trForm = h(
		'form',
		{ class: 'card form-grid', id: 'transfer-form', 'aria-labelledby': 'tr-title' },
		h('h2', { id: 'tr-title' }, 'Transfer'),
		field('From', tr.from),
		field('To', tr.to),
		field('Amount', tr.amount),
		h('div', { class: 'row' }, h('button', { type: 'submit', 'data-mutates': '' }, 'Transfer')),
	);
	trForm.addEventListener('submit', async (e) => {
		e.preventDefault();
		const amount = tr.amount.value.trim();
		if (!positiveDec(amount)) return msg.error(`Amount must be a positive decimal like 1000, not "${amount}".`);
		if (tr.from.value === tr.to.value) return msg.error('From and To are the same wallet.');
		try {
			await post('/wallets/transfer', { from: tr.from.value, to: tr.to.value, amount });
			msg.ok(`Moved ${fmtDec(amount)} from ${tr.from.value} to ${tr.to.value}.`);
			await refresh();
		} catch (err) {
			msg.error(err);
		}
	});
	const rebalance = actionButton('trader', 'Rebalance to target weights', async () => {
		try {
			const r = await post('/wallets/rebalance', { scope: 'master' });
			msg.ok(`Rebalanced${r && r.summary ? `: ${r.summary}` : '.'}`);
			await refresh();
		} catch (err) {
			msg.error(err);
		}
	});
	return h('div', { class: 'grid2' }, allocForm, trForm, h('div', { class: 'row' }, rebalance));
}

export default {
	id: 'wallets',
	title: 'Wallets',
	async render(view, ctx) {
		const msg = notice();
		const master = h('section', { class: 'card', id: 'master-wallet' }, 'Loading…');
		const list = h('section', { class: 'card' }, 'Loading…');
		const formBox = h('div');
		view.append(msg, master, list, formBox);
		let formsDrawn = false;
		const refresh = async () => {
			const { quote, wallets, total } = await get('/wallets', null, ctx.signal);
			if (!ctx.alive) return;
			const m = wallets.find((w) => w.kind === 'master') || wallets[0];
			const t = totals(total);
			clear(
				master,
				h('h2', {}, `Master wallet (${quote || 'quote'})`),
				h('p', {}, 'Total equity ', h('strong', { id: 'total-equity' }, fmtDec(t.equity, { dp: 2 })), ' · agents\' PnL ', pnlCell(t.pnl), ' · fees ', fmtDec(t.fees, { dp: 2 })),
				walletFacts(m),
				m ? h('p', { class: 'dim' }, `Unallocated cash ${fmtDec(m.cash, { dp: 2 })} · reserved ${fmtDec(m.reserved, { dp: 2 })}`) : null,
			);
			clear(
				list,
				h('h2', {}, 'Allocations'),
				table(
					[
						{ label: 'Wallet', get: ({ w, depth }) => h('span', { style: `padding-left:${depth * 1.2}em` }, w.name) },
						{ label: 'Kind', get: ({ w }) => w.kind },
						{ label: 'Weight', num: true, get: ({ w }) => (w.weight === undefined ? '—' : String(w.weight)) },
						{ label: 'Allocated', num: true, get: ({ w }) => fmtDec(w.allocated, { dp: 2 }) },
						{ label: 'Equity', num: true, get: ({ w }) => fmtDec(w.equity, { dp: 2 }) },
						{ label: 'Cash', num: true, get: ({ w }) => fmtDec(w.cash, { dp: 2 }) },
						{ label: 'PnL', num: true, get: ({ w }) => pnlCell(pnlOf(w)) },
						{ label: 'Drawdown', num: true, get: ({ w }) => fmtBps(w.drawdown_bps) },
					],
					tree(wallets),
					{ caption: 'Wallets', rowAttrs: ({ w }) => ({ 'data-wallet': w.name }) },
				),
			);
			// The forms are drawn once: redrawing them would wipe what someone is typing.
			if (!formsDrawn && can('trader')) {
				formsDrawn = true;
				clear(formBox, forms(wallets, msg, refresh));
			}
		};
		await loadInto(list, refresh);
		ctx.every(3000, () => loadInto(list, refresh));
	},
};
