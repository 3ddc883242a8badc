// Farms & agents: each farm's allocation, PnL, goals and its agents, with
// pause/resume for traders. Refreshed every few seconds and on goal events.
import { get, post } from '../api.js';
import { fmtDec } from '../dec.js';
import { h, clear, table, badge, actionButton, notice, loadInto, throttle } from '../ui.js';
import { walletFacts, pnlCell, pnlOf, goalProgress } from '../wallet.js';

function pauseButtons(kind, item, msg, refresh) {
	const path = `/${kind}/${encodeURIComponent(item.name)}`;
	const act = (verb) => async () => {
		try {
			await post(`${path}/${verb}`);
			msg.ok(`${item.name}: ${verb === 'pause' ? 'paused' : 'resumed'}.`);
			await refresh();
		} catch (e) {
			msg.error(e);
		}
	};
	return item.paused
		? actionButton('trader', 'Resume', act('resume'), { 'aria-label': `Resume ${item.name}` })
		: actionButton('trader', 'Pause', act('pause'), { 'aria-label': `Pause ${item.name}` });
}

export default {
	id: 'farms',
	title: 'Farms & agents',
	async render(view, ctx) {
		const msg = notice();
		const farmsBox = h('div', { class: 'cards' }, 'Loading…');
		const agentsBox = h('div', {}, 'Loading…');
		view.append(msg, h('section', { 'aria-label': 'Farms' }, farmsBox), h('section', { class: 'card' }, h('h2', {}, 'Agents'), agentsBox));

		const refresh = async () => {
			const [{ farms }, { agents }, goalsRes] = await Promise.all([
				get('/farms', null, ctx.signal),
				get('/agents', null, ctx.signal),
				get('/goals', null, ctx.signal).catch(() => ({ goals: [] })),
			]);
			if (!ctx.alive) return;
			const goals = goalsRes.goals || [];
			const goalsFor = (scope, name) => goals.filter((g) => g.scope === scope && g.target === name);
			clear(
				farmsBox,
				farms.length
					? farms.map((f) =>
							h(
								'article',
								{ class: 'card farm', 'aria-labelledby': `farm-${f.name}` },
								h('h2', { id: `farm-${f.name}` }, f.name, ' ', badge(f.paused ? 'paused' : f.state || 'active')),
								h('p', { class: 'dim' }, `${f.coordination || 'independent'} · agents: ${(f.agents || []).join(', ') || 'none'}`),
								walletFacts(f.wallet),
								goalsFor('farm', f.name).map(goalProgress),
								h('div', { class: 'row' }, pauseButtons('farms', f, msg, refresh)),
							),
						)
					: h('p', {}, 'No farms configured.'),
			);
			clear(
				agentsBox,
				table(
					[
						{ label: 'Agent', get: (a) => a.name },
						{ label: 'Farm', get: (a) => a.farm || '—' },
						{ label: 'Plugin', get: (a) => a.plugin },
						{ label: 'State', get: (a) => h('span', {}, badge(a.state || 'active'), a.paused ? badge('paused') : null, a.running === false ? badge('stopped', 'halted') : null) },
						{ label: 'Allocated', num: true, get: (a) => fmtDec(a.wallet && a.wallet.allocated, { dp: 2 }) },
						{ label: 'Equity', num: true, get: (a) => fmtDec(a.wallet && a.wallet.equity, { dp: 2 }) },
						{ label: 'PnL', num: true, get: (a) => pnlCell(pnlOf(a.wallet)) },
						{ label: 'Goals', get: (a) => goalsFor('agent', a.name).map(goalProgress) },
						{ label: 'Actions', get: (a) => pauseButtons('agents', a, msg, refresh) },
					],
					agents,
					{ caption: 'Agents', empty: 'No agents.', rowAttrs: (a) => ({ 'data-agent': a.name, 'data-state': a.state || '' }) },
				),
			);
		};
		await loadInto(farmsBox, refresh);
		const soon = throttle(() => loadInto(farmsBox, refresh), 1000);
		ctx.live('goals', soon);
		ctx.every(3000, () => ctx.alive && loadInto(farmsBox, refresh));
	},
};
