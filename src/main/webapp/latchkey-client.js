// latchkey-client.js: keeps a browser client's Latchkey session alive. Dependency-free ES module.
// Served by Latchkey itself at /latchkey-client.js; documented in docs/browser.md.

/**
 * @typedef {object} LatchkeyClientOptions
 * @property {string} baseUrl Latchkey's address, e.g. "https://latchkey.example.com" (no trailing path needed).
 * @property {() => Promise<string>} getToken Asks the app's own backend for a fresh client JWT. Called when the
 *   client has no token yet, after a 401 "Token has expired", and when the socket is told `token_expiring`.
 */

/**
 * @typedef {object} LatchkeySession
 * @property {"session"} type
 * @property {string} client_id
 * @property {string} token_id
 * @property {string} expires_at
 * @property {number} expires_in
 */

/**
 * @typedef {"connecting" | "open" | "waiting" | "revoked" | "closed"} LatchkeySocketState
 * `waiting`: between a lost connection and the next attempt. `revoked` and `closed` are final.
 */

/**
 * @typedef {object} LatchkeySocketOptions
 * @property {(session: LatchkeySession) => void} [onSession] On open and after every successful reauth.
 * @property {(data: unknown) => void} [onMessage] A message the organization pushed to this client.
 * @property {(reason: string) => void} [onRevoked] The token was revoked: the socket stopped for good.
 * @property {(reason: string) => void} [onLimited] Closed 4429 because the client opened more sockets than its
 *   organization allows (max_sockets, close_oldest; docs/limits.md): the socket stopped for good, so that two
 *   tabs do not take turns closing each other.
 * @property {(state: LatchkeySocketState) => void} [onStateChange]
 * @property {(error: Error) => void} [onError] A non-fatal problem: a failed reauth, a `getToken()` failure...
 * @property {number} [minRetryMs=1000] First delay before reconnecting after a network loss.
 * @property {number} [maxRetryMs=30000] Longest delay between reconnection attempts.
 */

export const TOKEN_EXPIRED = "Token has expired";
export const TOKEN_REVOKED = "Token has been revoked";
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_TOO_MANY = 4429;
export const RATE_EXCEEDED = "Rate limit exceeded";

/**
 * How long to wait before trying again after a 429 (docs/limits.md): its `Retry-After` in milliseconds, or null
 * for any other answer. @param {Response} response @returns {number | null}
 */
export function retryAfterMs(response) {
  if (response.status !== 429) return null;
  const seconds = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
}

export class LatchkeyClient {
  /** @type {string} */ #baseUrl;
  /** @type {() => Promise<string>} */ #getToken;
  /** @type {string | null} */ #token = null;
  /** @type {Promise<string> | null} */ #pending = null;

  /** @param {LatchkeyClientOptions} options */
  constructor({ baseUrl, getToken }) {
    if (typeof baseUrl !== "string" || !baseUrl) throw new TypeError("baseUrl is required");
    if (typeof getToken !== "function") throw new TypeError("getToken must be an async function");
    this.#baseUrl = baseUrl.replace(/\/+$/, "");
    this.#getToken = getToken;
  }

  /** The current token, asking `getToken()` only when there is none yet. @returns {Promise<string>} */
  async token() {
    return this.#token ?? this.refresh();
  }

  /**
   * Asks `getToken()` for a fresh token and keeps it. Concurrent callers share one call.
   * @param {string | null} [stale] the token found wanting: if another caller already replaced it, that newer
   *   token is returned without asking again
   * @returns {Promise<string>}
   */
  async refresh(stale = null) {
    if (stale !== null && this.#token !== null && this.#token !== stale) return this.#token;
    if (!this.#pending) {
      this.#pending = (async () => {
        try {
          const token = await this.#getToken();
          if (typeof token !== "string" || !token) throw new Error("getToken() returned no token");
          this.#token = token;
          return token;
        } finally {
          this.#pending = null;
        }
      })();
    }
    return this.#pending;
  }

  /** Latchkey's address for a path such as "/api/v1/client_api". @param {string} path */
  url(path) {
    return this.#baseUrl + (path.startsWith("/") ? path : "/" + path);
  }

  /**
   * `fetch` on Latchkey with `Authorization: Bearer <token>`. On a 401 "Token has expired" it gets a new
   * token once and retries once; any other answer, errors included, is returned as it is.
   * A body given as a stream cannot be sent twice: use a string, Blob, FormData or URLSearchParams.
   * @param {string} path e.g. "/api/v1/client_api"
   * @param {RequestInit} [init]
   * @returns {Promise<Response>}
   */
  async fetch(path, init = {}) {
    const token = await this.token();
    const response = await this.#send(path, init, token);
    if (response.status !== 401 || (await detailOf(response)) !== TOKEN_EXPIRED) return response;
    return this.#send(path, init, await this.refresh(token));
  }

  /**
   * Opens a live socket on /api/v1/client_ws that follows the token: see {@link LatchkeySocket}.
   * @param {LatchkeySocketOptions} [options]
   * @returns {LatchkeySocket}
   */
  connect(options = {}) {
    return new LatchkeySocket(this, options);
  }

  /** @param {string} path @param {RequestInit} init @param {string} token */
  #send(path, init, token) {
    const headers = new Headers(init.headers);
    headers.set("Authorization", "Bearer " + token);
    return fetch(this.url(path), { ...init, headers });
  }
}

