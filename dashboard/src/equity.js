// The host's total equity over time, collected from the `equity` topic for as
// long as the app is open (the API has no history route), so the overview's
// line does not start empty each time the page is opened.
import { live } from './live.js';
import { totals } from './wallet.js';

const MAX_POINTS = 3600; // one hour of one-second updates

export const equityHistory = {
	points: [], // { ts_ms, totals }
	stopFn: null,
	start() {
		if (this.stopFn) return;
		this.stopFn = live.on('equity', (data) => {
			if (!data || !data.total || !Number.isFinite(data.ts_ms)) return;
			const last = this.points[this.points.length - 1];
			if (last && data.ts_ms <= last.ts_ms) return;
			this.points.push({ ts_ms: data.ts_ms, totals: totals(data.total) });
			if (this.points.length > MAX_POINTS) this.points.splice(0, this.points.length - MAX_POINTS);
		});
	},
	stop() {
		if (this.stopFn) this.stopFn();
		this.stopFn = null;
		this.points = [];
	},
};
