// Agent feed: a live AG-UI run rendered as it streams — decision cycles
// (STEP_*), the agents' explanations (TEXT_MESSAGE_*), their tool calls
// (orders, cancels, reallocations: TOOL_CALL_*) and the portfolio state
// (STATE_SNAPSHOT / STATE_DELTA).
import { follow, applyPatch } from '../agui.js';
import { h, fmtTime } from '../ui.js';

const MAX_ENTRIES = 300;

export default {
	id: 'feed',
	title: 'Agent feed',
	async render(view, ctx) {
		const status = h('span', { id: 'feed-status', 'data-state': 'connecting' }, 'connecting…');
		const counts = { steps: 0, messages: 0, tools: 0 };
		const countEls = {
			steps: h('strong', { id: 'feed-steps' }, '0'),
			messages: h('strong', { id: 'feed-messages' }, '0'),
			tools: h('strong', { id: 'feed-tools' }, '0'),
		};
		const log = h('ol', { class: 'feed', id: 'feed-log', role: 'log', 'aria-label': 'Agent activity', 'aria-live': 'off' });
		const stateBox = h('pre', { class: 'state', id: 'feed-state', tabindex: '0', 'aria-label': 'Portfolio state' }, 'No state yet.');
		// A toggle (aria-pressed) that keeps the list still while someone reads it.
		const pause = h('button', { type: 'button', 'aria-pressed': 'false' }, 'Hold the list');
		let paused = false;
		pause.addEventListener('click', () => {
			paused = !paused;
			pause.setAttribute('aria-pressed', String(paused));
		});
		view.append(
			h('p', { class: 'toolbar' }, 'Stream: ', status, ' · cycles ', countEls.steps, ' · explanations ', countEls.messages, ' · tool calls ', countEls.tools, ' ', pause),
			h('div', { class: 'grid-feed' }, h('section', { class: 'card' }, h('h2', {}, 'Activity'), log), h('section', { class: 'card' }, h('h2', {}, 'Portfolio state'), stateBox)),
		);

		const bump = (k) => (countEls[k].textContent = String(++counts[k]));
		const add = (kind, ...content) => {
			const li = h('li', { class: `entry ${kind}`, 'data-kind': kind }, h('time', {}, fmtTime(Date.now())), ...content);
			log.prepend(li);
			while (log.children.length > MAX_ENTRIES) log.lastChild.remove();
			if (!paused) log.scrollTop = 0;
			return li;
		};
		const messages = new Map(); // messageId -> text element
		const tools = new Map(); // toolCallId -> { args element, text }
		let state = {};
		const showState = () => {
			const text = JSON.stringify(state, null, 1);
			stateBox.textContent = text.length > 6000 ? `${text.slice(0, 6000)}\n…` : text;
		};

		const onEvent = (ev) => {
			switch (ev.type) {
				case 'RUN_STARTED':
					add('run', `Run ${ev.runId || ''} started`);
					break;
				case 'RUN_FINISHED':
					add('run', 'Run finished');
					break;
				case 'RUN_ERROR':
					add('error', `Run error: ${ev.message || ev.code || 'unknown'}`);
					break;
				case 'STEP_STARTED':
					bump('steps');
					add('step', h('strong', {}, 'Decision cycle '), ev.stepName || '');
					break;
				case 'STEP_FINISHED':
					break; // the start already marks the cycle; finishing adds nothing to read
				case 'TEXT_MESSAGE_START':
				case 'TEXT_MESSAGE_CHUNK':
				case 'TEXT_MESSAGE_CONTENT': {
					let el = messages.get(ev.messageId);
					if (!el) {
						bump('messages');
						el = h('span', { class: 'text' });
						messages.set(ev.messageId, el);
						add('message', h('strong', {}, ev.name || ev.role || 'agent', ': '), el);
						if (messages.size > MAX_ENTRIES) messages.delete(messages.keys().next().value);
					}
					if (ev.delta) el.textContent += ev.delta;
					break;
				}
				case 'TEXT_MESSAGE_END':
					messages.delete(ev.messageId);
					break;
				case 'TOOL_CALL_START':
				case 'TOOL_CALL_CHUNK': {
					if (tools.has(ev.toolCallId)) {
						if (ev.delta) tools.get(ev.toolCallId).el.textContent += ev.delta;
						break;
					}
					bump('tools');
					const el = h('code', { class: 'args' }, ev.delta || '');
					tools.set(ev.toolCallId, { el });
					add('tool', h('strong', {}, `Tool call ${ev.toolCallName || ''} `), el);
					if (tools.size > MAX_ENTRIES) tools.delete(tools.keys().next().value);
					break;
				}
				case 'TOOL_CALL_ARGS': {
					const t = tools.get(ev.toolCallId);
					if (t) t.el.textContent += ev.delta || '';
					break;
				}
				case 'TOOL_CALL_END':
					break;
				case 'TOOL_CALL_RESULT': {
					const t = tools.get(ev.toolCallId);
					if (t) t.el.after(h('span', { class: 'result' }, ` → ${ev.content}`));
					break;
				}
				case 'STATE_SNAPSHOT':
					state = ev.snapshot ?? {};
					showState();
					break;
				case 'STATE_DELTA':
					state = applyPatch(state, ev.delta);
					showState();
					break;
				default:
					break; // MESSAGES_SNAPSHOT, RAW, CUSTOM: not shown
			}
		};
		follow({
			signal: ctx.signal,
			onEvent: (ev) => ctx.alive && onEvent(ev),
			onStatus: (text, st) => {
				status.textContent = text;
				status.dataset.state = st;
			},
		});
	},
};
