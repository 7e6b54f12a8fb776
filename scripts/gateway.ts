// The gateway (gateway/nginx.conf.template) for tests and benchmarks: renders the template into a
// temporary directory and gives the command that runs Debian's nginx on it in the foreground. The
// compose file runs the same template through gateway/entrypoint.sh.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const GATEWAY_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "gateway");
const TEMPLATE = path.join(GATEWAY_DIR, "nginx.conf.template");
const MODULES_DIR = "/usr/lib/nginx/modules";

export interface GatewayOptions {
  /** host:port the gateway listens on. */
  listen: string;
  /** host:port of each web instance. */
  upstreams: string[];
  /** host:port of the purge-only listener, and the addresses allowed to PURGE there (the app's own). */
  purgeListen: string;
  purgeFrom?: string[];
  workers?: number;
}

export interface Gateway {
  dir: string;
  command: string;
  args: string[];
  accessLog: string;
  /** gateway/follow-readiness.sh for these upstreams: run it beside nginx to skip instances not ready. */
  readinessFollower: { command: string; args: string[] };
}

export function nginxBinary(): string {
  for (const candidate of ["/usr/sbin/nginx", "/usr/local/sbin/nginx"]) if (existsSync(candidate)) return candidate;
  throw new Error("nginx is not installed: `sudo apt-get install nginx-light libnginx-mod-http-cache-purge` (.ci/run does this)");
}

export function renderGatewayConfig(values: Record<string, string>): string {
  return readFileSync(TEMPLATE, "utf8").replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`gateway template: no value for {{${name}}}`);
    return value;
  });
}

/** Writes the configuration and checks it with `nginx -t`; run `command args` to start the gateway. */
export function prepareGateway(options: GatewayOptions): Gateway {
  const command = nginxBinary();
  if (!existsSync(path.join(MODULES_DIR, "ngx_http_cache_purge_module.so"))) {
    throw new Error("nginx's cache purge module is missing: `sudo apt-get install libnginx-mod-http-cache-purge`");
  }
  const dir = mkdtempSync(path.join(tmpdir(), "inkwell-gateway-"));
  // As root, nginx's workers run as nobody: they must be able to write the cache and temp files.
  chmodSync(dir, 0o755);
  for (const sub of ["run", "logs", "cache"]) {
    mkdirSync(path.join(dir, sub));
    chmodSync(path.join(dir, sub), 0o777);
  }
  const upstreamsFile = path.join(dir, "run", "upstreams.conf");
  writeFileSync(upstreamsFile, options.upstreams.map((address) => `server ${address} max_fails=1 fail_timeout=2s;\n`).join(""));
  const config = renderGatewayConfig({
    MODULES_DIR,
    WORKERS: String(options.workers ?? 1),
    RUN_DIR: path.join(dir, "run"),
    LOG_DIR: path.join(dir, "logs"),
    CACHE_DIR: path.join(dir, "cache"),
    CACHE_MAX_SIZE: "256m",
    LISTEN: options.listen,
    UPSTREAMS_FILE: upstreamsFile,
    PURGE_LISTEN: options.purgeListen,
    PURGE_ALLOW: (options.purgeFrom ?? ["127.0.0.1"]).map((address) => `allow ${address};`).join(" "),
  });
  const file = path.join(dir, "nginx.conf");
  writeFileSync(file, config);
  const args = ["-p", dir, "-c", file, "-e", path.join(dir, "logs", "error.log")];
  execFileSync(command, [...args, "-t", "-q"], { stdio: "pipe" });
  return {
    dir,
    command,
    args: [...args, "-g", "daemon off;"],
    accessLog: path.join(dir, "logs", "access.log"),
    readinessFollower: { command: "sh", args: [path.join(GATEWAY_DIR, "follow-readiness.sh"), upstreamsFile, path.join(dir, "run", "nginx.pid"), ...options.upstreams] },
  };
}
