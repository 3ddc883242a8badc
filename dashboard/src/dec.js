// Decimal strings ("65012.25", "-0.0150") as the API sends money, prices and
// quantities. Arithmetic is exact, in BigInt fixed point: a dashboard that adds
// two PnL figures must not show 0.30000000000000004. Only the charts turn a
// value into a JS number, and only to place a pixel.

const DEC_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Parse a decimal string into { units: BigInt, scale: digits after the point }. */
export function parseDec(s) {
	if (typeof s === 'number' && Number.isInteger(s)) s = String(s);
	if (typeof s !== 'string') throw new TypeError(`not a decimal string: ${JSON.stringify(s)}`);
	const m = DEC_RE.exec(s.trim());
	if (!m) throw new TypeError(`not a decimal string: ${JSON.stringify(s)}`);
	const frac = m[3] || '';
	let units = BigInt(m[2] + frac);
	if (m[1] === '-') units = -units;
	return { units, scale: frac.length };
}

export function isDec(s) {
	return typeof s === 'string' && DEC_RE.test(s.trim());
}

function rescale(d, scale) {
	return d.units * 10n ** BigInt(scale - d.scale);
}

function toStr(units, scale) {
	const neg = units < 0n;
	let digits = (neg ? -units : units).toString();
	if (scale > 0) {
		digits = digits.padStart(scale + 1, '0');
		digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
	}
	return (neg ? '-' : '') + digits;
}

/** a + b, exact, at the larger of the two scales. */
export function addDec(a, b) {
	const x = parseDec(a), y = parseDec(b);
	const scale = Math.max(x.scale, y.scale);
	return toStr(rescale(x, scale) + rescale(y, scale), scale);
}

/** a - b, exact. */
export function subDec(a, b) {
	const y = parseDec(b);
	return addDec(a, toStr(-y.units, y.scale));
}

/** -1, 0 or 1. */
export function cmpDec(a, b) {
	const x = parseDec(a), y = parseDec(b);
	const scale = Math.max(x.scale, y.scale);
	const d = rescale(x, scale) - rescale(y, scale);
	return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** Sign of a decimal string: -1, 0, 1 (0 for anything unparsable). */
export function signDec(s) {
	if (!isDec(s)) return 0;
	const { units } = parseDec(s);
	return units < 0n ? -1 : units > 0n ? 1 : 0;
}

/** Round half away from zero to `dp` digits after the point. */
export function roundDec(s, dp) {
	const d = parseDec(s);
	if (d.scale <= dp) return toStr(rescale(d, dp), dp);
	const div = 10n ** BigInt(d.scale - dp);
	const neg = d.units < 0n;
	const abs = neg ? -d.units : d.units;
	let q = abs / div;
	if ((abs % div) * 2n >= div) q += 1n;
	return toStr(neg ? -q : q, dp);
}

/**
 * Format for people: thousands separators, optional rounding and a leading "+"
 * for gains. Anything that is not a decimal string is shown as it is ("—" for
 * missing), so a contract change shows up on screen instead of throwing.
 */
export function fmtDec(s, { dp, plus = false } = {}) {
	if (s === undefined || s === null || s === '') return '—';
	if (!isDec(String(s))) return String(s);
	let t = dp === undefined ? String(s).trim().replace(/^\+/, '') : roundDec(String(s), dp);
	if (/^-0(\.0*)?$/.test(t)) t = t.slice(1);
	const neg = t.startsWith('-');
	if (neg) t = t.slice(1);
	const [int, frac] = t.split('.');
	const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	const sign = neg ? '-' : plus && !/^0(\.0*)?$/.test(t) ? '+' : '';
	return sign + grouped + (frac !== undefined ? `.${frac}` : '');
}

/** Integer basis points (1 bp = 0.01 %) as "12.34 %". */
export function fmtBps(bps) {
	if (!Number.isInteger(bps)) return '—';
	return `${fmtDec(toStr(BigInt(bps), 2))} %`;
}

/** Integer parts per million as "12.3 %" (goal and backtest progress). */
export function fmtPpm(ppm) {
	if (!Number.isInteger(ppm)) return '—';
	return `${fmtDec(roundDec(toStr(BigInt(ppm), 4), 1))} %`;
}

/** For charts only: a pixel position needs a number. */
export function decToNumber(s) {
	return isDec(String(s)) ? Number(s) : NaN;
}
