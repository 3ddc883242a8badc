// Incremental parser for a text/event-stream body (the AG-UI transport).
// Bytes arrive in arbitrary chunks; an event ends at a blank line and its
// payload is the `data:` lines joined with "\n" (the SSE specification), so a
// JSON object split across two network reads still parses as one event.

export class SseParser {
	constructor(onEvent) {
		this.onEvent = onEvent; // ({ event, data, id }) for every complete event
		this.buf = '';
		this.data = [];
		this.event = '';
		this.id = '';
	}

	/** Feed decoded text (use TextDecoder with {stream:true} for the bytes). */
	push(text) {
		this.buf += text;
		for (;;) {
			const nl = this.buf.search(/\r\n|\r|\n/);
			if (nl < 0) break;
			// "\r" at the very end might be the first half of "\r\n": wait for more.
			if (this.buf[nl] === '\r' && nl === this.buf.length - 1) break;
			const line = this.buf.slice(0, nl);
			const skip = this.buf.startsWith('\r\n', nl) ? 2 : 1;
			this.buf = this.buf.slice(nl + skip);
			this.line(line);
		}
	}

	/** The stream ended: a final event without its blank line is dropped, as in browsers. */
	end() {
		this.buf = '';
		this.data = [];
		this.event = '';
	}

	line(line) {
		if (line === '') {
			if (this.data.length) this.onEvent({ event: this.event || 'message', data: this.data.join('\n'), id: this.id });
			this.data = [];
			this.event = '';
			return;
		}
		if (line.startsWith(':')) return; // comment / keep-alive
		const colon = line.indexOf(':');
		const field = colon < 0 ? line : line.slice(0, colon);
		let value = colon < 0 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) value = value.slice(1);
		if (field === 'data') this.data.push(value);
		else if (field === 'event') this.event = value;
		else if (field === 'id') this.id = value;
	}
}
