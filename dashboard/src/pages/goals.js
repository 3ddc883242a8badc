// Goals: every goal with its progress bar, live from the `goals` topic; traders
// create and delete them.
import { get, post, del } from '../api.js';
import { fmtDec, fmtPpm, isDec } from '../dec.js';
import { h, clear, table, field, select, notice, actionButton, fmtTime, badge, loadInto } from '../ui.js';
import { can } from '../session.js';

const KINDS = [
	{ value: 'profit', label: 'profit (quote amount)' },
	{ value: 'return', label: 'return (percent, 5 = 5 %)' },
	{ value: 'trades', label: 'trades (count)' },
	{ value: 'win_rate', label: 'win rate (percent)' },
	{ value: 'drawdown', label: 'drawdown ceiling (percent)' },
];

function createForm(targets, msg, refresh) {
	const f = {
		scope: select('scope', ['agent', 'farm', 'host']),
		target: select('target', []),
		kind: select('kind', KINDS),
		value: h('input', { name: 'value', inputmode: 'decimal', required: true, placeholder: '500', autocomplete: 'off' }),
		deadline: h('input', { name: 'deadline', type: 'datetime-local' }),
		// What the host does when the goal is hit (a drawdown goal: when its ceiling is breached).
		action: select('action', [
			{ value: 'none', label: 'nothing (record it)' },
			{ value: 'pause', label: 'pause the target' },
			{ value: 'collect', label: 'collect the profit' },
		]),
	};
	const fillTargets = () => {
		const names = f.scope.value === 'host' ? ['host'] : targets[f.scope.value] || [];
		clear(f.target, names.map((n) => h('option', { value: n }, n)));
	};
	f.scope.addEventListener('change', fillTargets);
	fillTargets();
	const form = h(
		'form',
		{ class: 'card form-grid', id: 'goal-form', 'aria-labelledby': 'goal-form-title' },
		h('h2', { id: 'goal-form-title' }, 'New goal'),
		field('Scope', f.scope),
		field('Target', f.target),
		field('Kind', f.kind),
		field('Value', f.value),
		field('Deadline (optional)', f.deadline),
		field('When hit', f.action),
		h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', 'data-mutates': '' }, 'Create goal')),
	);
	form.addEventListener('submit', async (e) => {
		e.preventDefault();
		const value = f.value.value.trim();
		if (!isDec(value) || value.startsWith('-') || /^0*(\.0*)?$/.test(value)) return msg.error(`Value must be a positive decimal like 500 or 5, not "${value}".`);
		const body = { scope: f.scope.value, kind: f.kind.value, value, action: f.action.value };
		if (body.scope !== 'host') body.target = f.target.value;
		if (f.deadline.value) {
			body.deadline_ms = new Date(f.deadline.value).getTime();
			if (!Number.isFinite(body.deadline_ms) || body.deadline_ms <= Date.now()) return msg.error('The deadline must be in the future (or empty for none).');
		}
		try {
			const g = await post('/goals', body);
			msg.ok(`Goal ${g.id} created.`);
			await refresh();
		} catch (err) {
			msg.error(err);
		}
	});
	return form;
}

export default {
	id: 'goals',
	title: 'Goals',
	async render(view, ctx) {
		const msg = notice();
		const list = h('section', { class: 'card' }, 'Loading…');
		view.append(msg, list);
		const goals = new Map();
		const draw = () =>
			clear(
				list,
				h('h2', {}, 'Goals'),
				table(
					[
						{ label: 'Id', get: (g) => String(g.id) },
						{ label: 'Scope', get: (g) => `${g.scope} ${g.scope === 'host' ? '' : g.target}` },
						{ label: 'Goal', get: (g) => `${g.kind} ${fmtDec(g.value)}` },
						{ label: 'Deadline', get: (g) => fmtTime(g.deadline_ms) },
						{ label: 'When hit', get: (g) => g.action },
						{ label: 'State', get: (g) => badge(g.state) },
						{
							label: 'Progress',
							get: (g) =>
								h(
									'span',
									{ class: 'progress' },
									h('progress', { max: '1000000', value: String(Math.max(0, Math.min(1000000, g.progress_ppm | 0))), 'aria-label': `Goal ${g.id} progress` }),
									` ${fmtPpm(g.progress_ppm)}`,
								),
						},
						{
							label: '',
							get: (g) =>
								actionButton(
									'trader',
									'Delete',
									async () => {
										try {
											await del(`/goals/${encodeURIComponent(g.id)}`);
											goals.delete(String(g.id));
											draw();
											msg.ok(`Goal ${g.id} deleted.`);
										} catch (e) {
											msg.error(e);
										}
									},
									{ 'aria-label': `Delete goal ${g.id}` },
								),
						},
					],
					[...goals.values()],
					{ caption: 'Goals', empty: 'No goals yet.' },
				),
			);
		const refresh = async () => {
			const r = await get('/goals', null, ctx.signal);
			goals.clear();
			for (const g of r.goals || []) goals.set(String(g.id), g);
			draw();
		};
		await loadInto(list, refresh);
		ctx.live('goals', (g) => {
			if (!g || g.id === undefined) return;
			goals.set(String(g.id), g);
			draw();
		});
		if (can('trader')) {
			const [{ agents }, { farms }] = await Promise.all([get('/agents', null, ctx.signal), get('/farms', null, ctx.signal)]);
			view.append(createForm({ agent: agents.map((a) => a.name), farm: farms.map((f) => f.name) }, msg, refresh));
		}
	},
};
