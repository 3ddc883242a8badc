// Starts a real paper host for the REST contract test: the default
// configuration, a temporary state dir, a port the kernel just handed out on
// 127.0.0.1; the admin token comes from the login line printed once on stderr.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

const LOGIN_RE = /tradehost: dashboard: (https?:\/\/[^\s#]+?)\/?#token=(th_[A-Za-z0-9_-]+)/;
// a restart on a kept state dir prints no new token (the old one still holds)
const RESTART_RE = /tradehost: dashboard: (https?:\/\/[^\s#]+?)\/? \(log in with a token/;

export function requireEnv(name) {
	const v = process.env[name];
	if (!v) throw new Error(`${name} is not set (run this test through ctest: ctest -R node.api)`);
	return v;
}

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

async function startOnce(exe, repo, port, extraArgs, configFile, keptStateDir) {
	// a state dir passed in belongs to the caller (restart tests): never removed here
	const stateDir = keptStateDir ?? mkdtempSync(join(tmpdir(), 'th-api-'));
	const removeStateDir = () => { if (!keptStateDir) rmSync(stateDir, { recursive: true, force: true }); };
	const config = configFile ?? join(repo, 'config', 'tradehost.toml');
	const args = ['run', '-c', config, '--set', `host.state_dir=${stateDir}`, '--set', `http.listen=127.0.0.1:${port}`,
		...extraArgs];
	const child = spawn(exe, args, { stdio: ['ignore', 'ignore', 'pipe'] });
	let stderr = '';
	const found = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no login line within 30 s; stderr:\n${stderr.slice(-3000)}`)), 30000);
		child.stderr.on('data', (b) => {
			if (stderr.length < 1 << 20) stderr += b.toString();
			const m = LOGIN_RE.exec(stderr);
			const again = keptStateDir ? RESTART_RE.exec(stderr) : null;
			if (m || again) {
				clearTimeout(timer);
				resolve(m ? { base: m[1], token: m[2] } : { base: again[1] });
			}
		});
		child.on('exit', (code, sig) => {
			clearTimeout(timer);
			reject(new Error(`the host exited (${code ?? sig}) before its login line; stderr:\n${stderr.slice(-3000)}`));
		});
	}).catch((e) => {
		if (child.exitCode === null) child.kill('SIGKILL');
		removeStateDir();
		throw e;
	});
	child.removeAllListeners('exit');
	return {
		...found,
		stateDir,
		child,
		stderr: () => stderr,
		/** Stops the host; returns its exit code and what sanitizers reported (ASan/UBSan builds). */
		async stop() {
			let code = child.exitCode;
			if (code === null) {
				const exited = new Promise((r) => child.once('exit', (c, sig) => r(c ?? sig)));
				child.kill('SIGTERM');
				const t = setTimeout(() => child.kill('SIGKILL'), 20000);
				code = await exited;
				clearTimeout(t);
			}
			removeStateDir();
			const m = /(ERROR: (Address|Leak)Sanitizer|runtime error:)[\s\S]{0,4000}/.exec(stderr);
			return { code, sanitizer: m ? m[0] : '' };
		},
	};
}

/** configFile: another configuration than the repository's default one;
 * stateDir: a state dir the caller owns (kept after stop, e.g. to restart on it). */
export async function startHost(exe, repo, extraArgs = [], configFile = undefined, stateDir = undefined) {
	for (let attempt = 1; ; attempt++) {
		try {
			return await startOnce(exe, repo, await freePort(), extraArgs, configFile, stateDir);
		} catch (e) {
			// another process may take the port between freePort() and the bind
			if (attempt >= 3 || !/cannot bind|in use/i.test(e.message)) throw e;
		}
	}
}
