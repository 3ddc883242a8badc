// Which ORDER states are still working at the venue. The contract lists the
// query filter (open/closed) but not every state name, so anything that is not
// known to be final counts as open: an unknown new state shows up on screen
// (a price line, a cancel button) instead of silently disappearing.
const FINAL = new Set(['filled', 'canceled', 'cancelled', 'rejected', 'expired', 'closed', 'failed', 'denied', 'done']);

export function isOpenOrder(o) {
	return !!o && !FINAL.has(String(o.state || '').toLowerCase());
}