/** The `detail` of a JSON error answer, or null. Reads a clone: the caller can still read the body. */
async function detailOf(/** @type {Response} */ response) {
  try {
    const body = await response.clone().json();
    return typeof body?.detail === "string" ? body.detail : null;
  } catch {
    return null;
  }
}

/**
 * A WebSocket on /api/v1/client_ws that stays authorized with no effort from the app:
 * - `token_expiring` → `getToken()` and `reauth` on the same connection (no reconnect);
 * - a lost connection (restart, network) → reconnects with exponential backoff and a fresh look at the token;
 * - close 4401 "Token has expired" (no reauth in time) → reconnects at once with a new token;
 * - close 4401 "Token has been revoked" → stops for good and calls `onRevoked`: a revoked client does not come
 *   back by itself, whatever `getToken()` would say.
 */
export class LatchkeySocket {
  /** @type {LatchkeyClient} */ #client;
  /** @type {LatchkeySocketOptions} */ #options;
  /** @type {WebSocket | null} */ #socket = null;
  /** @type {LatchkeySocketState} */ #state = "connecting";
  /** @type {ReturnType<typeof setTimeout> | null} */ #timer = null;
  /** @type {WeakMap<WebSocket, string>} the token governing each connection */ #tokens = new WeakMap();
  /** @type {Map<string, {resolve: (data: unknown) => void, reject: (error: Error) => void}>} */ #sends = new Map();
  #nextSendId = 0;
  #retryMs;
  #attempts = 0;

  /** @param {LatchkeyClient} client @param {LatchkeySocketOptions} options */
  constructor(client, options) {
    this.#client = client;
    this.#options = options;
    this.#retryMs = options.minRetryMs ?? 1000;
    this.#open();
  }

  /** @returns {LatchkeySocketState} */
  get state() {
    return this.#state;
  }

  /** How many WebSocket connections this wrapper has opened so far. */
  get attempts() {
    return this.#attempts;
  }

  /** Sends `{"type":"ping"}`; the server answers `pong`. Returns false when not connected. */
  ping() {
    return this.#sendJson({ type: "ping" });
  }

  /**
   * Sends `data` to the organization (`{"type": "send"}`, POSTed by Latchkey to the org's messages URL) and
   * resolves with the organization's JSON answer. Rejects with an Error whose message is Latchkey's detail
   * ("Upstream timed out", "Messages are not enabled for this organization"...), or "Not connected" /
   * "Connection closed" when the socket is not open or closes before the answer.
   * @param {unknown} data any JSON value
   * @returns {Promise<unknown>}
   */
  send(data) {
    const id = "s" + (++this.#nextSendId);
    return new Promise((resolve, reject) => {
      this.#sends.set(id, { resolve, reject });
      if (!this.#sendJson({ type: "send", id, data })) {
        this.#sends.delete(id);
        reject(new Error("Not connected"));
      }
    });
  }

  /** Closes the socket for good (code 1000). */
  close() {
    this.#stop("closed");
    this.#failSends();
    this.#socket?.close(1000);
  }

  async #open() {
    if (this.#final()) return;
    this.#setState("connecting");
    let token;
    try {
      token = await this.#client.token();
    } catch (error) {
      this.#report(error);
      this.#retryLater();
      return;
    }
    if (this.#final()) return;
    const url = this.#client.url("/api/v1/client_ws").replace(/^http/, "ws")
      + "?client_key=" + encodeURIComponent("Bearer " + token);
    const socket = new WebSocket(url);
    this.#socket = socket;
    this.#tokens.set(socket, token);
    this.#attempts += 1;
    let opened = false;
    socket.onopen = () => { opened = true; };
    socket.onmessage = (event) => this.#onMessage(socket, event);
    socket.onclose = (event) => {
      if (socket !== this.#socket) return;
      this.#socket = null;
      this.#failSends();
      this.#onClose(event, opened, token);
    };
  }

  /** @param {WebSocket} socket @param {MessageEvent} event */
  async #onMessage(socket, event) {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    switch (message?.type) {
      case "session":
        this.#retryMs = this.#options.minRetryMs ?? 1000;
        this.#setState("open");
        this.#options.onSession?.(message);
        break;
      case "token_expiring":
        try {
          const fresh = await this.#client.refresh(this.#tokenOf(socket));
          if (socket === this.#socket && socket.readyState === WebSocket.OPEN) {
            socket.send(JSON.stringify({ type: "reauth", access_token: fresh }));
            this.#tokens.set(socket, fresh);
          }
        } catch (error) {
          this.#report(error); // the expiry close that follows reconnects with a new token
        }
        break;
      case "message":
        this.#options.onMessage?.(message.data);
        break;
      case "reply":
        this.#settle(message.id)?.resolve(message.data);
        break;
      case "error": {
        const send = typeof message.id === "string" ? this.#settle(message.id) : null;
        if (send) send.reject(new Error(String(message.detail)));
        else this.#report(new Error(String(message.detail)));
        break;
      }
      default:
        break; // pong, and types this version does not know
    }
  }

  /** The waiting `send` with this id, removed from the waiting ones. @param {string} id */
  #settle(id) {
    const send = this.#sends.get(id);
    this.#sends.delete(id);
    return send ?? null;
  }

