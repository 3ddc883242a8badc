// The dashboard tests' host: the shared launcher (tests/node/lib/host.mjs) plus two
// helpers only these tests use — a REST call with the admin token and a second token
// made with the CLI against the same state dir.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startHost as launch } from '../lib/host.mjs';

const run = promisify(execFile);

/** opts: as for tests/node/lib/host.mjs startHost. */
export async function startHost(opts) {
	const host = await launch(opts);
	host.api = async (method, path, body, token = host.token) => {
		const res = await fetch(`${host.base}/api/v1${path}`, {
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
	};
	/** Another token, made with the CLI against the same state dir. */
	host.createToken = async (name, role) => {
		const { stdout, stderr } = await run(opts.exe, ['token', 'create', name, '--role', role, '-c', host.config,
			'--set', `host.state_dir=${host.stateDir}`]);
		const m = /th_[A-Za-z0-9_-]{43}/.exec(stdout + stderr);
		if (!m) throw new Error(`tradehost token create printed no token: ${stdout}${stderr}`);
		return m[0];
	};
	return host;
}
