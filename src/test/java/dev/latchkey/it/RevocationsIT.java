package dev.latchkey.it;

import static dev.latchkey.it.Api.ADMIN_KEY;
import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/revocations} on one node: the whole deny-list, increments after a cursor, the long-poll, the
 * event stream and its resumption, 410 and 400, tenancy, the end of a stream whose org key is revoked. Each test
 * makes its own organization (admin API), so its feed holds only what the test revoked. What housekeeping keeps
 * (and the 410 for a cursor before it) is tested in the container, in {@code HousekeepingIT}.
 */
class RevocationsIT extends BlackBoxTest {

    private static final String FEED = "api/v1/revocations";
    private static final String EXPIRED = "Cursor expired: read the feed from the start";

    /** A fresh organization: an Api holding its key. */
    private Api newOrg() {
        Api admin = new Api(base);
        return new Api(base, admin.createOrg().getString("api_key"));
    }

    private static JsonObject read(Api org, String query) {
        Api.Reply reply = org.get(FEED + query, bearer(org.orgKey()));
        assertEquals(200, reply.status(), reply::body);
        assertEquals("no-store", reply.headers().firstValue("Cache-Control").orElse(null));
        return reply.json();
    }

    private static List<String> cursors(JsonObject answer) {
        return answer.getJsonArray("revocations").stream()
                .map(entry -> entry.asJsonObject().getString("cursor")).toList();
    }

    @Test
    void theWholeListThenIncrementsInCommitOrder() {
        Api org = newOrg();
        JsonObject empty = read(org, "");
        assertEquals(0, empty.getJsonArray("revocations").size());
        assertEquals("0", empty.getString("next_cursor"));

        String client = Api.uniqueClient();
        JsonObject first = org.mint(client, 600, null);
        JsonObject second = org.mint(client, 900, null);
        String other = Api.uniqueClient();
        org.mint(other, 300, null);
        String newest = org.mintToken(other, 1200);
        Instant before = Instant.now();
        assertEquals(200, org.revoke(first.getString("access_token")).status());

        JsonObject whole = read(org, "");
        JsonArray entries = whole.getJsonArray("revocations");
        assertEquals(1, entries.size(), whole::toString);
        JsonObject token = entries.getJsonObject(0);
        assertEquals(Set.of("cursor", "kind", "token_id", "client_id", "revoked_at", "expires_at"), token.keySet());
        assertEquals("token", token.getString("kind"));
        assertEquals(first.getString("token_id"), token.getString("token_id"));
        assertEquals(client, token.getString("client_id"));
        assertEquals(first.getString("expires_at"), token.getString("expires_at"));
        Instant revokedAt = Instant.parse(token.getString("revoked_at"));
        assertFalse(revokedAt.isBefore(before.minusSeconds(5)), "revoked_at " + revokedAt);
        assertEquals(token.getString("cursor"), whole.getString("next_cursor"));
        assertEquals(whole, read(org, "?after=0"), "after 0: the same entry");

        assertEquals(200, org.post("api/v1/revoke_client_tokens", bearer(org.orgKey()),
                "{\"client_id\": \"" + other + "\"}").status());
        assertEquals(200, org.revoke(first.getString("access_token")).status(), "again: no second entry");
        assertEquals(200, org.revoke(second.getString("access_token")).status());

        JsonObject increments = read(org, "?after=" + token.getString("cursor"));
        JsonArray added = increments.getJsonArray("revocations");
        assertEquals(2, added.size(), increments::toString);
        JsonObject wholeClient = added.getJsonObject(0);
        assertEquals(Set.of("cursor", "kind", "client_id", "revoked_at", "issued_before"), wholeClient.keySet());
        assertEquals("client", wholeClient.getString("kind"));
        assertEquals(other, wholeClient.getString("client_id"));
        long iat = ForgedTokens.payload(newest).getJsonNumber("iat").longValue();
        assertEquals(Instant.ofEpochSecond(iat + 1).toString().replace("Z", ".000Z"),
                wholeClient.getString("issued_before"), "the second after the newest revoked token's iat");
        assertEquals(second.getString("token_id"), added.getJsonObject(1).getString("token_id"));
        List<Long> order = cursors(increments).stream().map(Long::parseLong).toList();
        assertTrue(order.get(0) < order.get(1) && order.get(0) > Long.parseLong(token.getString("cursor")),
                order::toString);
        assertEquals(cursors(increments).get(1), increments.getString("next_cursor"));

        JsonObject caughtUp = read(org, "?after=" + increments.getString("next_cursor"));
        assertEquals(0, caughtUp.getJsonArray("revocations").size());
        assertEquals(increments.getString("next_cursor"), caughtUp.getString("next_cursor"));
        assertEquals(3, read(org, "").getJsonArray("revocations").size(), "the whole list holds all three");
    }

