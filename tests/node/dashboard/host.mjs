// Starts a real paper host for the dashboard tests: default configuration,
// a temporary state dir, an ephemeral port on 127.0.0.1; the admin token and
// the URL come from the line the host prints once on stderr.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createServer } from 'node:net';

const run = promisify(execFile);
const LOGIN_RE = /tradehost: dashboard: (https?:\/\/[^\s#]+?)\/?#token=(th_[A-Za-z0-9_-]+)/;

export function requireEnv(name) {
	const v = process.env[name];
	if (!v) throw new Error(`${name} is not set (run this test through ctest: ctest -R node.dashboard)`);
	return v;
}

/** A port the kernel just handed out on 127.0.0.1 (tests run in parallel: never a fixed one). */
function freePort() {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

export async function startHost(opts) {
	// Another process may take the port between freePort() and the host's bind: try again then.
	for (let attempt = 1; ; attempt++) {
		try {
			return await startOnce({ ...opts, port: await freePort() });
		} catch (e) {
			if (attempt >= 3 || !/cannot bind|in use/i.test(e.message)) throw e;
		}
	}
}

async function startOnce({ exe, repo, logFile, port, extraArgs = [] }) {
	const stateDir = mkdtempSync(join(tmpdir(), 'th-dash-'));
	const config = join(repo, 'config', 'tradehost.toml');
	const args = ['run', '-c', config, '--set', `host.state_dir=${stateDir}`, '--set', `http.listen=127.0.0.1:${port}`, ...extraArgs];
	const child = spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
	const log = logFile ? createWriteStream(logFile) : null;
	let stderr = '';
	const found = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`the host printed no login line within 30 s; stderr:\n${stderr.slice(-3000)}`)), 30000);
		child.stderr.on('data', (b) => {
			const s = b.toString();
			log?.write(s);
			if (stderr.length < 1 << 20) stderr += s;
			const m = LOGIN_RE.exec(stderr);
			if (m) {
				clearTimeout(timer);
				resolve({ base: m[1], token: m[2] });
			}
		});
		child.stdout.on('data', (b) => log?.write(b));
		child.on('exit', (code, sig) => {
			clearTimeout(timer);
			reject(new Error(`the host exited (${code ?? sig}) before printing its login line; stderr:\n${stderr.slice(-3000)}`));
		});
	}).catch((e) => {
		if (child.exitCode === null) child.kill('SIGKILL');
		log?.end();
		rmSync(stateDir, { recursive: true, force: true });
		throw e;
	});
	child.removeAllListeners('exit');
	if (Number(new URL(found.base).port) !== port) throw new Error(`the login line names another port than ${port}: ${found.base}`);
	const host = {
		...found,
		stateDir,
		config,
		child,
		async api(method, path, body, token = found.token) {
			const res = await fetch(`${found.base}/api/v1${path}`, {
				method,
				headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await res.text();
			let json = null;
			try {
				json = JSON.parse(text);
			} catch {
				/* not JSON */
			}
			if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text.slice(0, 300)}`);
			return json;
		},
		/** Another token, made with the CLI against the same state dir. */
		async createToken(name, role) {
			const { stdout, stderr: err } = await run(exe, ['token', 'create', name, '--role', role, '-c', config, '--set', `host.state_dir=${stateDir}`]);
			const m = /th_[A-Za-z0-9_-]{43}/.exec(stdout + err);
			if (!m) throw new Error(`tradehost token create printed no token: ${stdout}${err}`);
			return m[0];
		},
		/** SIGTERM, then the exit status: { code, signal } (a sanitizer report makes code non-zero). */
		async stop() {
			let status = { code: child.exitCode, signal: child.signalCode };
			if (child.exitCode === null && child.signalCode === null) {
				const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
				child.kill('SIGTERM');
				const t = setTimeout(() => child.kill('SIGKILL'), 15000);
				status = await exited;
				clearTimeout(t);
			}
			log?.end();
			rmSync(stateDir, { recursive: true, force: true });
			return status;
		},
	};
	return host;
}
