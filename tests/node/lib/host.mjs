// The one launcher every node test uses to start a real paper host:
// `tradehost run -c <config> --set host.state_dir=<dir> --set http.listen=127.0.0.1:<free port>`.
// The admin token and the URL come from the line the host prints once on stderr,
// "tradehost: dashboard: http://127.0.0.1:PORT/#token=th_...". A library, not a test:
// tests/node/<area>/*.test.mjs import it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

const LOGIN_RE = /tradehost: dashboard: (https?:\/\/[^\s#]+?)\/?#token=(th_[A-Za-z0-9_-]+)/;
// a restart on a kept state dir prints no new token (the old one still holds)
const RESTART_RE = /tradehost: dashboard: (https?:\/\/[^\s#]+?)\/? \(log in with a token/;
const SANITIZER_RE = /(ERROR: (Address|Leak)Sanitizer|runtime error:)[\s\S]{0,4000}/;
// stderr kept in memory: the head (startup lines tests match on) and the tail (where
// sanitizer reports land), so a chatty host cannot grow the test process without bound
const KEEP_HEAD = 1 << 20;
const KEEP_TAIL = 1 << 20;
const STOP_GRACE_MS = 20000;

export function requireEnv(name) {
	const v = process.env[name];
	if (!v) throw new Error(`${name} is not set (run this test through ctest, e.g. ctest -R node.)`);
	return v;
}

/** A port the kernel just handed out on 127.0.0.1 (tests run in parallel: never a fixed one). */
export function freePort() {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

/**
 * Starts a paper host and waits for its login line.
 * opts: exe (the tradehost binary), repo (the repository root),
 *   extraArgs (more `run` arguments), configFile (instead of config/tradehost.toml),
 *   stateDir (a state dir the caller owns: kept after stop, e.g. to restart on it; a
 *   restart prints no token, so `token` is then undefined), logFile (stdout and stderr
 *   copied there), startupMs (how long to wait for the login line).
 * Returns { base, url (= base), token, startedAt, stateDir, config, child, stderr(),
 *   stop() -> { code, signal, sanitizer } }.
 */
export async function startHost(opts) {
	// Another process may take the port between freePort() and the host's bind: try again then.
	for (let attempt = 1; ; attempt++) {
		try {
			return await startOnce(opts, await freePort());
		} catch (e) {
			if (attempt >= 3 || !/cannot bind|in use/i.test(e.message)) throw e;
		}
	}
}

async function startOnce({ exe, repo, extraArgs = [], configFile, stateDir: keptStateDir, logFile, startupMs = 30000 }, port) {
	if (!exe || !repo) throw new Error('startHost needs exe (the tradehost binary) and repo (the repository root)');
	const stateDir = keptStateDir ?? mkdtempSync(join(tmpdir(), 'th-host-'));
	const removeStateDir = () => { if (!keptStateDir) rmSync(stateDir, { recursive: true, force: true }); };
	const config = configFile ?? join(repo, 'config', 'tradehost.toml');
	const args = ['run', '-c', config, '--set', `host.state_dir=${stateDir}`, '--set', `http.listen=127.0.0.1:${port}`,
		...extraArgs];
	const log = logFile ? createWriteStream(logFile) : null;
	const child = spawn(exe, args, { stdio: ['ignore', log ? 'pipe' : 'ignore', 'pipe'] });
	const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
	let head = '';
	let tail = '';
	let dropped = 0;
	const stderr = () => (dropped ? `${head}\n[... ${dropped} bytes of stderr not kept ...]\n${tail}` : head + tail);
	child.stderr.on('data', (b) => {
		const s = b.toString();
		log?.write(s);
		if (head.length < KEEP_HEAD) head += s;
		else {
			tail += s;
			if (tail.length > 2 * KEEP_TAIL) {
				dropped += tail.length - KEEP_TAIL;
				tail = tail.slice(-KEEP_TAIL);
			}
		}
	});
	child.stdout?.on('data', (b) => log?.write(b));

	let found;
	try {
		found = await new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`the host printed no login line within ${startupMs} ms; stderr:\n${stderr().slice(-3000)}`)), startupMs);
			const look = () => {
				const all = stderr();
				const m = LOGIN_RE.exec(all);
				const again = keptStateDir ? RESTART_RE.exec(all) : null;
				if (!m && !again) return;
				clearTimeout(timer);
				child.stderr.off('data', look);
				resolve(m ? { base: m[1], token: m[2] } : { base: again[1], token: undefined });
			};
			child.stderr.on('data', look);
			exited.then(({ code, signal }) => {
				clearTimeout(timer);
				reject(new Error(`the host exited (code ${code}, signal ${signal}) before its login line; stderr:\n${stderr().slice(-3000)}`));
			});
		});
		if (Number(new URL(found.base).port) !== port) throw new Error(`the login line names another port than ${port}: ${found.base}`);
	} catch (e) {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		await exited;
		log?.end();
		removeStateDir();
		throw e;
	}

	let stopping = null;
	return {
		base: found.base,
		url: found.base,
		token: found.token,
		startedAt: Date.now(),
		stateDir,
		config,
		child,
		stderr,
		/** SIGTERM (SIGKILL after a grace period), then the exit status and what the
		 * sanitizers reported in ASan/UBSan builds ('' when nothing). Safe to call twice. */
		stop() {
			stopping ??= (async () => {
				if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
				const t = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
				const { code, signal } = await exited;
				clearTimeout(t);
				log?.end();
				removeStateDir();
				const m = SANITIZER_RE.exec(stderr());
				return { code, signal, sanitizer: m ? m[0] : '' };
			})();
			return stopping;
		},
	};
}
