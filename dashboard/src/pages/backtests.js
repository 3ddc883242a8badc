// Backtests: start one with the running configuration, watch its progress
// (polled), and open its HTML report. The report route needs the bearer token,
// which a plain link or iframe cannot send, so it is fetched and shown from a
// blob: URL (sandboxed iframe, scripts off).
import { get, post, fetchText } from '../api.js';
import { fmtPpm } from '../dec.js';
import { h, clear, table, field, notice, fmtTime, badge, loadInto } from '../ui.js';
import { can } from '../session.js';

export default {
	id: 'backtests',
	title: 'Backtests',
	async render(view, ctx) {
		const msg = notice();
		const list = h('section', { class: 'card' }, 'Loading…');
		const reportBox = h('section', { class: 'card', id: 'report', hidden: true });
		let blobUrl = null;
		ctx.onCleanup(() => blobUrl && URL.revokeObjectURL(blobUrl));

		const openReport = async (bt) => {
			try {
				const html = await fetchText(`/backtests/${encodeURIComponent(bt.id)}/report.html`);
				if (blobUrl) URL.revokeObjectURL(blobUrl);
				blobUrl = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
				reportBox.hidden = false;
				clear(
					reportBox,
					h('h2', {}, `Report of backtest ${bt.id}`),
					h('p', {}, h('a', { href: blobUrl, target: '_blank', rel: 'noopener' }, 'Open in a new tab'), ' · ', h('a', { href: `/api/v1/backtests/${encodeURIComponent(bt.id)}/report`, download: `backtest-${bt.id}.json`, onclick: downloadJson(bt) }, 'report.json')),
					h('iframe', { id: 'report-frame', srcdoc: html, title: `Backtest ${bt.id} report`, sandbox: '' }),
				);
				reportBox.scrollIntoView({ block: 'start' });
			} catch (e) {
				msg.error(e);
			}
		};
		// The JSON report also needs the token: fetch it and save it through a blob.
		const downloadJson = (bt) => async (e) => {
			e.preventDefault();
			try {
				const r = await get(`/backtests/${encodeURIComponent(bt.id)}/report`);
				const url = URL.createObjectURL(new Blob([JSON.stringify(r, null, 2)], { type: 'application/json' }));
				const a = h('a', { href: url, download: `backtest-${bt.id}.json` });
				a.click();
				setTimeout(() => URL.revokeObjectURL(url), 10000);
			} catch (err) {
				msg.error(err);
			}
		};

		let running = false;
		const refresh = async () => {
			const { backtests } = await get('/backtests', null, ctx.signal);
			if (!ctx.alive) return;
			const rows = (backtests || []).slice().sort((a, b) => (b.started_ms || 0) - (a.started_ms || 0));
			running = rows.some((b) => b.state === 'running');
			clear(
				list,
				h('h2', {}, 'Backtests'),
				table(
					[
						{ label: 'Id', get: (b) => String(b.id) },
						{ label: 'State', get: (b) => h('span', {}, badge(b.state), b.error ? ` ${b.error}` : '') },
						{
							label: 'Progress',
							get: (b) =>
								h('span', { class: 'progress' }, h('progress', { max: '1000000', value: String(Math.max(0, Math.min(1000000, b.progress_ppm | 0))), 'aria-label': `Backtest ${b.id} progress` }), ` ${fmtPpm(b.progress_ppm)}`),
						},
						{ label: 'Bars', num: true, get: (b) => String(b.bars ?? '—') },
						{ label: 'Started', get: (b) => fmtTime(b.started_ms) },
						{ label: 'Finished', get: (b) => fmtTime(b.finished_ms) },
						{ label: '', get: (b) => (b.state === 'done' ? h('button', { type: 'button', onclick: () => openReport(b), 'aria-label': `Open the report of backtest ${b.id}` }, 'Report') : null) },
					],
					rows,
					{ caption: 'Backtests', empty: 'No backtests yet.', rowAttrs: (b) => ({ 'data-backtest': b.id, 'data-state': b.state }) },
				),
			);
		};

		if (can('trader')) {
			const bars = h('input', { name: 'bars', type: 'number', min: '10', step: '1', value: '500', required: true });
			const form = h('form', { class: 'card toolbar', id: 'backtest-form', 'aria-labelledby': 'bt-title' }, h('h2', { id: 'bt-title' }, 'New backtest'), field('Bars', bars), h('button', { type: 'submit', class: 'primary', 'data-mutates': '' }, 'Start backtest'));
			form.addEventListener('submit', async (e) => {
				e.preventDefault();
				const n = Number(bars.value);
				if (!Number.isInteger(n) || n < 10) return msg.error(`Bars must be a whole number of at least 10, not "${bars.value}".`);
				try {
					const bt = await post('/backtests', { bars: n });
					msg.ok(`Backtest ${bt.id} started.`);
					await refresh();
				} catch (err) {
					msg.error(err);
				}
			});
			view.append(form);
		}
		view.append(msg, list, reportBox);
		await loadInto(list, refresh);
		// Poll fast while a backtest runs, slowly otherwise.
		let ticks = 0;
		ctx.every(1000, () => {
			ticks++;
			if (running || ticks % 5 === 0) loadInto(list, refresh);
		});
	},
};
