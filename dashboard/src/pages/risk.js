// Risk: the kill switch (with a confirmation dialog) and resume, trading states
// (and a form to set one), breakers, VaR/ES, limits and the pipeline's
// decision counts. VaR, limits and breakers are shown generically as
// key/value tables: their fields belong to the risk plugins, not the contract.
import { get, post } from '../api.js';
import { fmtDec, isDec } from '../dec.js';
import { h, clear, table, field, select, notice, actionButton, confirmDialog, badge, loadInto, throttle } from '../ui.js';
import { can } from '../session.js';

function show(v) {
	if (v === null || v === undefined) return '—';
	if (typeof v === 'string') return isDec(v) ? fmtDec(v) : v;
	if (typeof v === 'number' || typeof v === 'boolean') return String(v);
	if (Array.isArray(v)) return v.map(show).join(', ');
	return h('dl', { class: 'facts nested' }, Object.entries(v).flatMap(([k, x]) => [h('dt', {}, k), h('dd', {}, show(x))]));
}

function kv(obj, caption) {
	const entries = Object.entries(obj || {});
	return table(
		[
			{ label: 'Name', get: ([k]) => k },
			{ label: 'Value', get: ([, v]) => show(v) },
		],
		entries,
		{ caption, empty: 'None reported.' },
	);
}

function breakerRows(breakers) {
	if (!Array.isArray(breakers) || !breakers.length) return h('p', { class: 'dim' }, 'No breakers reported.');
	const keys = [...new Set(breakers.flatMap((b) => (b && typeof b === 'object' ? Object.keys(b) : [])))];
	return table(
		keys.map((k) => ({ label: k, get: (b) => (k === 'state' || k === 'tripped' ? badge(String(b[k])) : show(b[k])) })),
		breakers,
		{ caption: 'Breakers' },
	);
}

function stateForm(msg, refresh) {
	const f = {
		scope: select('scope', ['host', 'farm', 'agent', 'instrument']),
		name: h('input', { name: 'name', autocomplete: 'off', placeholder: 'e.g. momentum' }),
		state: select('state', ['active', 'reducing', 'halted']),
		reason: h('input', { name: 'reason', autocomplete: 'off', placeholder: 'why' }),
	};
	const form = h(
		'form',
		{ class: 'card form-grid', 'aria-labelledby': 'state-form-title' },
		h('h2', { id: 'state-form-title' }, 'Set a trading state'),
		field('Scope', f.scope),
		field('Name', f.name),
		field('State', f.state),
		field('Reason', f.reason),
		h('div', { class: 'row' }, h('button', { type: 'submit', 'data-mutates': '' }, 'Set state')),
	);
	form.addEventListener('submit', async (e) => {
		e.preventDefault();
		const body = { scope: f.scope.value, name: f.name.value.trim(), state: f.state.value, reason: f.reason.value.trim() || 'set from the dashboard' };
		if (body.scope !== 'host' && !body.name) return msg.error(`A ${body.scope} state needs the ${body.scope}'s name.`);
		try {
			await post('/risk/state', body);
			msg.ok(`${body.scope} ${body.name || ''} is now ${body.state}.`);
			await refresh();
		} catch (err) {
			msg.error(err);
		}
	});
	return form;
}

export default {
	id: 'risk',
	title: 'Risk',
	async render(view, ctx) {
		const msg = notice();
		const head = h('section', { class: 'card', id: 'kill-panel' }, 'Loading…');
		const statesBox = h('div');
		const breakersBox = h('div');
		const varBox = h('div');
		const limitsBox = h('div');
		const decisionsBox = h('div');
		view.append(
			msg,
			head,
			h('div', { class: 'grid2' }, h('section', { class: 'card' }, h('h2', {}, 'Trading states'), statesBox), h('section', { class: 'card' }, h('h2', {}, 'Breakers'), breakersBox)),
			h('div', { class: 'grid2' }, h('section', { class: 'card' }, h('h2', {}, 'VaR / ES'), varBox), h('section', { class: 'card' }, h('h2', {}, 'Limits'), limitsBox)),
			h('section', { class: 'card' }, h('h2', {}, 'Pipeline decisions'), decisionsBox),
			can('admin') ? stateForm(msg, () => refresh()) : null,
		);

		const kill = async () => {
			const reasonInput = h('input', { name: 'reason', required: true, value: 'manual kill from the dashboard', autocomplete: 'off' });
			const ok = await confirmDialog({
				title: 'Trip the kill switch?',
				text: 'Every farm and agent is halted and every open order is canceled at once. Trading stays halted until someone resumes it.',
				confirmLabel: 'Kill all trading',
				danger: true,
				fields: [field('Reason', reasonInput)],
			});
			if (!ok) return;
			try {
				const r = await post('/risk/kill', { reason: ok.reason || 'manual kill from the dashboard' });
				msg.ok(`Kill switch tripped: ${r.canceled ?? 0} open order(s) canceled.`);
			} catch (e) {
				msg.error(e);
			}
			await refresh();
		};
		const resume = async () => {
			const ok = await confirmDialog({ title: 'Resume trading?', text: 'Re-arms the kill switch: the host trading state goes back to active.', confirmLabel: 'Resume trading' });
			if (!ok) return;
			try {
				await post('/risk/resume');
				msg.ok('Trading resumed.');
			} catch (e) {
				msg.error(e);
			}
			await refresh();
		};

		const refresh = async () => {
			const r = await get('/risk', null, ctx.signal);
			if (!ctx.alive) return;
			clear(
				head,
				h('h2', {}, 'Kill switch'),
				h('p', { id: 'kill-state', 'data-killed': String(!!r.killed) }, r.killed ? badge('KILLED — all trading halted', 'halted') : badge('armed — trading allowed', 'active')),
				h(
					'div',
					{ class: 'row' },
					r.killed ? actionButton('admin', 'Resume trading', resume, { id: 'resume-btn' }) : actionButton('admin', 'Kill switch…', kill, { id: 'kill-btn', class: 'danger' }),
				),
			);
			clear(
				statesBox,
				table(
					[
						{ label: 'Scope', get: (s) => s.scope },
						{ label: 'Name', get: (s) => s.name },
						{ label: 'State', get: (s) => badge(s.state) },
					],
					r.states || [],
					{ caption: 'Trading states', empty: 'Everything active.' },
				),
			);
			clear(breakersBox, breakerRows(r.breakers));
			clear(varBox, kv(r.var, 'VaR and expected shortfall'));
			clear(limitsBox, kv(r.limits, 'Limits'));
			const d = r.decisions || {};
			clear(
				decisionsBox,
				h('p', {}, `Approved ${d.approved ?? '—'} · denied ${d.denied ?? '—'}`),
				kv(d.by_reason, 'Denials by reason'),
			);
		};
		await loadInto(head, refresh);
		const soon = throttle(() => ctx.alive && loadInto(head, refresh), 1000);
		ctx.live('risk', (ev) => {
			if (!ev || ev.kind !== 'decision') soon();
		});
		ctx.every(5000, () => loadInto(head, refresh));
	},
};
