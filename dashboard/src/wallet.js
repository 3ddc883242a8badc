// Shared rendering of the contract's WALLET and GOAL objects.
import { addDec, cmpDec, fmtDec, fmtBps, fmtPpm, isDec, signDec } from './dec.js';
import { h, badge } from './ui.js';

export function pnlOf(w) {
	if (!w) return undefined;
	try {
		return addDec(w.realized_pnl || '0', w.unrealized_pnl || '0');
	} catch {
		return undefined;
	}
}

export function pnlCell(value) {
	return h('span', { class: 'pnl', 'data-sign': String(signDec(value)) }, fmtDec(value, { dp: 2, plus: true }));
}

export function walletFacts(w) {
	if (!w) return h('p', { class: 'dim' }, 'No wallet.');
	return h(
		'dl',
		{ class: 'facts' },
		h('dt', {}, 'Allocated'),
		h('dd', {}, fmtDec(w.allocated, { dp: 2 })),
		h('dt', {}, 'Equity'),
		h('dd', {}, fmtDec(w.equity, { dp: 2 })),
		h('dt', {}, 'PnL'),
		h('dd', {}, pnlCell(pnlOf(w))),
		h('dt', {}, 'Drawdown'),
		h('dd', {}, fmtBps(w.drawdown_bps)),
	);
}

export function goalProgress(g) {
	const ppm = Number.isInteger(g.progress_ppm) ? Math.max(0, Math.min(1000000, g.progress_ppm)) : 0;
	return h(
		'div',
		{ class: 'goal' },
		h('span', {}, `${g.kind} ${g.value}`, ' ', badge(g.state)),
		h('progress', { max: '1000000', value: String(ppm), 'aria-label': `Goal ${g.id} (${g.kind} ${g.value}) progress` }),
		h('span', { class: 'dim' }, fmtPpm(g.progress_ppm)),
	);
}

/**
 * The host-wide figures from a WALLET list. The ledger defines the total as
 * master cash + the farms' equity, and PnL and fees live in the agents'
 * wallets, so they are summed here (exactly, in decimal) rather than read off
 * the master wallet, whose own figures may be just its unallocated cash.
 * Drawdown: the master's when its equity is the total, else the worst farm's.
 */
export function totals(wallets) {
	const master = wallets.find((w) => w.kind === 'master');
	const farms = wallets.filter((w) => w.kind === 'farm');
	const agents = wallets.filter((w) => w.kind === 'agent');
	const sum = (list, f) => list.reduce((acc, w) => addDec(acc, isDec(f(w)) ? f(w) : '0'), '0');
	let equity = addDec(master && isDec(master.cash) ? master.cash : '0', sum(farms, (w) => w.equity));
	if (!farms.length && master) equity = master.equity;
	const pnl = sum(agents, (w) => addDec(w.realized_pnl || '0', w.unrealized_pnl || '0'));
	const fees = sum(agents, (w) => w.fees);
	const masterIsTotal = master && isDec(master.equity) && signDec(master.equity) > 0 && cmpDec(master.equity, equity) === 0;
	let drawdownBps = masterIsTotal ? master.drawdown_bps : 0, drawdownOf = masterIsTotal ? 'total' : 'worst farm';
	if (!masterIsTotal) for (const f of farms) if (Number.isInteger(f.drawdown_bps) && f.drawdown_bps > drawdownBps) drawdownBps = f.drawdown_bps;
	return { equity, pnl, fees, drawdownBps, drawdownOf };
}
