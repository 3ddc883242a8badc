// The login: a bearer token kept in sessionStorage (gone when the tab closes)
// and the role the host reports for it. The role is not in the token, so it is
// asked for (GET /me) and every state-changing control checks can().

const KEY = 'tradehost.token';
const ROLES = ['viewer', 'trader', 'admin'];

export const session = {
	token: null,
	name: '',
	role: 'viewer', // until the host says otherwise, show nothing that changes state

	load() {
		try {
			this.token = sessionStorage.getItem(KEY);
		} catch {
			this.token = null;
		}
		return this.token;
	},
	save(token) {
		this.token = token;
		try {
			sessionStorage.setItem(KEY, token);
		} catch {
			/* private mode without storage: the token lives in memory for this page */
		}
	},
	clear() {
		this.token = null;
		this.name = '';
		this.role = 'viewer';
		try {
			sessionStorage.removeItem(KEY);
		} catch {
			/* nothing stored */
		}
	},
};

/** Does the current login have at least `role`? */
export function can(role) {
	return ROLES.indexOf(session.role) >= ROLES.indexOf(role);
}

/**
 * "#token=th_..." from the login URL the host prints. Returns the token (and
 * the URL fragment is cleared by the caller so it is not left in history).
 */
export function tokenFromFragment(hash) {
	const m = /^#token=([A-Za-z0-9_\-.~%]+)/.exec(hash || '');
	return m ? decodeURIComponent(m[1]) : null;
}

export function isRole(r) {
	return ROLES.includes(r);
}
