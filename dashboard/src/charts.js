// lightweight-charts, loaded on demand (it is most of the bundle) and themed
// once. Charts resize with their container.

let lib = null;
export async function charts() {
	if (!lib) lib = await import('lightweight-charts');
	return lib;
}

export async function makeChart(container, extra = {}) {
	const lc = await charts();
	const css = getComputedStyle(document.documentElement);
	const text = css.getPropertyValue('--fg-dim').trim() || '#9aa4b2';
	const grid = css.getPropertyValue('--line').trim() || '#2a313c';
	const chart = lc.createChart(container, {
		autoSize: true,
		layout: { background: { color: 'transparent' }, textColor: text, attributionLogo: false },
		grid: { vertLines: { color: grid }, horzLines: { color: grid } },
		timeScale: { timeVisible: true, secondsVisible: true, borderColor: grid },
		rightPriceScale: { borderColor: grid },
		localization: {
			timeFormatter: (t) => new Date(t * 1000).toLocaleTimeString([], { hour12: false }),
		},
		...extra,
	});
	return { lc, chart };
}

/** Chart time (seconds) from the API's unix milliseconds. */
export const toTime = (ms) => Math.floor(ms / 1000);

/**
 * Remove a chart when its page goes away. The library may still have a
 * resize or paint queued for the next animation frame; removing the chart
 * first made that frame throw "Object is disposed". So: stop auto-sizing,
 * then remove two frames later, after anything already queued has run.
 */
export function disposeChart(chart) {
	chart.applyOptions({ autoSize: false });
	requestAnimationFrame(() => requestAnimationFrame(() => chart.remove()));
}