    @Test
    void aLongPollReturnsOnARevocationAndAnEmptyAnswerWhenItsWaitIsOver() throws Exception {
        Api org = newOrg();
        String token = org.mintToken(Api.uniqueClient(), 600);
        long started = System.nanoTime();
        JsonObject nothing = read(org, "?after=0&wait_secs=1");
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(900), "it waited about a second");
        assertEquals(0, nothing.getJsonArray("revocations").size());
        assertEquals("0", nothing.getString("next_cursor"));

        CompletableFuture<JsonObject> waiting = CompletableFuture.supplyAsync(() -> read(org, "?after=0&wait_secs=30"));
        Thread.sleep(500);
        assertFalse(waiting.isDone(), "nothing to answer yet");
        assertEquals(200, org.revoke(token).status());
        JsonObject answer = waiting.get(20, TimeUnit.SECONDS);
        assertEquals(1, answer.getJsonArray("revocations").size(), answer::toString);
        assertEquals("1", answer.getString("next_cursor"));
    }

    @Test
    void theEventStreamSendsTheListThenEachRevocationAndResumesFromLastEventId() throws Exception {
        Api org = newOrg();
        String client = Api.uniqueClient();
        List<String> ids = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            JsonObject minted = org.mint(client, 600, null);
            tokens.add(minted.getString("access_token"));
            ids.add(minted.getString("token_id"));
        }
        assertEquals(200, org.revoke(tokens.get(0)).status());
        HttpClient http = Api.newClient();
        try (FeedStream stream = new FeedStream(http, org.uri(FEED), org.orgKey(), null)) {
            assertEvent(stream.next(Duration.ofSeconds(10)), "1", ids.get(0));
            assertEquals(200, org.revoke(tokens.get(1)).status());
            assertEvent(stream.next(Duration.ofSeconds(10)), "2", ids.get(1));
            assertEquals(200, org.revoke(tokens.get(2)).status());
            assertEvent(stream.next(Duration.ofSeconds(10)), "3", ids.get(2));
        }
        assertEquals(200, org.revoke(tokens.get(3)).status());
        assertEquals(200, org.revoke(tokens.get(4)).status());
        try (FeedStream resumed = new FeedStream(http, org.uri(FEED + "?after=1"), org.orgKey(), "3")) {
            assertEvent(resumed.next(Duration.ofSeconds(10)), "4", ids.get(3));
            assertEvent(resumed.next(Duration.ofSeconds(10)), "5", ids.get(4));
            assertEquals(200, org.revoke(tokens.get(5)).status());
            assertEvent(resumed.next(Duration.ofSeconds(10)), "6", ids.get(5));
            assertEquals(null, resumed.next(Duration.ofMillis(1500)), "nothing repeated");
        }
    }

    private static void assertEvent(FeedStream.Event event, String id, String tokenId) {
        assertNotNull(event, "no event " + id + " within the wait");
        assertEquals(id, event.id());
        assertEquals(id, event.data().getString("cursor"));
        assertEquals(tokenId, event.data().getString("token_id"));
    }

    @Test
    void aRevokedOrgKeyEndsTheStreamsItOpened() throws Exception {
        Api admin = new Api(base);
        JsonObject created = admin.createOrg();
        Api.Reply second = admin.send(admin.request("api/v1/admin/orgs/" + created.getString("org_id") + "/api_keys",
                bearer(ADMIN_KEY)).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(201, second.status(), second.body());
        Api org = new Api(base, second.json().getString("api_key"));
        try (FeedStream stream = new FeedStream(Api.newClient(), org.uri(FEED), org.orgKey(), null)) {
            assertEquals(200, admin.send(admin.request("api/v1/admin/api_keys/" + second.json().getString("key_id"),
                    bearer(ADMIN_KEY)).DELETE()).status());
            FeedStream.Event end = stream.next(Duration.ofSeconds(10));
            assertNotNull(end, "the stream still open 10 s after its key was revoked");
            assertTrue(end.isEnd(), () -> "an event instead of the end: " + end);
        }
        org.get(FEED, bearer(org.orgKey())).assertError(401, "Invalid API key");
    }

    @Test
    void badParametersAre400AndAnUnknownCursorIs410() {
        Api org = newOrg();
        String key = bearer(org.orgKey());
        for (String wait : List.of("31", "-1", "1.5", "abc", "", "+5", "100", "999999999999")) {
            org.get(FEED + "?wait_secs=" + Api.encode(wait), key)
                    .assertError(400, "wait_secs must be an integer from 0 to 30");
        }
        for (String after : List.of("abc", "-1", "01", "1.0", "", "99999999999999999999")) {
            org.get(FEED + "?after=" + Api.encode(after), key)
                    .assertError(400, "after is not a cursor of this feed: use a cursor it returned");
        }
        org.get(FEED + "?after=0&after=0", key).assertError(400, "after is given more than once");
        org.get(FEED + "?wait_secs=1&wait_secs=2", key).assertError(400, "wait_secs is given more than once");
        org.get(FEED + "?after=5", key).assertError(410, EXPIRED);
        Api.Reply stream = org.send(org.request(FEED, key).header("Accept", "text/event-stream")
                .header("Last-Event-ID", "x1").GET());
        stream.assertError(400, "Last-Event-ID is not a cursor of this feed: use a cursor it returned");
        org.send(org.request(FEED + "?after=7", key).header("Accept", "text/event-stream").GET())
                .assertError(410, EXPIRED);
        org.get(FEED, null).assertError(401, "Authorization header is missing");
        org.get(FEED, bearer(org.mintToken(Api.uniqueClient(), 60))).assertError(401, "Invalid API key");
        Api.Reply json = org.send(org.request(FEED, key).header("Accept", "*/*").GET());
        assertEquals(200, json.status(), json.body());
        assertTrue(json.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void oneOrganizationNeverSeesAnothersEntriesAndARefusedRevocationWritesNone() throws Exception {
        Api one = newOrg();
        Api two = newOrg();
        String ofOne = one.mintToken(Api.uniqueClient(), 600);
        try (FeedStream twoStream = new FeedStream(Api.newClient(), two.uri(FEED), two.orgKey(), null)) {
            assertEquals(200, one.revoke(ofOne).status());
            two.revoke(ofOne).assertError(404, "Token not found");
            two.post("api/v1/revoke_token", bearer(two.orgKey()), "{\"access_token\": \"not-a-jwt\"}")
                    .assertError(400, "Invalid token format");
            two.post("api/v1/revoke_client_tokens", bearer(two.orgKey()), "{\"client_id\": 7}")
                    .assertError(400, "client_id must be a string");
            assertEquals(1, read(one, "").getJsonArray("revocations").size());
            assertEquals(0, read(two, "").getJsonArray("revocations").size());
            assertEquals("0", read(two, "?after=0").getString("next_cursor"));
            assertEquals(null, twoStream.next(Duration.ofMillis(2500)), "org two's stream got nothing");
        }
    }
}
