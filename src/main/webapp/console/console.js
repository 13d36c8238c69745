// The org console: same-origin calls to the org endpoints with a key held in this module's memory only.
const API = new URL("../api/v1/", import.meta.url);

/** The org key: in this variable only, never in storage, cookies or the URL. */
let orgKey = null;
/** @type {WebSocket | null} */
let socket = null;
let nextCursor = null;

const $ = (id) => document.getElementById(id);

/** "answered by node X": which node gave the answer (its Latchkey-Node header); nothing when it named none. */
function nodeNote(node) {
  const note = document.createElement("span");
  note.className = "node";
  note.textContent = `answered by node ${node}`;
  return note;
}

function show(box, ok, title, data, node) {
  box.hidden = false;
  box.className = ok ? "result" : "result error";
  box.replaceChildren();
  const strong = document.createElement("strong");
  strong.textContent = title;
  box.append(strong);
  if (data !== undefined) {
    const pre = document.createElement("pre");
    pre.textContent = typeof data === "string" ? data : JSON.stringify(data, null, 2);
    box.append(pre);
  }
  if (node) box.append(nodeNote(node));
}

/** An Error to show, carrying the node that answered (null: none named, e.g. a refused key or no answer). */
function failure(message, node = null) {
  const error = new Error(message);
  error.node = node;
  return error;
}

/** What to tell the operator about a failed answer. */
function explain(status, detail) {
  const hints = {
    "Authorization header is missing": "Enter the org key in step 1 first.",
    "Invalid API key": "The org key is unknown or revoked: check it in step 1.",
    "Authorization header must start with Bearer": "The org key looks malformed: check it in step 1.",
    "Invalid token format": "That is not a token issued by this Latchkey.",
    "Token not found": "This token does not belong to your organization.",
    "No upstream is set for this organization": "The admin sets one with PUT /api/v1/admin/orgs/{org_id}/upstream (docs/gateway.md).",
  };
  const hint = hints[detail] ? " " + hints[detail] : "";
  return `Error ${status}: ${detail}.${hint}`;
}

/**
 * Calls an org endpoint; returns {json, node}: the JSON answer and the node that answered (the Latchkey-Node header),
 * or throws an Error with a readable message.
 */
async function call(method, path, body) {
  if (!orgKey) throw new Error("No org key yet: enter it in step 1 first.");
  let response;
  try {
    response = await fetch(new URL(path, API), {
      method,
      headers: { Authorization: "Bearer " + orgKey, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      cache: "no-store",
      credentials: "omit",
    });
  } catch {
    throw new Error("Could not reach Latchkey: check the network and that the service is running.");
  }
  const node = response.headers.get("Latchkey-Node");
  let json = null;
  try {
    json = await response.json();
  } catch {
    // not JSON: reported below by status
  }
  if (!response.ok) {
    throw failure(explain(response.status, json?.detail ?? response.statusText ?? "unexpected answer"), node);
  }
  return { json, node };
}

/** What to tell the operator about a failed admin answer, beyond the service's detail. */
const adminHints = {
  "Not found": "There is no admin API here: start Latchkey with LATCHKEY_ADMIN_KEY.",
  "Invalid admin key": "Check it against LATCHKEY_ADMIN_KEY.",
  "Organization not found": "Check the org_id: List organizations shows them.",
};

/**
 * Calls an admin endpoint with the admin key read from its field for this one request: the field is emptied before
 * the request leaves, and the key is kept nowhere. Returns {json, node} like call().
 */
async function adminCall(keyField, method, path, body) {
  const adminKey = $(keyField).value.trim();
  $(keyField).value = "";
  if (!adminKey) throw failure("Enter the admin key first: it is used for one request, then the field is emptied.");
  let response;
  try {
    response = await fetch(new URL(path, API), {
      method,
      headers: { Authorization: "Bearer " + adminKey, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      cache: "no-store",
      credentials: "omit",
    });
  } catch {
    throw failure("Could not reach Latchkey: check the network and that the service is running.");
  }
  const node = response.headers.get("Latchkey-Node");
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = json?.detail ?? response.statusText ?? "unexpected answer";
    const hint = adminHints[detail] ? " " + adminHints[detail] : "";
    throw failure(`Error ${response.status}: ${detail}.${hint}`, node);
  }
  return { json, node };
}

async function run(box, action) {
  try {
    await action();
  } catch (error) {
    show(box, false, error.message, undefined, error.node);
  }
}

// 1. the org key: checked with a harmless listing before it is used
$("key-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const value = $("org-key").value.trim();
  $("org-key").value = "";
  const status = $("key-status");
  if (!value) {
    status.textContent = "Paste an org API key first.";
    status.className = "status error";
    return;
  }
  orgKey = value;
  status.textContent = "Checking the key…";
  status.className = "status";
  try {
    const { node } = await call("GET", "client_tokens?client_id=console-key-check&limit=1");
    status.textContent = "Key accepted. It is held in this page's memory only.";
    if (node) status.append(nodeNote(node));
    status.className = "status ok";
  } catch (error) {
    orgKey = null;
    status.textContent = error.message;
    status.className = "status error";
  }
});
$("key-forget").addEventListener("click", () => {
  orgKey = null;
  $("org-key").value = "";
  $("key-status").textContent = "Key forgotten.";
  $("key-status").className = "status";
});

