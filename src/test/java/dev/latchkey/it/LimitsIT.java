package dev.latchkey.it;

import static dev.latchkey.it.Api.ADMIN_KEY;
import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Limits per client on one node ({@code API.md} section 11, {@code docs/limits.md}): the admin API and its
 * validation, {@code max_active_tokens} refusing or revoking the oldest (checked after 8 concurrent mints), and one
 * client's limit never touching another client or organization.
 */
class LimitsIT extends BlackBoxTest {

    static final String RATE_EXCEEDED = "Rate limit exceeded";
    private static TestUpstream upstream;

    @org.junit.jupiter.api.BeforeAll
    static void startUpstream() throws java.io.IOException {
        upstream = new TestUpstream();
    }

    @org.junit.jupiter.api.AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    /**
     * The documented bound on what one client is admitted ({@code docs/limits.md}): in T seconds at most
     * {@code max(burst, N) + per_second × T}, T measured from before the first request to after the last.
     */
    static void assertWithinBound(long admitted, int perSecond, int burst, int members, long startNanos, String what) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double bound = Math.max(burst, members) + perSecond * seconds;
        org.junit.jupiter.api.Assertions.assertTrue(admitted <= bound,
                () -> what + ": admitted " + admitted + " in " + seconds + " s, bound " + bound);
        org.junit.jupiter.api.Assertions.assertTrue(admitted >= Math.min(burst, 1), () -> what + ": admitted " + admitted);
    }

    /** A 429 of the rate, with its headers (draft-ietf-httpapi-ratelimit-headers-10). */
    static void assertRateRefusal(Api.Reply reply, int perSecond) {
        reply.assertError(429, RATE_EXCEEDED);
        String retryAfter = reply.headers().firstValue("Retry-After").orElseThrow();
        org.junit.jupiter.api.Assertions.assertTrue(Long.parseLong(retryAfter) >= 1, retryAfter);
        assertEquals("\"client\";q=" + perSecond + ";w=1", reply.headers().firstValue("RateLimit-Policy").orElse(null));
        assertEquals("\"client\";r=0;t=" + retryAfter, reply.headers().firstValue("RateLimit").orElse(null));
    }

    /** A new organization with the given limits whose upstream is the test upstream. */
    Api orgWithUpstream(String limits) {
        JsonObject org = api.createOrg();
        String orgId = org.getString("org_id");
        Api.Reply put = api.send(api.request("api/v1/admin/orgs/" + orgId + "/upstream", bearer(ADMIN_KEY))
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"url\":\"" + upstream.url()
                        + "/base/\",\"messages_url\":\"" + upstream.url() + "/messages\"}")));
        assertEquals(200, put.status(), put::body);
        assertEquals(200, putLimits(api, orgId, limits).status());
        return new Api(base, org.getString("api_key"));
    }

    static final String TOO_MANY_TOKENS = "Too many active tokens for this client";
    static final int CONCURRENT_MINTS = 8;

    static Api.Reply putLimits(Api api, String orgId, String body) {
        return putLimits(api, ADMIN_KEY, orgId, body);
    }

    static Api.Reply putLimits(Api api, String adminKey, String orgId, String body) {
        return api.send(api.request("api/v1/admin/orgs/" + orgId + "/limits", bearer(adminKey))
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    }

    static Api.Reply getLimits(Api api, String orgId) {
        return api.get("api/v1/admin/orgs/" + orgId + "/limits", bearer(ADMIN_KEY));
    }

    /** A new organization with the given limits, and an Api that mints with its key. */
    Api orgWith(String limits) {
        JsonObject org = api.createOrg();
        Api.Reply put = putLimits(api, org.getString("org_id"), limits);
        assertEquals(200, put.status(), put::body);
        return new Api(base, org.getString("api_key"));
    }

    /** The client's live (unrevoked, unexpired) tokens, from the org's listing. */
    static List<JsonObject> live(Api orgApi, String clientId) {
        Api.Reply reply = orgApi.get("api/v1/client_tokens?limit=100&client_id=" + Api.encode(clientId),
                bearer(orgApi.orgKey()));
        assertEquals(200, reply.status(), reply::body);
        List<JsonObject> live = new ArrayList<>();
        for (JsonValue token : reply.json().getJsonArray("tokens")) {
            if (token.asJsonObject().isNull("revoked_at")) {
                live.add(token.asJsonObject());
            }
        }
        return live;
    }

    static String mintBody(String clientId) {
        return Json.createObjectBuilder().add("client_id", clientId).add("duration_secs", 600).build().toString();
    }

    /** Fires {@value #CONCURRENT_MINTS} mints for one client at once; returns their answers. */
    static List<Api.Reply> concurrentMints(Api orgApi, String clientId) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_MINTS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Api.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < CONCURRENT_MINTS; i++) {
                replies.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return orgApi.post("api/v1/generate_access_token", bearer(orgApi.orgKey()), mintBody(clientId));
                }, pool));
            }
            start.countDown();
            List<Api.Reply> done = new ArrayList<>();
            for (CompletableFuture<Api.Reply> reply : replies) {
                done.add(reply.get(60, TimeUnit.SECONDS));
            }
            return done;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void limitsAreSetAndReadInTheContractsShape() {
        String orgId = api.createOrg().getString("org_id");
        assertEquals("{}", getLimits(api, orgId).json().toString(), "absent: unlimited");
        String body = "{\"max_active_tokens\":{\"limit\":5,\"on_limit\":\"revoke_oldest\"},"
                + "\"max_sockets\":{\"limit\":2,\"on_limit\":\"close_oldest\"},"
                + "\"rate\":{\"per_second\":10,\"burst\":20}}";
        Api.Reply put = putLimits(api, orgId, body);
        assertEquals(200, put.status(), put::body);
        assertEquals(Json.createReader(new java.io.StringReader(body)).readObject(), put.json());
        assertEquals(put.json(), getLimits(api, orgId).json());

        Api.Reply partly = putLimits(api, orgId, "{\"rate\":{\"per_second\":1,\"burst\":1}}");
        assertEquals(200, partly.status(), partly::body);
        assertEquals("{\"rate\":{\"per_second\":1,\"burst\":1}}", getLimits(api, orgId).json().toString(),
                "a PUT replaces every limit: the ones left out are unlimited");
        assertEquals(200, putLimits(api, orgId, "{}").status());
        assertEquals("{}", getLimits(api, orgId).json().toString());
    }

    /**
     * Issue 34: every answer to an accepted org or admin key names the node that answered ({@code Latchkey-Node}:
     * the host name and the HTTP port, {@code LATCHKEY_NODE_NAME} being unset here), errors after the key too; a
     * refused key and the client surfaces never get it (no host name for callers without an accepted key).
     */
    @Test
    void orgAndAdminAnswersNameTheNodeButClientAnswersAndRefusedKeysNever() {
        JsonObject org = api.createOrg();
        String orgId = org.getString("org_id");
        Api.Reply limits = getLimits(api, orgId);
        assertEquals(200, limits.status());
        String node = limits.headers().firstValue(NODE).orElse(null);
        assertTrue(node != null && node.matches("[A-Za-z0-9._-]+:" + base.getPort()), () -> NODE + ": " + node);
        Api orgApi = new Api(base, org.getString("api_key"));
        String token = orgApi.mintToken(Api.uniqueClient(), 600);
        assertEquals(node, orgApi.listTokens("anyone").headers().firstValue(NODE).orElse(null), "org key");
        Api.Reply refused = putLimits(api, orgId, "{\"rate\":{\"per_second\":0,\"burst\":1}}");
        refused.assertError(400, "rate.per_second must be an integer between 1 and 1000000");
        assertEquals(node, refused.headers().firstValue(NODE).orElse(null), "an error after an accepted key");

        assertEquals(java.util.Optional.empty(), putLimits(api, "not-the-admin-key", orgId, "{}").headers()
                .firstValue(NODE), "refused admin key");
        assertEquals(java.util.Optional.empty(), new Api(base, "fl-not-a-key-of-anyone").listTokens("anyone").headers()
                .firstValue(NODE), "refused org key");
        Api.Reply session = api.clientApi(token);
        assertEquals(200, session.status());
        assertEquals(java.util.Optional.empty(), session.headers().firstValue(NODE), "the session path");
    }

    static final String NODE = "Latchkey-Node";

    @Test
    void badLimitsAreRefusedAndChangeNothing() {
        String orgId = api.createOrg().getString("org_id");
        String kept = "{\"max_active_tokens\":{\"limit\":3,\"on_limit\":\"refuse\"}}";
        assertEquals(200, putLimits(api, orgId, kept).status());

        putLimits(api, orgId, "{\"max_tokens\":{}}").assertError(400, "Unknown field: max_tokens");
        putLimits(api, orgId, "{\"max_active_tokens\":5}").assertError(400, "max_active_tokens must be an object");
        putLimits(api, orgId, "{\"max_active_tokens\":{\"limit\":0,\"on_limit\":\"refuse\"}}")
                .assertError(400, "max_active_tokens.limit must be an integer between 1 and 1000000");
        putLimits(api, orgId, "{\"max_active_tokens\":{\"limit\":\"5\",\"on_limit\":\"refuse\"}}")
                .assertError(400, "max_active_tokens.limit must be an integer between 1 and 1000000");
        putLimits(api, orgId, "{\"max_active_tokens\":{\"limit\":1.5,\"on_limit\":\"refuse\"}}")
                .assertError(400, "max_active_tokens.limit must be an integer between 1 and 1000000");
        putLimits(api, orgId, "{\"max_active_tokens\":{\"limit\":5}}")
                .assertError(400, "max_active_tokens.on_limit is required");
        putLimits(api, orgId, "{\"max_active_tokens\":{\"limit\":5,\"on_limit\":\"close_oldest\"}}")
                .assertError(400, "max_active_tokens.on_limit must be one of [refuse, revoke_oldest]");
        putLimits(api, orgId, "{\"max_sockets\":{\"limit\":5,\"on_limit\":\"revoke_oldest\"}}")
                .assertError(400, "max_sockets.on_limit must be one of [close_oldest, refuse]");
        putLimits(api, orgId, "{\"rate\":{\"per_second\":5}}").assertError(400, "rate.burst is required");
        putLimits(api, orgId, "{\"rate\":{\"per_second\":5,\"burst\":2,\"window\":1}}")
                .assertError(400, "Unknown field: window");
        putLimits(api, orgId, "[]").assertError(400, "Request body must be a JSON object");
        putLimits(api, "no-such-org", "{}").assertError(404, "Organization not found");
        api.send(api.request("api/v1/admin/orgs/" + orgId + "/limits", bearer(Api.ORG_KEY))
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))).assertError(401, "Invalid admin key");
        api.get("api/v1/admin/orgs/" + orgId + "/limits", bearer(Api.ORG_KEY)).assertError(401, "Invalid admin key");

        assertEquals(kept, getLimits(api, orgId).json().toString(), "no refused PUT changed anything");
    }

    @Test
    void refuseKeepsEveryClientAtItsLimitUnderConcurrentMints() throws Exception {
        Api orgApi = orgWith("{\"max_active_tokens\":{\"limit\":2,\"on_limit\":\"refuse\"}}");
        String client = Api.uniqueClient();
        List<Api.Reply> replies = concurrentMints(orgApi, client);
        long minted = replies.stream().filter(reply -> reply.status() == 200).count();
        for (Api.Reply reply : replies) {
            if (reply.status() != 200) {
                reply.assertError(429, TOO_MANY_TOKENS);
            }
        }
        assertEquals(2, minted, "exactly the limit was minted");
        assertEquals(2, orgApi.tokenCount(client), "a refused mint stored nothing");

        // another client of the same org, and a client of the same name in another org, are not limited by it
        String other = Api.uniqueClient();
        for (int i = 0; i < 2; i++) {
            orgApi.mintToken(other, 600);
        }
        for (int i = 0; i < 4; i++) {
            api.mintToken(client, 600);
        }
        // a revoked token frees its place
        orgApi.revoke(replies.stream().filter(r -> r.status() == 200).findFirst().orElseThrow()
                .json().getString("access_token"));
        assertEquals(200, orgApi.post("api/v1/generate_access_token", bearer(orgApi.orgKey()), mintBody(client)).status());
        orgApi.post("api/v1/generate_access_token", bearer(orgApi.orgKey()), mintBody(client))
                .assertError(429, TOO_MANY_TOKENS);
    }

    @Test
    void revokeOldestRevokesWithReasonLimitAndClosesItsSockets() throws Exception {
        Api orgApi = orgWith("{\"max_active_tokens\":{\"limit\":3,\"on_limit\":\"revoke_oldest\"}}");
        String client = Api.uniqueClient();
        List<String> tokens = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonObject minted = orgApi.mint(client, 600, null);
            tokens.add(minted.getString("access_token"));
            ids.add(minted.getString("token_id"));
        }
        try (LiveSocket oldest = LiveSocket.open(base, tokens.get(0));
             LiveSocket second = LiveSocket.open(base, tokens.get(1))) {
            oldest.next("session");
            second.next("session");
            String newest = orgApi.mint(client, 600, null).getString("access_token");
            // revoked before the mint answered: refused at once, and its socket closes 4401
            api.clientApi(tokens.get(0)).assertError(401, "Token has been revoked");
            LiveSocket.Closed closed = oldest.closed();
            assertEquals(4401, closed.code(), closed::toString);
            assertEquals("Token has been revoked", closed.reason());
            second.assertAlive();
            assertEquals(200, api.clientApi(newest).status());
        }
        Api.Reply listing = orgApi.listTokens(client);
        JsonObject revoked = listing.json().getJsonArray("tokens").stream().map(JsonValue::asJsonObject)
                .filter(t -> t.getString("token_id").equals(ids.get(0))).findFirst().orElseThrow();
        assertEquals("limit", revoked.getString("revocation_reason"));
        // a revocation like any other: the revocation feed (contract section 10) carries it for offline verifiers
        Api.Reply feed = orgApi.get("api/v1/revocations", Api.bearer(orgApi.orgKey()));
        assertEquals(200, feed.status(), feed.body());
        assertTrue(feed.json().getJsonArray("revocations").stream().map(JsonValue::asJsonObject)
                .anyMatch(entry -> ids.get(0).equals(entry.getString("token_id", null))), feed.body());

        List<Api.Reply> replies = concurrentMints(orgApi, client);
        replies.forEach(reply -> assertEquals(200, reply.status(), reply::body));
        assertEquals(3, live(orgApi, client).size(), "the client never ends above its limit");
    }

    @Test
    void loweringTheLimitRevokesDownToItOnTheNextMint() {
        JsonObject org = api.createOrg();
        Api orgApi = new Api(base, org.getString("api_key"));
        String client = Api.uniqueClient();
        for (int i = 0; i < 5; i++) {
            orgApi.mintToken(client, 600);
        }
        assertEquals(200, putLimits(api, org.getString("org_id"),
                "{\"max_active_tokens\":{\"limit\":2,\"on_limit\":\"revoke_oldest\"}}").status());
        orgApi.mintToken(client, 600);
        assertEquals(2, live(orgApi, client).size());
    }

    @Test
    void theRateHoldsOnTheSessionPathWithItsHeadersAndOnlyForItsClient() {
        Api orgApi = orgWith("{\"rate\":{\"per_second\":2,\"burst\":4}}");
        String client = Api.uniqueClient();
        String token = orgApi.mintToken(client, 600);
        String neighbour = orgApi.mintToken(Api.uniqueClient(), 600);
        String sameNameElsewhere = api.mintToken(client, 600);
        long start = System.nanoTime();
        int admitted = 0;
        int refused = 0;
        for (int i = 0; i < 20; i++) {
            Api.Reply reply = api.clientApi(token);
            if (reply.status() == 200) {
                admitted++;
            } else {
                assertRateRefusal(reply, 2);
                refused++;
            }
        }
        assertWithinBound(admitted, 2, 4, 1, start, "session path");
        org.junit.jupiter.api.Assertions.assertTrue(refused > 0, "20 requests at once go over a burst of 4");
        for (int i = 0; i < 4; i++) { // the burst
            assertEquals(200, api.clientApi(neighbour).status(), "another client of the org has its own bucket");
        }
        for (int i = 0; i < 8; i++) {
            assertEquals(200, api.clientApi(sameNameElsewhere).status(), "the same client_id in another org: no rate");
        }
        // forward auth decisions draw from the same bucket
        Api.Reply decision = api.get("api/v1/forward_auth", bearer(token));
        if (decision.status() != 200) {
            assertRateRefusal(decision, 2);
        }
        String metrics = api.get("metrics", null).body();
        org.junit.jupiter.api.Assertions.assertTrue(PrometheusText.value(metrics, "latchkey_limit_hits_total",
                "action=\"rest\",limit=\"rate\"") >= refused, metrics);
        org.junit.jupiter.api.Assertions.assertFalse(metrics.contains(client), "no client_id on /metrics");
    }

    @Test
    void nothingReachesTheUpstreamOnceTheRateIsExceeded() {
        Api orgApi = orgWithUpstream("{\"rate\":{\"per_second\":1,\"burst\":2}}");
        String token = orgApi.mintToken(Api.uniqueClient(), 600);
        String marker = "m" + java.util.UUID.randomUUID().toString().replace("-", "");
        long start = System.nanoTime();
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            Api.Reply reply = api.get("api/v1/client_api/" + marker + "/" + i, bearer(token));
            if (reply.status() == 200) {
                admitted++;
            } else {
                assertRateRefusal(reply, 1);
            }
        }
        assertWithinBound(admitted, 1, 2, 1, start, "proxy");
        assertEquals(admitted, upstream.requestsWith(marker).size(), "only admitted requests were forwarded");
    }

    @Test
    void socketMessagesCountAndAnOverMessageIsNotForwarded() {
        Api orgApi = orgWithUpstream("{\"rate\":{\"per_second\":1,\"burst\":3}}");
        String token = orgApi.mintToken(Api.uniqueClient(), 600);
        String marker = "m" + java.util.UUID.randomUUID().toString().replace("-", "");
        long start = System.nanoTime();
        int replies = 0;
        int errors = 0;
        try (LiveSocket socket = LiveSocket.open(base, token)) {
            socket.next("session");
            for (int i = 0; i < 8; i++) {
                socket.send("{\"type\":\"send\",\"id\":\"" + marker + i + "\",\"data\":\"" + marker + "\"}");
            }
            for (int i = 0; i < 8; i++) {
                JsonObject message = socket.next();
                if (message.getString("type").equals("reply")) {
                    replies++;
                } else {
                    assertEquals("error", message.getString("type"), message::toString);
                    assertEquals(RATE_EXCEEDED, message.getString("detail"));
                    org.junit.jupiter.api.Assertions.assertTrue(message.getString("id").startsWith(marker));
                    errors++;
                }
            }
            org.junit.jupiter.api.Assertions.assertFalse(socket.isClosed(), "the socket stays open");
        }
        assertWithinBound(replies, 1, 3, 1, start, "socket messages");
        org.junit.jupiter.api.Assertions.assertTrue(errors > 0);
        long forwarded = upstream.received.stream().filter(r -> r.body() != null && r.body().contains(marker)).count();
        assertEquals(replies, forwarded, "only admitted messages were forwarded");
    }

    static final String TOO_MANY_SOCKETS = "Too many connections for this client";

    @Test
    void maxSocketsRefusesTheHandshakeOverTheLimit() throws Exception {
        Api orgApi = orgWith("{\"max_sockets\":{\"limit\":2,\"on_limit\":\"refuse\"}}");
        String client = Api.uniqueClient();
        String first = orgApi.mintToken(client, 600);
        String second = orgApi.mintToken(client, 600);
        try (LiveSocket a = LiveSocket.open(base, first);
             LiveSocket b = LiveSocket.open(base, second);
             LiveSocket other = LiveSocket.open(base, orgApi.mintToken(Api.uniqueClient(), 600))) {
            a.next("session");
            b.next("session");
            other.next("session");
            LiveSocket.refused(LiveSocket.uri(base, first), java.util.Map.of()).assertError(429, TOO_MANY_SOCKETS);
            a.assertAlive();
            b.assertAlive();
            a.close();
            // the close reaches the server's count a moment later: bounded wait for a place
            boolean reopened = false;
            for (int i = 0; i < 50 && !reopened; i++) {
                reopened = LiveSocket.accepted(base, first);
                if (!reopened) {
                    Thread.sleep(100);
                }
            }
            org.junit.jupiter.api.Assertions.assertTrue(reopened, "a closed socket frees its place");
        }
    }

    @Test
    void maxSocketsClosesTheOldestWith4429() {
        Api orgApi = orgWith("{\"max_sockets\":{\"limit\":2,\"on_limit\":\"close_oldest\"}}");
        String client = Api.uniqueClient();
        String token = orgApi.mintToken(client, 600);
        try (LiveSocket oldest = LiveSocket.open(base, token)) {
            oldest.next("session");
            try (LiveSocket middle = LiveSocket.open(base, token)) {
                middle.next("session");
                try (LiveSocket newest = LiveSocket.open(base, token)) {
                    newest.next("session");
                    LiveSocket.Closed closed = oldest.closed();
                    assertEquals(4429, closed.code(), closed::toString);
                    assertEquals(TOO_MANY_SOCKETS, closed.reason());
                    middle.assertAlive();
                    newest.assertAlive();
                }
            }
        }
    }
}
