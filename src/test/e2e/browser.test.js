// Latchkey in a real browser: a customer's page on another origin uses the client API, the WebSocket and
// latchkey-client.js; the org console is clicked through. Run by `mvn verify` (see pom.xml) or, after
// `mvn package`, by `npm ci && npm test` in this folder.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ADMIN_KEY, ORG_KEY, SCREENSHOTS, admin, mint, org, start, stop } from "./harness.js";

let env;
let context;
const tokensSeen = [];

before(async () => {
  env = await start();
  context = await env.browser.newContext();
  context.setDefaultTimeout(20000);
});

after(async () => {
  await context?.close().catch(() => {});
  await stop(env);
  if (env) {
    const log = readFileSync(env.log, "utf8");
    assert.ok(!log.includes(ORG_KEY), "the org key is in the service log");
    assert.ok(!log.includes(ADMIN_KEY), "the admin key is in the service log");
    for (const token of tokensSeen) assert.ok(!log.includes(token), "a client token is in the service log");
    // and no JWT at all, as LogScanIT scans: the page's own /token mints tokens this file never sees
    const jwt = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*\.?/.exec(log);
    assert.ok(jwt === null, `a JWT is in the service log: ${jwt?.[0].slice(0, 40)}...`);
    // the access log shows the parameter with its value replaced, never the value itself
    assert.ok(log.includes("client_key=[redacted]"), "the access log shows the sockets' handshakes, redacted");
    assert.ok(!/client_key=(?!\[redacted\])/.test(log), "a client_key value is in the service log");
  }
});