// 2. mint
$("mint-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const box = $("mint-result");
  run(box, async () => {
    const body = { client_id: $("mint-client").value, duration_secs: Number($("mint-duration").value) };
    const metadataText = $("mint-metadata").value.trim();
    if (metadataText) {
      try {
        body.metadata = JSON.parse(metadataText);
      } catch {
        throw new Error("metadata is not valid JSON: write an object such as {\"plan\": \"pro\"}.");
      }
    }
    const { json: minted, node } = await call("POST", "generate_access_token", body);
    $("token").value = minted.access_token;
    $("list-client").value = body.client_id;
    show(box, true, `Minted token ${minted.token_id} for ${body.client_id}, expires ${minted.expires_at}. It is in step 3.`,
      undefined, node);
  });
});

// 3. one token
const token = () => $("token").value.trim();

$("introspect").addEventListener("click", () => {
  const box = $("token-result");
  run(box, async () => {
    const { json: answer, node } = await call("POST", "introspect", { access_token: token() });
    show(box, answer.active, answer.active ? "Active token" : "Inactive: revoked, expired, unknown or not yours", answer,
      node);
  });
});

$("revoke").addEventListener("click", () => {
  const box = $("token-result");
  run(box, async () => {
    const reason = $("revoke-reason").value.trim();
    const { json: answer, node } = await call("POST", "revoke_token",
      { access_token: token(), ...(reason ? { reason } : {}) });
    show(box, true, answer.message, undefined, node);
  });
});

function logLine(text) {
  const item = document.createElement("li");
  item.textContent = `${new Date().toISOString()} ${text}`; // UTC, like every time the API shows
  $("socket-log").append(item);
  item.scrollIntoView({ block: "nearest" });
}

function socketState(text, cls = "") {
  const badge = $("socket-state");
  badge.textContent = text;
  badge.className = "badge " + cls;
  $("socket-close").disabled = !socket;
  $("socket-send").disabled = !socket || text !== "open";
}

$("socket-open").addEventListener("click", () => {
  const jwt = token();
  if (!jwt) {
    show($("token-result"), false, "Mint or paste a token first: the live socket connects as that client.");
    return;
  }
  socket?.close(1000);
  const url = new URL("client_ws", API);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.search = "client_key=" + encodeURIComponent("Bearer " + jwt);
  const ws = new WebSocket(url);
  socket = ws;
  socketState("connecting");
  logLine("connecting…");
  ws.onopen = () => {
    socketState("open", "open");
    logLine("open");
  };
  ws.onmessage = (event) => logLine("← " + event.data);
  ws.onclose = (event) => {
    if (socket === ws) socket = null;
    const why = event.code === 1006
      ? " (refused or lost: introspect the token, or check LATCHKEY_ALLOWED_ORIGINS includes this console's origin)"
      : "";
    socketState(`closed ${event.code}`, event.code === 4401 ? "closed-4401" : "");
    logLine(`closed ${event.code}${event.reason ? " " + event.reason : ""}${why}`);
  };
});
$("socket-close").addEventListener("click", () => socket?.close(1000));

// {"type": "send"}: the reply (or error) with the same id shows in the log like every other message
let sent = 0;
$("socket-send").addEventListener("click", () => {
  let data;
  try {
    data = JSON.parse($("socket-send-data").value);
  } catch {
    logLine("not sent: the message must be JSON");
    return;
  }
  const text = JSON.stringify({ type: "send", id: `console-${++sent}`, data });
  if (socket?.readyState === WebSocket.OPEN) {
    socket.send(text);
    logLine("→ " + text);
  }
});

// 4. find tokens: a client's, one by its id, or the organization's newest
function cell(row, label, text, cls) {
  const td = document.createElement("td");
  td.dataset.label = label;
  td.textContent = text ?? "—";
  if (cls) td.className = cls;
  row.append(td);
}

