// Starts a paper `tradehost run` for the AG-UI tests: the default configuration,
// a temporary state dir and a free loopback port; the admin token is read from
// the host's one-time stderr line "tradehost: dashboard: http://127.0.0.1:PORT/#token=...".
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function startHost({ bin, repo, startupMs = 30000 }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "th-agui-"));
  const port = await freePort();
  const args = ["run", "-c", path.join(repo, "config", "tradehost.toml"),
    "--set", `host.state_dir=${path.join(dir, "state")}`,
    "--set", `http.listen=127.0.0.1:${port}`];
  const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const token = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no dashboard line within ${startupMs} ms:\n${stderr}`)), startupMs);
    child.stderr.on("data", (chunk) => {
      stderr += chunk.toString();
      const m = stderr.match(/tradehost: dashboard: http:\/\/127\.0\.0\.1:(\d+)\/#token=(th_[A-Za-z0-9_-]+)/);
      if (m) {
        clearTimeout(timer);
        if (Number(m[1]) !== port) reject(new Error(`host announced port ${m[1]}, expected ${port}`));
        else resolve(m[2]);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`tradehost exited early (code ${code}, signal ${signal}):\n${stderr}`));
    });
  });
  return {
    startedAt: Date.now(),
    url: `http://127.0.0.1:${port}`,
    token,
    stderr: () => stderr,
    // SIGTERM, then the exit status (a sanitizer report makes it non-zero)
    async stop() {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20000);
      const status = await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      return status;
    },
  };
}
