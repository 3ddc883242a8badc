// Login: paste the token the host printed (or open the printed URL, whose
// #token= fragment logs in without this form).
import { h, clear, notice } from '../ui.js';

export function renderLogin(view, { onLogin }) {
	const msg = notice();
	const input = h('input', {
		id: 'token',
		name: 'token',
		type: 'password',
		autocomplete: 'current-password',
		required: true,
		spellcheck: 'false',
		placeholder: 'th_…',
	});
	const form = h(
		'form',
		{ class: 'login card', 'aria-labelledby': 'login-title' },
		h('h1', { id: 'login-title' }, 'Log in to tradehost'),
		h('p', {}, 'Use the URL the host printed on its first start (it carries the token), or paste an access token.'),
		h('div', { class: 'field' }, h('label', { for: 'token' }, 'Access token'), input),
		h('button', { type: 'submit', class: 'primary' }, 'Log in'),
		msg,
	);
	form.addEventListener('submit', async (e) => {
		e.preventDefault();
		msg.clear();
		const token = input.value.trim();
		if (!/^th_[A-Za-z0-9_-]{10,}$/.test(token)) {
			msg.error('That is not a tradehost token: it starts with "th_".');
			return;
		}
		try {
			await onLogin(token);
		} catch (err) {
			msg.error(err.status === 401 ? 'The host did not accept this token.' : err);
		}
	});
	form.addEventListener('login-error', (e) => {
		const err = e.detail;
		msg.error(err && err.status === 401 ? 'The saved token is no longer accepted; log in again.' : err);
	});
	clear(view, form);
	input.focus();
}