async function listTokens(append) {
  const client = $("list-client").value;
  const tokenId = $("list-token-id").value.trim();
  const query = new URLSearchParams({ limit: "20" });
  if (client) query.set("client_id", client);
  if (tokenId) query.set("token_id", tokenId);
  if (append && nextCursor) query.set("cursor", nextCursor);
  const { json: answer, node } = await call("GET", "client_tokens?" + query);
  const body = $("tokens").querySelector("tbody");
  if (!append) body.replaceChildren();
  const now = Date.now();
  for (const t of answer.tokens) {
    const row = document.createElement("tr");
    const state = t.revoked_at ? "revoked" : Date.parse(t.expires_at) <= now ? "expired" : "active";
    cell(row, "token_id", t.token_id);
    cell(row, "client_id", t.client_id);
    cell(row, "issued", t.issued_at);
    cell(row, "expires", t.expires_at);
    cell(row, "state", state, `state ${state}`);
    cell(row, "revocation reason", t.revoked_at ? (t.revocation_reason ?? "(no reason given)") : null);
    body.append(row);
  }
  nextCursor = answer.next_cursor ?? null;
  $("list-more").hidden = !nextCursor;
  $("tokens").hidden = body.children.length === 0;
  const whose = tokenId ? `with token_id ${tokenId}${client ? ` of ${client}` : ""}`
    : client ? `of ${client}` : "of your organization";
  show($("list-result"), true, body.children.length === 0
    ? `No tokens ${whose}.` : `${body.children.length} token(s) ${whose}, newest first.`, undefined, node);
}

$("list-form").addEventListener("submit", (event) => {
  event.preventDefault();
  run($("list-result"), () => listTokens(false));
});
$("list-more").addEventListener("click", () => run($("list-result"), () => listTokens(true)));

$("revoke-all").addEventListener("click", () => {
  const box = $("list-result");
  run(box, async () => {
    const client = $("list-client").value;
    if (!client) throw new Error("Enter the client_id above first: revoking all is for one client.");
    if (!window.confirm(`Revoke every token of client ${client}? Its open connections close at once.`)) {
      show(box, true, "Nothing revoked.");
      return;
    }
    const reason = $("revoke-all-reason").value.trim();
    const { json: answer, node } = await call("POST", "revoke_client_tokens",
      { client_id: client, ...(reason ? { reason } : {}) });
    await listTokens(false);
    show(box, true, `${answer.message}: ${answer.revoked_count} revoked.`, undefined, node);
  });
});

// 5. the revocation feed: its last entries (the whole deny-list, of which the newest 20)
$("feed-show").addEventListener("click", () => run($("feed-result"), async () => {
  const { json: answer, node } = await call("GET", "revocations");
  const body = $("feed").querySelector("tbody");
  body.replaceChildren();
  for (const entry of answer.revocations.slice(-20)) {
    const row = document.createElement("tr");
    cell(row, "cursor", entry.cursor);
    cell(row, "kind", entry.kind);
    cell(row, "token or client", entry.kind === "token" ? `${entry.token_id} (${entry.client_id})`
      : `every token of ${entry.client_id} issued before ${entry.issued_before}`);
    cell(row, "revoked", entry.revoked_at);
    cell(row, "until", entry.expires_at ?? "—");
    body.append(row);
  }
  $("feed").hidden = body.children.length === 0;
  show($("feed-result"), true, body.children.length === 0 ? "No revocation still matters."
    : `${answer.revocations.length} revocation(s) still matter; the last ${body.children.length} shown. `
      + `Next cursor: ${answer.next_cursor}.`, undefined, node);
}));

// 6. the organization's upstream, read with the org key (never its signing secret)
$("upstream-show").addEventListener("click", () => {
  const box = $("upstream-result");
  $("upstream").hidden = true;
  box.hidden = true;
  run(box, async () => {
    const { json: answer, node } = await call("GET", "upstream");
    $("upstream-url").textContent = answer.url;
    $("upstream-messages-url").textContent = answer.messages_url ?? "(none: socket messages are not forwarded)";
    $("upstream-updated").textContent = answer.updated_at;
    $("upstream").hidden = false;
    show(box, true, "The organization's upstream.", undefined, node);
  });
});

// 7. the signing keys: the admin key is read from its field for this request only, then the field is cleared
$("ring-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const box = $("ring-result");
  run(box, async () => {
    const { json, node } = await adminCall("admin-key", "GET", "admin/signing_keys");
    const body = $("ring-keys").querySelector("tbody");
    body.replaceChildren();
    for (const key of json.keys) {
      const row = document.createElement("tr");
      cell(row, "kid", key.kid);
      cell(row, "algorithm", key.alg);
      cell(row, "state", key.state, `state ${key.state}`);
      cell(row, "created", key.created_at);
      body.append(row);
    }
    $("ring-keys").hidden = body.children.length === 0;
    show(box, true, `${body.children.length} key(s), oldest first.`, undefined, node);
  });
});