  /** A closed connection answers no waiting `send`: they fail rather than hang. */
  #failSends() {
    for (const send of this.#sends.values()) send.reject(new Error("Connection closed"));
    this.#sends.clear();
  }

  /** @param {WebSocket} socket */
  #tokenOf(socket) {
    return this.#tokens.get(socket) ?? null;
  }

  /** @param {CloseEvent} event @param {boolean} opened @param {string} token */
  async #onClose(event, opened, token) {
    if (this.#final()) return;
    if (event.code === CLOSE_UNAUTHORIZED && event.reason === TOKEN_REVOKED) {
      this.#revoked();
      return;
    }
    if (event.code === CLOSE_TOO_MANY) {
      this.#stop("closed");
      this.#options.onLimited?.(event.reason);
      return;
    }
    if (event.code === CLOSE_UNAUTHORIZED) { // "Token has expired": the app's next token is needed now
      this.#retryWith(() => this.#client.refresh(this.#tokenOf(event.target) ?? token), 0);
      return;
    }
    if (!opened) {
      // A refused handshake shows the page only a 1006: ask the REST API why, with the same token.
      const detail = await this.#whyRefused(token);
      if (this.#final()) return;
      if (detail === TOKEN_REVOKED) {
        this.#revoked();
        return;
      }
      if (detail !== null) {
        this.#retryWith(() => this.#client.refresh(token), this.#nextDelay());
        return;
      }
    }
    this.#retryLater();
  }

  /** The 401 detail of GET /client_api with this token, or null when it passes or can't be reached. */
  async #whyRefused(/** @type {string} */ token) {
    try {
      const response = await fetch(this.#client.url("/api/v1/client_api"),
        { headers: { Authorization: "Bearer " + token } });
      return response.status === 401 ? await detailOf(response) : null;
    } catch {
      return null;
    }
  }

  /** @param {() => Promise<string>} refresh @param {number} delayMs */
  #retryWith(refresh, delayMs) {
    this.#setState("waiting");
    this.#timer = setTimeout(async () => {
      this.#timer = null;
      try {
        await refresh();
      } catch (error) {
        this.#report(error);
      }
      this.#open();
    }, delayMs);
  }

  #retryLater() {
    this.#setState("waiting");
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#open();
    }, this.#nextDelay());
  }

  /** Exponential backoff with jitter, capped at maxRetryMs. */
  #nextDelay() {
    const delay = this.#retryMs;
    this.#retryMs = Math.min(this.#retryMs * 2, this.#options.maxRetryMs ?? 30000);
    return Math.round(delay * (0.8 + Math.random() * 0.4));
  }

  #revoked() {
    this.#stop("revoked");
    this.#options.onRevoked?.(TOKEN_REVOKED);
  }

  /** @param {"revoked" | "closed"} state */
  #stop(state) {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#setState(state);
  }

  #final() {
    return this.#state === "revoked" || this.#state === "closed";
  }

  /** @param {LatchkeySocketState} state */
  #setState(state) {
    if (this.#state === state) return;
    this.#state = state;
    this.#options.onStateChange?.(state);
  }

  /** @param {unknown} message */
  #sendJson(message) {
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  /** @param {unknown} error */
  #report(error) {
    this.#options.onError?.(error instanceof Error ? error : new Error(String(error)));
  }
}
