// Small DOM helpers: element construction without a framework, tables,
// forms with labelled fields, a confirmation dialog and status messages.

import { can } from './session.js';

/**
 * h('button', { class: 'x', onclick: fn, 'aria-label': '...' }, 'text', child...)
 * Attributes starting with "on" become listeners; false/null attributes are skipped.
 */
export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === false || v === null || v === undefined) continue;
		if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
		else if (k === 'class') el.className = v;
		else if (k === 'dataset') Object.assign(el.dataset, v);
		else if (k === 'value') el.value = v;
		else if (v === true) el.setAttribute(k, '');
		else el.setAttribute(k, String(v));
	}
	append(el, children);
	return el;
}

function append(el, children) {
	for (const c of children.flat(Infinity)) {
		if (c === null || c === undefined || c === false) continue;
		el.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
}

// Re-rendering a section must not throw the keyboard user's focus away: the
// focused control is found again by its id, aria-label or name.
function focusKey(el) {
	if (el.id) return `#${CSS.escape(el.id)}`;
	const label = el.getAttribute('aria-label');
	if (label) return `[aria-label="${CSS.escape(label)}"]`;
	const name = el.getAttribute('name');
	return name ? `${el.tagName.toLowerCase()}[name="${CSS.escape(name)}"]` : null;
}

export function clear(el, ...children) {
	const active = document.activeElement;
	const key = active && active !== el && el.contains(active) ? focusKey(active) : null;
	el.replaceChildren();
	append(el, children);
	if (key) {
		const again = el.querySelector(key);
		if (again) again.focus();
	}
	return el;
}

/**
 * A button that changes state on the host. Only rendered for `role` and above
 * (viewers never see it); marked data-mutates so tests can prove that.
 */
export function actionButton(role, label, onclick, attrs = {}) {
	if (!can(role)) return null;
	const btn = h('button', { type: 'button', 'data-mutates': '', ...attrs }, label);
	btn.addEventListener('click', async (ev) => {
		btn.disabled = true;
		try {
			await onclick(ev);
		} finally {
			btn.disabled = false;
		}
	});
	return btn;
}

/** A labelled field; `input` is an element or a spec { type, name, options, ... }. */
export function field(label, input) {
	const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
	input.id = id;
	return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

export function select(name, options, attrs = {}) {
	return h(
		'select',
		{ name, ...attrs },
		options.map((o) => (typeof o === 'string' ? h('option', { value: o }, o || '(any)') : h('option', { value: o.value }, o.label))),
	);
}

/**
 * A table. columns: [{ label, get(row) → text|Node, num?: true }]. An empty
 * list shows `empty` in one row so "no data" and "not loaded" differ.
 */
export function table(columns, rows, { empty = 'Nothing yet.', caption, rowAttrs } = {}) {
	return h(
		'div',
		{ class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption || 'table' },
		h(
			'table',
			{},
			caption ? h('caption', { class: 'sr-only' }, caption) : null,
			h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : '' }, c.label)))),
			h(
				'tbody',
				{},
				rows.length
					? rows.map((r) => h('tr', rowAttrs ? rowAttrs(r) : {}, columns.map((c) => h('td', { class: c.num ? 'num' : '', 'data-label': c.label }, c.get(r)))))
					: h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, empty)),
			),
		),
	);
}

/** A message area for a form or page: ok / error, read out by screen readers. */
export function notice() {
	const el = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite' });
	el.ok = (text) => {
		el.className = 'notice ok';
		el.textContent = text;
	};
	el.error = (e) => {
		el.className = 'notice error';
		el.textContent = e && e.message ? e.message : String(e);
	};
	el.clear = () => {
		el.className = 'notice';
		el.textContent = '';
	};
	return el;
}

/**
 * Modal confirmation (a <dialog>: focus is trapped, Escape cancels). Resolves
 * with the values of its fields when confirmed, or null.
 */
export function confirmDialog({ title, text, confirmLabel = 'Confirm', danger = false, fields = [] }) {
	return new Promise((resolve) => {
		const form = h(
			'form',
			{ method: 'dialog' },
			h('h2', { id: 'dlg-title' }, title),
			h('p', {}, text),
			fields,
			h(
				'div',
				{ class: 'row' },
				h('button', { type: 'submit', value: 'cancel', formnovalidate: true }, 'Cancel'),
				h('button', { type: 'submit', value: 'ok', class: danger ? 'danger' : 'primary', 'data-confirm': '' }, confirmLabel),
			),
		);
		const dlg = h('dialog', { 'aria-labelledby': 'dlg-title', class: 'confirm' }, form);
		dlg.addEventListener('close', () => {
			const values = Object.fromEntries(new FormData(form).entries());
			dlg.remove();
			resolve(dlg.returnValue === 'ok' ? values : null);
		});
		document.body.append(dlg);
		dlg.showModal();
	});
}

export function fmtTime(ms) {
	if (!Number.isFinite(ms) || ms <= 0) return '—';
	const d = new Date(ms);
	const today = new Date();
	const time = d.toLocaleTimeString([], { hour12: false });
	return d.toDateString() === today.toDateString() ? time : `${d.toLocaleDateString()} ${time}`;
}

export function badge(text, kind = '') {
	return h('span', { class: `badge ${kind || String(text).toLowerCase()}` }, String(text));
}

/** Run fn at most once per `ms` (live topics can fire many times a second). */
export function throttle(fn, ms) {
	let timer = null, pending = false;
	return () => {
		if (timer) {
			pending = true;
			return;
		}
		fn();
		timer = setTimeout(function tick() {
			if (pending) {
				pending = false;
				fn();
				timer = setTimeout(tick, ms);
			} else timer = null;
		}, ms);
	};
}

/**
 * Fill one section of a page: runs fn() and, if it fails, shows the error in
 * that section only, so one missing endpoint does not blank the whole page.
 */
export async function loadInto(el, fn) {
	try {
		await fn();
	} catch (e) {
		if (e.name === 'AbortError') return;
		clear(el, h('p', { class: 'notice error', role: 'alert' }, e.message || String(e)));
	}
}