// 8. limits per client of one organization: read and replaced with the admin key, one request per entry of the key
const limitsBox = () => $("limits-result");

$("orgs-list").addEventListener("click", () => run(limitsBox(), async () => {
  const { json, node } = await adminCall("limits-admin-key", "GET", "admin/orgs");
  const body = $("orgs").querySelector("tbody");
  body.replaceChildren();
  for (const org of json.orgs) {
    const row = document.createElement("tr");
    cell(row, "name", org.name);
    cell(row, "org_id", org.org_id);
    cell(row, "created", org.created_at);
    const td = document.createElement("td");
    td.className = "action";
    const choose = document.createElement("button");
    choose.type = "button";
    choose.className = "secondary";
    choose.textContent = "Choose";
    choose.addEventListener("click", () => {
      $("limits-org").value = org.org_id;
      $("orgs").hidden = true;
      show(limitsBox(), true, `Chose ${org.name} (${org.org_id}): enter the admin key again, then Show limits.`);
    });
    td.append(choose);
    row.append(td);
    body.append(row);
  }
  $("orgs").hidden = body.children.length === 0;
  show(limitsBox(), true, `${body.children.length} organization(s), oldest first: choose one.`, undefined, node);
}));

/** The path of the chosen organization's limits; throws before the admin key is used when none is chosen. */
function limitsPath() {
  const orgId = $("limits-org").value.trim();
  if (!orgId) throw failure("Enter an org_id first: List organizations shows them.");
  return `admin/orgs/${encodeURIComponent(orgId)}/limits`;
}

/** A field's number as JSON, or its text as typed when it is not one: the service's answer names the member. */
function limitValue(id) {
  const text = $(id).value.trim();
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

const filled = (id) => $(id).value.trim() !== "";

/** The PUT body from the fields: an empty limit is left out (unlimited). */
function limitsBody() {
  const body = {};
  if (filled("limits-tokens")) {
    body.max_active_tokens = { limit: limitValue("limits-tokens"), on_limit: $("limits-tokens-action").value };
  }
  if (filled("limits-sockets")) {
    body.max_sockets = { limit: limitValue("limits-sockets"), on_limit: $("limits-sockets-action").value };
  }
  if (filled("limits-rate") || filled("limits-burst")) {
    body.rate = {};
    if (filled("limits-rate")) body.rate.per_second = limitValue("limits-rate");
    if (filled("limits-burst")) body.rate.burst = limitValue("limits-burst");
  }
  return body;
}

function fillLimits(limits) {
  $("limits-tokens").value = limits.max_active_tokens?.limit ?? "";
  $("limits-tokens-action").value = limits.max_active_tokens?.on_limit ?? "refuse";
  $("limits-sockets").value = limits.max_sockets?.limit ?? "";
  $("limits-sockets-action").value = limits.max_sockets?.on_limit ?? "refuse";
  $("limits-rate").value = limits.rate?.per_second ?? "";
  $("limits-burst").value = limits.rate?.burst ?? "";
}

function describeLimits(limits) {
  const cap = (limit) => limit ? `${limit.limit} (${limit.on_limit})` : "unlimited";
  return [
    `max_active_tokens: ${cap(limits.max_active_tokens)}`,
    `max_sockets: ${cap(limits.max_sockets)}`,
    `rate: ${limits.rate ? `${limits.rate.per_second} a second, burst ${limits.rate.burst}` : "unlimited"}`,
  ].join("\n");
}

$("limits-show").addEventListener("click", () => run(limitsBox(), async () => {
  const path = limitsPath();
  const { json, node } = await adminCall("limits-admin-key", "GET", path);
  fillLimits(json);
  show(limitsBox(), true, `Limits per client of ${$("limits-org").value.trim()}:`, describeLimits(json), node);
}));

$("limits-save").addEventListener("click", () => run(limitsBox(), async () => {
  const path = limitsPath();
  const body = limitsBody();
  if (Object.keys(body).length === 0
    && !window.confirm("Every field is empty: remove every limit of this organization?")) {
    show(limitsBox(), true, "Nothing changed.");
    return;
  }
  const { json, node } = await adminCall("limits-admin-key", "PUT", path, body);
  fillLimits(json);
  show(limitsBox(), true, "Saved: every node applies these limits now.", describeLimits(json), node);
}));
