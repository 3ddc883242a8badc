// Shared rendering of the contract's WALLET and GOAL objects.
import { addDec, fmtDec, fmtBps, fmtPpm, signDec } from './dec.js';
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
 * The host-wide figures from the host's `total` WALLET (GET /wallets and the
 * `equity` topic carry it): the ledger's own total — master cash + the
 * farms' equity, with the PnL and fees of every agent — read as it is, not
 * re-added here. The master wallet's own figures are only its unallocated cash.
 */
export function totals(total) {
	if (!total) return { equity: undefined, pnl: undefined, fees: undefined, drawdownBps: undefined };
	return { equity: total.equity, pnl: pnlOf(total), fees: total.fees, drawdownBps: total.drawdown_bps };
}
