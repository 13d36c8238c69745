// Starts what the browser tests need: latchkey-micro.jar on a free port, a customer's app on another origin
// (a static page plus a small backend that mints tokens with the org key, as a real app's server would), and
// Debian's chromium through playwright-core. Everything started here is stopped by stop().
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const TARGET = resolve(here, "../../../target");
export const SCREENSHOTS = join(TARGET, "e2e-screenshots");
export const ORG_KEY = "fl-e2e-browser-tests-only-0123456789abcdefgh";
export const ADMIN_KEY = "admin-e2e-browser-tests-only-0123456789";

export async function freePort() {
  return new Promise((ok, fail) => {
    const server = createNetServer();
    server.unref();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/**
 * The customer's app: GET /app.html, and POST /token?client=&secs= which mints with the org key. It is also the
 * organization's upstream API behind Latchkey: /upstream/... answers what it was asked with the identity
 * Latchkey added, and POST /upstream-messages answers a client's message with {"echo": data}.
 */
function startApp(latchkey) {
  const minted = new Map();
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, "http://app");
    if (request.method === "GET" && url.pathname === "/app.html") {
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      response.end("<!doctype html><meta charset=utf-8><title>customer app</title><h1>customer app</h1>");
      return;
    }
    if (request.method === "POST" && url.pathname === "/token") {
      const client = url.searchParams.get("client");
      const secs = Number(url.searchParams.get("secs") ?? "60");
      try {
        const answer = await mint(latchkey, client, secs);
        minted.set(client, (minted.get(client) ?? 0) + 1);
        response.writeHead(200, { "Content-Type": "application/json" });
        response.end(JSON.stringify({ access_token: answer.access_token }));
      } catch (error) {
        response.writeHead(502, { "Content-Type": "application/json" });
        response.end(JSON.stringify({ detail: String(error.message) }));
      }
      return;
    }
    if (url.pathname.startsWith("/upstream")) {
      let body = "";
      for await (const piece of request) body += piece;
      response.writeHead(200, { "Content-Type": "application/json", "X-Upstream": "app" });
      response.end(JSON.stringify(url.pathname === "/upstream-messages"
        ? { echo: JSON.parse(body).data }
        : { method: request.method, path: request.url, body,
            client: request.headers["x-latchkey-client-id"] ?? null,
            authorization: request.headers.authorization ?? null }));
      return;
    }
    response.writeHead(404, { "Content-Type": "application/json" });
    response.end('{"detail":"Not found"}');
  });
  return { server, minted };
}

/** An org call from Node (no Origin, like the org's own backend). */
export async function org(latchkey, method, path, body) {
  const response = await fetch(`${latchkey}/api/v1/${path}`, {
    method,
    headers: { Authorization: `Bearer ${ORG_KEY}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15000),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${json.detail}`);
  return json;
}

/** An admin call from Node; answers {status, json, node} (node: the Latchkey-Node header). */
export async function admin(latchkey, method, path, body) {
  const response = await fetch(`${latchkey}/api/v1/admin/${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15000),
  });
  return { status: response.status, json: await response.json(), node: response.headers.get("Latchkey-Node") };
}

export function mint(latchkey, client, secs) {
  return org(latchkey, "POST", "generate_access_token", { client_id: client, duration_secs: secs });
}

async function waitForReady(process, log, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) throw new Error(`latchkey-micro.jar exited early:\n${readFileSync(log, "utf8")}`);
    if (existsSync(log) && readFileSync(log, "utf8").includes(" ready in ")) return;
    await sleep(250);
  }
  throw new Error(`latchkey-micro.jar was not ready in ${seconds}s:\n${readFileSync(log, "utf8")}`);
}

export async function start() {
  const jar = process.env.LATCHKEY_JAR ?? join(TARGET, "latchkey-micro.jar");
  if (!existsSync(jar)) throw new Error(`${jar} not found: run mvn package first`);
  const work = join(TARGET, "e2e-work");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });

  const latchkeyPort = await freePort();
  const latchkey = `http://127.0.0.1:${latchkeyPort}`;
  const app = startApp(latchkey);
  await new Promise((ok) => app.server.listen(0, "127.0.0.1", ok));
  const appPort = app.server.address().port;
  const appOrigin = `http://127.0.0.1:${appPort}`;
  // The same server under another host name is another origin, one that is not allowed.
  const otherOrigin = `http://localhost:${appPort}`;

  const log = join(work, "latchkey.log");
  const out = openSync(log, "w");
  const server = spawn("java", ["-jar", jar, "--port", String(latchkeyPort), "--nocluster"], {
    cwd: work,
    stdio: ["ignore", out, out],
    env: {
      ...process.env,
      LATCHKEY_DB_URL: `jdbc:h2:file:${join(work, "data", "latchkey")}`,
      LATCHKEY_DB_USER: "",
      LATCHKEY_DB_PASSWORD: "",
      LATCHKEY_ORG_API_KEY: ORG_KEY,
      LATCHKEY_ADMIN_KEY: ADMIN_KEY,
      // the customer's app and the console (served by Latchkey itself) may use client tokens
      LATCHKEY_ALLOWED_ORIGINS: `${appOrigin},${latchkey}`,
      LATCHKEY_WS_EXPIRY_WARNING_SECS: "2",
      // the customer's app is also the organization's API behind Latchkey
      LATCHKEY_UPSTREAM_URL: `${appOrigin}/upstream`,
      LATCHKEY_MESSAGES_URL: `${appOrigin}/upstream-messages`,
    },
  });
  // If this process ends abruptly (a timeout, Ctrl-C), the server must not outlive it.
  const killServer = () => { if (server.exitCode === null) server.kill("SIGKILL"); };
  process.once("exit", killServer);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => { killServer(); process.exit(130); });
  }
  const env = { latchkey, appOrigin, otherOrigin, app, server, log, browser: null };
  try {
    await waitForReady(server, log, 420); // a loaded 2-core machine took over 180 s to start it
    env.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      headless: true,
      timeout: 60000,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"],
    });
  } catch (error) {
    await stop(env);
    throw error;
  }
  return env;
}

export async function stop(env) {
  if (!env) return;
  await env.browser?.close().catch(() => {});
  const closed = new Promise((ok) => env.app.server.close(ok));
  env.app.server.closeAllConnections();
  await closed;
  if (env.server.exitCode === null) {
    const exited = new Promise((ok) => env.server.once("exit", ok));
    env.server.kill("SIGTERM");
    const forced = setTimeout(() => env.server.kill("SIGKILL"), 30000);
    await exited;
    clearTimeout(forced);
  }
}