function unique(name) {
  return `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}

async function mintToken(client, secs) {
  const { access_token: token } = await mint(env.latchkey, client, secs);
  tokensSeen.push(token);
  return token;
}

/** A page of the customer's app, on an allowed origin unless told otherwise. */
async function appPage(origin = env.appOrigin) {
  const page = await context.newPage();
  await page.goto(`${origin}/app.html`);
  return page;
}

describe("a customer's page on another origin", () => {
  test("a cross-origin fetch of /client_api works and a 401 detail is readable", async () => {
    const client = unique("fetch");
    const token = await mintToken(client, 600);
    const page = await appPage();
    const result = await page.evaluate(async ({ latchkey, token }) => {
      const call = async (authorization) => {
        const response = await fetch(`${latchkey}/api/v1/client_api`,
          { headers: authorization ? { Authorization: authorization } : {} });
        return { status: response.status, body: await response.json(),
          wwwAuthenticate: response.headers.get("WWW-Authenticate") };
      };
      return {
        ok: await call(`Bearer ${token}`),
        missing: await call(null),
        garbage: await call("Bearer not-a-token"),
      };
    }, { latchkey: env.latchkey, token });
    assert.equal(result.ok.status, 200);
    assert.equal(result.ok.body.client_id, client);
    assert.ok(result.ok.body.expires_in > 590);
    assert.deepEqual(result.missing, { status: 401, body: { detail: "Authorization header is missing" },
      wwwAuthenticate: "Bearer" });
    assert.deepEqual(result.garbage.body, { detail: "Invalid token format" });

    await org(env.latchkey, "POST", "revoke_token", { access_token: token });
    const revoked = await page.evaluate(async ({ latchkey, token }) => {
      const response = await fetch(`${latchkey}/api/v1/client_api`, { headers: { Authorization: `Bearer ${token}` } });
      return { status: response.status, body: await response.json() };
    }, { latchkey: env.latchkey, token });
    assert.deepEqual(revoked, { status: 401, body: { detail: "Token has been revoked" } });
    await page.close();
  });

  test("the socket opens, receives session, and closes with 4401 and its reason on revoke", async () => {
    const client = unique("socket");
    const token = await mintToken(client, 600);
    const page = await appPage();
    const session = await page.evaluate(({ latchkey, token }) => new Promise((ok, fail) => {
      const url = `${latchkey.replace(/^http/, "ws")}/api/v1/client_ws?client_key=${encodeURIComponent(`Bearer ${token}`)}`;
      const socket = new WebSocket(url);
      window.socketClosed = null;
      socket.onmessage = (event) => ok(JSON.parse(event.data));
      socket.onclose = (event) => {
        window.socketClosed = { code: event.code, reason: event.reason };
        fail(new Error(`closed ${event.code} before session`));
      };
    }), { latchkey: env.latchkey, token });
    assert.equal(session.type, "session");
    assert.equal(session.client_id, client);

    await org(env.latchkey, "POST", "revoke_token", { access_token: token, reason: "e2e" });
    await page.waitForFunction(() => window.socketClosed !== null, null, { timeout: 10000 });
    const closed = await page.evaluate(() => window.socketClosed);
    assert.deepEqual(closed, { code: 4401, reason: "Token has been revoked" });
    await page.close();
  });

  // Decision D7: the server sends a 4401 close when the browser's pong to its ping arrives, and ends the connection
  // without a close (1006 here) when nothing came within 10 s. A browser answers pings by itself (RFC 6455 5.5.2), so
  // every one of these sockets must see 4401 and its reason, also on a loaded machine; the closes' times are printed.
  test("socket after socket, each revoked in turn, closes with 4401 and its reason", async (t) => {
    const rounds = 30;
    const page = await appPage();
    const outcomes = [];
    for (let round = 0; round < rounds; round++) {
      const client = unique("revoked-in-turn");
      const token = await mintToken(client, 600);
      const session = await page.evaluate(({ latchkey, token }) => new Promise((ok, fail) => {
        const url = `${latchkey.replace(/^http/, "ws")}/api/v1/client_ws?client_key=${encodeURIComponent(`Bearer ${token}`)}`;
        const socket = new WebSocket(url);
        window.turnClosed = null;
        socket.onmessage = (event) => ok(JSON.parse(event.data).type);
        socket.onclose = (event) => {
          window.turnClosed = { code: event.code, reason: event.reason, at: performance.now() };
          fail(new Error(`closed ${event.code} before session`));
        };
      }), { latchkey: env.latchkey, token });
      assert.equal(session, "session", `round ${round}`);
      const asked = await page.evaluate(() => performance.now());
      await org(env.latchkey, "POST", "revoke_token", { access_token: token, reason: "e2e" });
      // a close without a pong would come after the server's 10 s wait: waited for, to see its code
      await page.waitForFunction(() => window.turnClosed !== null, null, { timeout: 20000 });
      const closed = await page.evaluate(() => window.turnClosed);
      outcomes.push({ round, code: closed.code, reason: closed.reason, ms: Math.round(closed.at - asked) });
    }
    await page.close();
    const slowest = Math.max(...outcomes.map((outcome) => outcome.ms));
    t.diagnostic(`${rounds} revocations: closes ${JSON.stringify(outcomes.map((o) => `${o.code}@${o.ms}ms`))}; `
      + `the slowest ${slowest} ms after the revocation was asked`);
    for (const outcome of outcomes) {
      assert.deepEqual({ code: outcome.code, reason: outcome.reason }, { code: 4401, reason: "Token has been revoked" },
        `round ${outcome.round}, closed ${outcome.ms} ms after the revocation was asked`);
    }
  });

  test("latchkey-client.js refreshes across expiry on one socket and stays down after revocation", async () => {
    const client = unique("helper");
    const page = await appPage();
    // tokens of 4 s with the warning 2 s before expiry: several token lifetimes pass in this test
    await page.evaluate(async ({ latchkey, client }) => {
      const { LatchkeyClient } = await import(`${latchkey}/latchkey-client.js`);
      window.calls = 0;
      window.sessions = [];
      window.revoked = null;
      window.errors = [];
      const latchkeyClient = new LatchkeyClient({
        baseUrl: latchkey,
        getToken: async () => {
          window.calls += 1;
          const response = await fetch(`/token?client=${encodeURIComponent(client)}&secs=4`, { method: "POST" });
          return (await response.json()).access_token;
        },
      });
      window.helper = latchkeyClient;
      window.live = latchkeyClient.connect({
        minRetryMs: 200,
        onSession: (session) => window.sessions.push(session),
        onRevoked: (reason) => { window.revoked = reason; },
        onError: (error) => window.errors.push(error.message),
      });
    }, { latchkey: env.latchkey, client });

    await page.waitForFunction(() => window.sessions.length >= 1, null, { timeout: 10000 });
    await sleep(9000); // more than two token lifetimes
    const during = await page.evaluate(async () => {
      const response = await window.helper.fetch("/api/v1/client_api");
      return { sessions: window.sessions.map((s) => s.token_id), attempts: window.live.attempts,
        state: window.live.state, status: response.status, errors: window.errors };
    });
    assert.ok(during.sessions.length >= 4, `reauths across expiry: ${JSON.stringify(during)}`);
    assert.equal(new Set(during.sessions).size, during.sessions.length, "each session is a new token");
    assert.equal(during.attempts, 1, "one WebSocket the whole time");
    assert.equal(during.state, "open");
    assert.equal(during.status, 200);
    assert.deepEqual(during.errors, []);

    // revoke right after a reauth, far from the next one
    const count = during.sessions.length;
    await page.waitForFunction((n) => window.sessions.length > n, count, { timeout: 10000 });
    await org(env.latchkey, "POST", "revoke_client_tokens", { client_id: client, reason: "signed out" });
    await page.waitForFunction(() => window.revoked !== null, null, { timeout: 10000 });
    const callsAtRevocation = await page.evaluate(() => window.calls);
    await sleep(5000);
    const afterwards = await page.evaluate(() => ({ revoked: window.revoked, state: window.live.state,
      attempts: window.live.attempts, calls: window.calls }));
    assert.equal(afterwards.revoked, "Token has been revoked");
    assert.equal(afterwards.state, "revoked");
    assert.equal(afterwards.attempts, 1, "no reconnection after revocation");
    assert.equal(afterwards.calls, callsAtRevocation, "no new token asked for after revocation");
    await page.close();
  });

  test("latchkey-client.js fetch gets a new token once on 'Token has expired' and retries", async () => {
    const client = unique("retry");
    const page = await appPage();
    const result = await page.evaluate(async ({ latchkey, client }) => {
      const { LatchkeyClient } = await import(`${latchkey}/latchkey-client.js`);
      let calls = 0;
      const helper = new LatchkeyClient({
        baseUrl: latchkey,
        getToken: async () => {
          calls += 1;
          const secs = calls === 1 ? 1 : 600;
          return (await (await fetch(`/token?client=${client}&secs=${secs}`, { method: "POST" })).json()).access_token;
        },
      });
      const statuses = [];
      const realFetch = window.fetch;
      window.fetch = async (...args) => {
        const response = await realFetch(...args);
        if (String(args[0]).includes("/client_api")) statuses.push(response.status);
        return response;
      };
      await helper.token();
      await new Promise((ok) => setTimeout(ok, 2500)); // the 1 s token expires
      const response = await helper.fetch("/api/v1/client_api");
      window.fetch = realFetch;
      return { status: response.status, body: await response.json(), calls, statuses };
    }, { latchkey: env.latchkey, client });
    assert.equal(result.status, 200);
    assert.equal(result.body.client_id, client);
    assert.equal(result.calls, 2);
    assert.deepEqual(result.statuses, [401, 200]);
    await page.close();
  });

  test("a proxied path of the org's API is called cross-origin, and a message goes to the org and back", async () => {
    const client = unique("gateway");
    const page = await appPage();
    const result = await page.evaluate(async ({ latchkey, client }) => {
      const { LatchkeyClient } = await import(`${latchkey}/latchkey-client.js`);
      const helper = new LatchkeyClient({
        baseUrl: latchkey,
        getToken: async () =>
          (await (await fetch(`/token?client=${client}&secs=600`, { method: "POST" })).json()).access_token,
      });
      // a PUT with a JSON body and a custom header: the browser sends a preflight first
      const response = await helper.fetch("/api/v1/client_api/orders/7?full=1", {
        method: "PUT", headers: { "Content-Type": "application/json", "X-Request-Id": "r1" },
        body: JSON.stringify({ qty: 2 }),
      });
      const proxied = { status: response.status, body: await response.json(),
        upstreamHeader: response.headers.get("X-Upstream") };
      const socket = helper.connect();
      await new Promise((ok, fail) => {
        const started = Date.now();
        const wait = () => socket.state === "open" ? ok()
          : Date.now() - started > 10000 ? fail(new Error("socket not open")) : setTimeout(wait, 50);
        wait();
      });
      const reply = await socket.send({ question: 42 });
      socket.close();
      return { proxied, reply };
    }, { latchkey: env.latchkey, client });
    assert.equal(result.proxied.status, 200);
    assert.equal(result.proxied.upstreamHeader, "app");
    assert.deepEqual(result.proxied.body, { method: "PUT", path: "/upstream/orders/7?full=1",
      body: '{"qty":2}', client, authorization: null });
    assert.deepEqual(result.reply, { echo: { question: 42 } });
    await page.close();
  });

  test("latchkey-client.js reconnects with backoff after the connection is lost", async () => {
    const client = unique("reconnect");
    const page = await appPage();
    // Every client_ws connection goes through this proxy, so the test can drop one like a network loss would.
    const routes = [];
    let refuse = 0; // connections to drop at once, like a server that is still down
    await page.routeWebSocket(/\/api\/v1\/client_ws/, (ws) => {
      if (refuse > 0) {
        refuse -= 1;
        ws.close({ code: 1006 });
        return;
      }
      ws.connectToServer();
      routes.push(ws);
    });
    await page.evaluate(async ({ latchkey, client }) => {
      const { LatchkeyClient } = await import(`${latchkey}/latchkey-client.js`);
      window.sessions = [];
      window.states = [];
      const helper = new LatchkeyClient({
        baseUrl: latchkey,
        getToken: async () => (await (await fetch(`/token?client=${client}&secs=600`, { method: "POST" })).json())
          .access_token,
      });
      window.live = helper.connect({
        minRetryMs: 300,
        onSession: (session) => window.sessions.push(session),
        onStateChange: (state) => { window.states.push(state); window.stateTimes.push(performance.now()); },
      });
      window.stateTimes = [];
    }, { latchkey: env.latchkey, client });
    await page.waitForFunction(() => window.sessions.length === 1, null, { timeout: 10000 });
    assert.equal(routes.length, 1);

    // a loss, then one failed attempt: the first wait is minRetryMs (300 ms) with ±20 % jitter, the second twice that
    refuse = 1;
    await routes[0].close({ code: 1001, reason: "Going away" });
    await page.waitForFunction(() => window.sessions.length === 2, null, { timeout: 10000 });
    const result = await page.evaluate(() => ({ attempts: window.live.attempts, state: window.live.state,
      states: window.states, times: window.stateTimes,
      sameToken: new Set(window.sessions.map((s) => s.token_id)).size === 1 }));
    assert.equal(result.attempts, 3, JSON.stringify(result));
    assert.equal(result.state, "open");
    const waits = [];
    for (let i = 1; i < result.states.length; i++) {
      if (result.states[i - 1] === "waiting" && result.states[i] === "connecting") {
        waits.push(result.times[i] - result.times[i - 1]);
      }
    }
    assert.equal(waits.length, 2, JSON.stringify(result));
    // a timer never fires early, so the lower bounds are exact (-20 % jitter); how late it fires depends on the
    // machine's load: printed, with only a generous upper bound
    console.log(`browser.test.js: reconnect waits ${waits.map((w) => w.toFixed(0)).join(" ms, ")} ms (jittered 240-360, 480-720)`);
    assert.ok(waits[0] >= 240 && waits[0] <= 5000, `first wait ${waits[0]} ms, expected 240-360`);
    assert.ok(waits[1] >= 480 && waits[1] <= 5000, `second wait ${waits[1]} ms, expected 480-720`);
    assert.equal(result.sameToken, true, "a network loss needs no new token");
    await page.evaluate(() => window.live.close());
    await page.close();
  });

  test("a disallowed origin is refused", async () => {
    const token = await mintToken(unique("evil"), 600);
    const page = await appPage(env.otherOrigin);
    const result = await page.evaluate(async ({ latchkey, token }) => {
      let fetchOutcome;
      try {
        const response = await fetch(`${latchkey}/api/v1/client_api`, { headers: { Authorization: `Bearer ${token}` } });
        fetchOutcome = `read ${response.status}`;
      } catch (error) {
        fetchOutcome = `blocked: ${error.name}`;
      }
      const socketOutcome = await new Promise((ok) => {
        const socket = new WebSocket(`${latchkey.replace(/^http/, "ws")}/api/v1/client_ws?client_key=${encodeURIComponent(`Bearer ${token}`)}`);
        let opened = false;
        socket.onopen = () => { opened = true; };
        socket.onclose = (event) => ok({ opened, code: event.code });
      });
      return { fetchOutcome, socketOutcome };
    }, { latchkey: env.latchkey, token });
    assert.equal(result.fetchOutcome, "blocked: TypeError");
    assert.deepEqual(result.socketOutcome, { opened: false, code: 1006 });
    // the page's origin was sent and refused by the server, not by a network failure
    const handshake = await fetch(`${env.latchkey}/api/v1/client_ws`, { headers: { Origin: env.otherOrigin } });
    assert.equal(handshake.status, 403);
    assert.deepEqual(await handshake.json(), { detail: "Origin not allowed" });
    await page.close();
  });
});

describe("the org console", () => {
  async function consolePage(width, height) {
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    await page.goto(`${env.latchkey}/console/`);
    return page;
  }

  const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  /** "answered by node <host>:<port>": the node's name (issue 34), the host name and this server's HTTP port. */
  const answeredBy = () => new RegExp(`^answered by node [A-Za-z0-9._-]+:${new URL(env.latchkey).port}$`);

  test("a wrong org key gets a clear error", async () => {
    const page = await consolePage(1200, 900);
    await page.fill("#org-key", "fl-this-key-does-not-exist-0123456789abcdef");
    await page.click("#key-use");
    await page.locator("#key-status.error").waitFor();
    assert.match(await page.textContent("#key-status"), /^Error 401: Invalid API key\. .*check it in step 1/);
    assert.equal(await page.locator("#key-status .node").count(), 0, "a refused key learns no node name");
    await page.fill("#mint-client", "someone");
    await page.click("#mint");
    await page.locator("#mint-result.error").waitFor();
    assert.equal(await page.textContent("#mint-result"), "No org key yet: enter it in step 1 first.");
    await shot(page, "console-wrong-key");
    await page.fill("#mint-metadata", "{not json");
    await page.click("#mint");
    await page.locator("#mint-result").getByText("metadata is not valid JSON").waitFor();
    await page.close();
  });

  test("the organization's newest tokens and one by its id, without knowing the client first", async () => {
    const page = await consolePage(1200, 900);
    await page.fill("#org-key", ORG_KEY);
    await page.click("#key-use");
    await page.locator("#key-status.ok").waitFor();
    // placeholders read as examples, never as filled-in values (issue 34)
    for (const id of ["org-key", "mint-client", "mint-metadata", "revoke-reason", "revoke-all-reason", "list-client",
      "list-token-id"]) {
      assert.match(await page.getAttribute(`#${id}`, "placeholder"), /^(for example|any |paste )/, id);
    }
    const client = unique("console-find");
    await page.fill("#mint-client", client);
    await page.click("#mint");
    await page.locator("#mint-result").getByText("Minted token").waitFor();
    const tokenId = (await page.textContent("#mint-result")).match(/Minted token (\S+) for/)[1];
    tokensSeen.push(await page.inputValue("#token"));

    await page.fill("#list-client", "");
    await page.click("#list");
    await page.locator("#list-result").getByText("of your organization, newest first.").waitFor();
    // which node answered, beside the answer
    assert.match(await page.textContent("#list-result .node"), answeredBy());
    assert.match(await page.textContent("#key-status .node"), answeredBy());
    const row = page.locator("#tokens tbody tr", { hasText: tokenId });
    assert.equal(await row.locator('td[data-label="client_id"]').textContent(), client);
    for (const time of await page.locator('#tokens td[data-label="issued"], #tokens td[data-label="expires"]')
      .allTextContents()) {
      assert.match(time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }

    await page.fill("#list-token-id", tokenId);
    await page.click("#list");
    await page.locator("#list-result").getByText(`1 token(s) with token_id ${tokenId}, newest first.`).waitFor();
    assert.equal(await page.locator("#tokens tbody tr").count(), 1);
    await page.fill("#list-token-id", "no-such-token");
    await page.click("#list");
    await page.locator("#list-result").getByText("No tokens with token_id no-such-token.").waitFor();
    assert.equal(await page.isHidden("#tokens"), true);
    await shot(page, "console-find");

    // the organization's upstream (the harness sets LATCHKEY_UPSTREAM_URL for the default org), no secret
    await page.click("#upstream-show");
    await page.locator("#upstream:not([hidden])").waitFor();
    assert.equal(await page.textContent("#upstream-url"), `${env.appOrigin}/upstream`);
    assert.equal(await page.textContent("#upstream-messages-url"), `${env.appOrigin}/upstream-messages`);
    assert.match(await page.textContent("#upstream-updated"), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.doesNotMatch(await page.content(), /lks-/, "the signing secret is never on the page");
    await page.close();
  });

  test("an organization's limits: listed, shown, changed, refused with the service's detail, each with its node",
    async () => {
      const name = unique("console-limits");
      const created = await admin(env.latchkey, "POST", "orgs", { name });
      assert.equal(created.status, 201);
      const orgId = created.json.org_id;
      const stored = async () => (await admin(env.latchkey, "GET", `orgs/${orgId}/limits`)).json;
      const page = await consolePage(1200, 900);
      const result = "#limits-result";
      const failed = (text) => page.locator(`${result}.error`).getByText(text, { exact: true }).waitFor();

      // no admin key, no request
      await page.fill("#limits-org", orgId);
      await page.click("#limits-show");
      await failed("Enter the admin key first: it is used for one request, then the field is emptied.");

      // list the organizations with the key (then emptied), choose the new one
      await page.fill("#limits-org", "");
      await page.fill("#limits-admin-key", ADMIN_KEY);
      await page.click("#orgs-list");
      const row = page.locator("#orgs tbody tr", { hasText: name });
      await row.waitFor();
      assert.equal(await page.inputValue("#limits-admin-key"), "", "the admin key field is emptied");
      assert.match(await page.textContent(`${result} .node`), answeredBy());
      await row.getByRole("button", { name: "Choose" }).click();
      assert.equal(await page.inputValue("#limits-org"), orgId);

      await page.fill("#limits-admin-key", ADMIN_KEY);
      await page.click("#limits-show");
      await page.locator(result).getByText(`Limits per client of ${orgId}:`).waitFor();
      assert.equal(await page.textContent(`${result} pre`),
        "max_active_tokens: unlimited\nmax_sockets: unlimited\nrate: unlimited");
      assert.match(await page.textContent(`${result} .node`), answeredBy());

      await page.fill("#limits-tokens", "2");
      await page.selectOption("#limits-tokens-action", "revoke_oldest");
      await page.fill("#limits-rate", "10");
      await page.fill("#limits-burst", "20");
      await page.fill("#limits-admin-key", ADMIN_KEY);
      await page.click("#limits-save");
      await page.locator(result).getByText("Saved: every node applies these limits now.").waitFor();
      assert.equal(await page.inputValue("#limits-admin-key"), "");
      assert.equal(await page.textContent(`${result} pre`),
        "max_active_tokens: 2 (revoke_oldest)\nmax_sockets: unlimited\nrate: 10 a second, burst 20");
      assert.match(await page.textContent(`${result} .node`), answeredBy());
      const saved = { max_active_tokens: { limit: 2, on_limit: "revoke_oldest" }, rate: { per_second: 10, burst: 20 } };
      assert.deepEqual(await stored(), saved);

      // refused with the service's own detail; nothing changes
      await page.fill("#limits-tokens", "0");
      await page.fill("#limits-admin-key", ADMIN_KEY);
      await page.click("#limits-save");
      await failed("Error 400: max_active_tokens.limit must be an integer between 1 and 1000000.");
      assert.match(await page.textContent(`${result} .node`), answeredBy());
      await page.fill("#limits-tokens", "2");
      await page.fill("#limits-burst", "");
      await page.fill("#limits-admin-key", ADMIN_KEY);
      await page.click("#limits-save");
      await failed("Error 400: rate.burst is required.");
      await page.fill("#limits-burst", "20");
      await page.fill("#limits-admin-key", "not-the-admin-key");
      await page.click("#limits-save");
      await failed("Error 401: Invalid admin key. Check it against LATCHKEY_ADMIN_KEY.");
      assert.equal(await page.locator(`${result} .node`).count(), 0, "a refused key learns no node name");
      await page.fill("#limits-org", "no-such-org");
      await page.fill("#limits-admin-key", ADMIN_KEY);
      await page.click("#limits-show");
      await failed("Error 404: Organization not found. Check the org_id: List organizations shows them.");
      assert.deepEqual(await stored(), saved, "the refusals changed nothing");

      // a fresh page shows what the service holds
      await page.reload();
      await page.fill("#limits-org", orgId);
      await page.fill("#limits-admin-key", ADMIN_KEY);
      await page.click("#limits-show");
      await page.locator(result).getByText(`Limits per client of ${orgId}:`).waitFor();
      assert.deepEqual(await Promise.all(["#limits-tokens", "#limits-tokens-action", "#limits-sockets",
        "#limits-sockets-action", "#limits-rate", "#limits-burst"].map((id) => page.inputValue(id))),
      ["2", "revoke_oldest", "", "refuse", "10", "20"]);
      await shot(page, "console-limits");

      // every field emptied: asked first; dismissed, nothing is sent (the key stays in its field); accepted, all go
      for (const id of ["#limits-tokens", "#limits-rate", "#limits-burst"]) await page.fill(id, "");
      await page.fill("#limits-admin-key", ADMIN_KEY);
      page.once("dialog", (dialog) => dialog.dismiss());
      await page.click("#limits-save");
      await page.locator(result).getByText("Nothing changed.").waitFor();
      assert.deepEqual(await stored(), saved);
      page.once("dialog", (dialog) => dialog.accept());
      await page.click("#limits-save");
      await page.locator(result).getByText("Saved: every node applies these limits now.").waitFor();
      assert.deepEqual(await stored(), {});
      assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length), 0,
        "nothing stored");
      assert.equal(await page.evaluate((key) => [...document.querySelectorAll("input")].some((i) => i.value === key)
        || document.documentElement.outerHTML.includes(key), ADMIN_KEY), false, "the admin key is nowhere on the page");
      await page.close();
    });

  for (const [name, width, height] of [["desktop", 1200, 900], ["phone", 390, 844]]) {
    test(`mint, introspect, live socket, list, revoke one and all by clicking (${name})`, async () => {
      const page = await consolePage(width, height);
      const client = unique(`console-${name}`);
      assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length), 0);

      await page.fill("#org-key", ORG_KEY);
      await page.click("#key-use");
      assert.equal(await page.inputValue("#org-key"), "", "the key field is emptied");
      await page.locator("#key-status.ok").waitFor();
      assert.match(await page.textContent("#key-status"), /Key accepted/);

      await page.fill("#mint-client", client);
      await page.fill("#mint-duration", "600");
      await page.fill("#mint-metadata", '{"plan": "pro"}');
      await page.click("#mint");
      await page.locator("#mint-result:not(.error)").waitFor();
      assert.match(await page.textContent("#mint-result"), new RegExp(`Minted token .* for ${client}`));
      const token = await page.inputValue("#token");
      tokensSeen.push(token);
      assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);

      await page.click("#introspect");
      await page.locator("#token-result").getByText("Active token").waitFor();
      assert.match(await page.textContent("#token-result"), /"plan": "pro"/);

      await page.click("#socket-open");
      await page.locator("#socket-log").getByText('"type":"session"').waitFor();
      assert.equal(await page.textContent("#socket-state"), "open");
      // every time the console shows is UTC ISO, like the API's (issue 34)
      assert.match(await page.locator("#socket-log li").first().textContent(),
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z connecting/);

      await page.click("#list");
      await page.locator("#tokens tbody tr").first().waitFor();
      assert.equal(await page.locator("#tokens tbody tr").count(), 1);
      assert.equal(await page.textContent("#tokens tbody tr td.state.active"), "active");
      await shot(page, `console-${name}-live`);

      await page.fill("#revoke-reason", "lost phone");
      await page.click("#revoke");
      await page.locator("#token-result").getByText("Token successfully revoked").waitFor();
      await page.locator("#socket-log").getByText("closed 4401 Token has been revoked").waitFor();
      assert.equal(await page.textContent("#socket-state"), "closed 4401");

      await page.click("#introspect");
      await page.locator("#token-result").getByText("Inactive").waitFor();

      await page.click("#list");
      await page.locator("#tokens td.revoked").waitFor();
      assert.match(await page.textContent("#tokens tbody tr"), /lost phone/);

      // a second token, then revoke all of the client's tokens
      await page.click("#mint");
      await page.locator("#mint-result").getByText("Minted token").waitFor();
      tokensSeen.push(await page.inputValue("#token"));
      await page.fill("#revoke-all-reason", "account closed");
      // the console asks first: dismissed, nothing is revoked; accepted, every token of the client is
      page.once("dialog", (dialog) => dialog.dismiss());
      await page.click("#revoke-all");
      await page.locator("#list-result").getByText("Nothing revoked.").waitFor();
      page.once("dialog", (dialog) => dialog.accept());
      await page.click("#revoke-all");
      await page.locator("#list-result").getByText("All tokens for client successfully revoked: 1 revoked.").waitFor();
      assert.equal(await page.locator("#tokens tbody tr").count(), 2);
      assert.equal(await page.locator("#tokens td.revoked").count(), 2);
      assert.match(await page.textContent("#tokens tbody"), /account closed/);
      // the revocation feed's last entries: the revocation of every token of the client is the newest
      await page.click("#feed-show");
      await page.locator("#feed-result").getByText("still matter").waitFor();
      assert.match(await page.textContent("#feed tbody tr:last-child"), /every token of/);
      await shot(page, `console-${name}-revoked`);
      assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length), 0,
        "nothing stored");
      await page.close();
    });
  }
});
