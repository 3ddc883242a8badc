// The live stream: one WebSocket to /api/v1/ws for the whole app. Pages ask
// for topics with live.on(topic, fn); the socket subscribes to the union and
// re-subscribes after every reconnect. Reconnects back off exponentially (with
// jitter, so many dashboards do not reconnect in lockstep after a host restart)
// and the header's indicator shows the state.

import { session } from './session.js';

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 15000;
const PING_MS = 15000;

class Live {
	constructor() {
		this.ws = null;
		this.handlers = new Map(); // topic -> Set<fn>
		this.state = 'offline'; // offline | connecting | live
		this.stateListeners = new Set();
		this.delay = MIN_DELAY_MS;
		this.timer = null;
		this.pinger = null;
		this.wanted = false;
		this.attempts = 0;
	}

	onState(fn) {
		this.stateListeners.add(fn);
		fn(this.state, this.attempts);
		return () => this.stateListeners.delete(fn);
	}

	setState(s) {
		this.state = s;
		for (const fn of this.stateListeners) fn(s, this.attempts);
	}

	start() {
		this.wanted = true;
		if (!this.ws) this.connect();
	}

	stop() {
		this.wanted = false;
		clearTimeout(this.timer);
		clearInterval(this.pinger);
		if (this.ws) {
			const ws = this.ws;
			this.ws = null;
			ws.onclose = null;
			ws.close(1000, 'logout');
		}
		this.setState('offline');
	}

	/** Reconnect now (the indicator's button), without waiting out the backoff. */
	retry() {
		if (this.state === 'live') return;
		clearTimeout(this.timer);
		this.delay = MIN_DELAY_MS;
		if (!this.ws) this.connect();
	}

	connect() {
		if (!session.token) return;
		const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
		const url = `${proto}//${location.host}/api/v1/ws?access_token=${encodeURIComponent(session.token)}`;
		this.setState('connecting');
		let ws;
		try {
			ws = new WebSocket(url);
		} catch {
			this.scheduleReconnect();
			return;
		}
		this.ws = ws;
		ws.onopen = () => {
			this.delay = MIN_DELAY_MS;
			this.attempts = 0;
			this.setState('live');
			const topics = [...this.handlers.keys()];
			if (topics.length) this.send({ op: 'subscribe', topics });
			clearInterval(this.pinger);
			this.pinger = setInterval(() => this.send({ op: 'ping' }), PING_MS);
		};
		ws.onmessage = (ev) => this.dispatch(ev.data);
		ws.onclose = () => {
			clearInterval(this.pinger);
			if (this.ws === ws) this.ws = null;
			this.scheduleReconnect();
		};
		ws.onerror = () => {
			/* onclose follows and reconnects */
		};
	}

	scheduleReconnect() {
		if (!this.wanted) return this.setState('offline');
		this.attempts++;
		this.setState('offline');
		const jitter = 0.5 + Math.random() * 0.5;
		const wait = Math.round(this.delay * jitter);
		this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
		clearTimeout(this.timer);
		this.timer = setTimeout(() => this.connect(), wait);
	}

	send(obj) {
		if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(obj));
	}

	dispatch(text) {
		let msg;
		try {
			msg = JSON.parse(text);
		} catch {
			return;
		}
		if (!msg || typeof msg.topic !== 'string') return; // subscribed / pong / error acks
		const base = msg.topic.split(':')[0];
		for (const key of [msg.topic, base === msg.topic ? null : base]) {
			if (!key) continue;
			const set = this.handlers.get(key);
			if (set) for (const fn of set) fn(msg.data, msg.topic);
		}
	}

	/** Subscribe fn to a topic ("equity", "market:BTC-USDT"); returns the unsubscribe function. */
	on(topic, fn) {
		let set = this.handlers.get(topic);
		if (!set) {
			set = new Set();
			this.handlers.set(topic, set);
			this.send({ op: 'subscribe', topics: [topic] });
		}
		set.add(fn);
		return () => {
			set.delete(fn);
			if (!set.size) {
				this.handlers.delete(topic);
				this.send({ op: 'unsubscribe', topics: [topic] });
			}
		};
	}
}

export const live = new Live();
