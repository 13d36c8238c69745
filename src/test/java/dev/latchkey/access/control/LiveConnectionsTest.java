package dev.latchkey.access.control;

import dev.latchkey.tokens.control.ClientPrincipal;
import dev.latchkey.tokens.control.TokenLookup;
import dev.latchkey.tokens.control.TokenRecord;
import dev.latchkey.tokens.control.TokenValidator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latchkey.tokens.control.JwtCodec;
import dev.latchkey.tokens.control.KeyRing;
import dev.latchkey.tokens.control.Revocation;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.io.StringReader;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live connections without a container: fake sessions, real tokens signed by a test key, rows in a map,
 * a real scheduler and the real clock (expiry tests use tokens that live a few hundred milliseconds).
 */
class LiveConnectionsTest {

    private static final String ORG = "org-1";
    private static final long WARNING_SECS = 60;
    /** How long closes wait for a pong here, in milliseconds: shorter than in production, to keep the tests short. */
    private static final long PONG_WAIT_MILLIS = 50;

    private final Map<String, TokenRecord> rows = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private JwtCodec codec;
    private ScheduledThreadPoolExecutor scheduler;
    private LiveConnections cut;
    private TokenLookup lookup;

    @BeforeEach
    void setUp() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        KeyRing ring = new KeyRing("k1", Map.of("k1", KeyRing.hmac(secret)));
        codec = new JwtCodec(() -> ring);
        scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        lookup = tokenId -> Optional.ofNullable(rows.get(tokenId));
        cut = new LiveConnections(new TokenValidator(codec, lookup, clock), lookup, clock, WARNING_SECS, scheduler,
                send -> { }, PONG_WAIT_MILLIS);
    }

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
    }

    /** A token row and its principal, for a client of ORG, living {@code lifeMillis} from now. */
    private ClientPrincipal issue(String client, String tokenId, long lifeMillis) {
        long now = clock.millis();
        rows.put(tokenId, new TokenRecord(tokenId, ORG, client, now, now + lifeMillis, false));
        return new ClientPrincipal(ORG, client, tokenId, now, now + lifeMillis);
    }

    private String jwt(ClientPrincipal principal) {
        return codec.sign("org-1", principal.clientId(), principal.tokenId(), principal.issuedAt(), principal.expiresAt());
    }

    private void revokeRow(String tokenId) {
        TokenRecord row = rows.get(tokenId);
        rows.put(tokenId, new TokenRecord(row.tokenId(), row.orgId(), row.clientId(), row.issuedAt(), row.expiresAt(), true));
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static void assertClosedWith(FakeSession session, int code, String reason) throws Exception {
        CloseReason close = session.awaitClose();
        assertEquals(code, close.getCloseCode().getCode());
        assertEquals(reason, close.getReasonPhrase());
    }

    @Test
    void openSendsTheSessionFirst() {
        FakeSession session = new FakeSession();
        cut.open(session.session, issue("c1", "t1", 600_000));
        JsonObject first = json(session.sent.get(0));
        assertEquals("session", first.getString("type"));
        assertEquals("t1", first.getString("token_id"));
        assertEquals(1, cut.size());
    }

    @Test
    void pingAndInvalidMessages() {
        FakeSession session = new FakeSession();
        LiveConnection connection = cut.open(session.session, issue("c1", "t1", 600_000));
        cut.receive(connection, "{\"type\":\"ping\"}");
        cut.receive(connection, "nope");
        cut.receiveBinary(connection);
        assertEquals(List.of("session", "pong", "error", "error"), session.types());
        assertFalse(session.closed.isDone());
    }

    @Test
    void sendsGoToTheOrganizationAtMostEightAtATimeAndNeverAfterTheEnd() {
        List<ClientSend> taken = new java.util.concurrent.CopyOnWriteArrayList<>();
        LiveConnections sending = new LiveConnections(new TokenValidator(codec,
                tokenId -> Optional.ofNullable(rows.get(tokenId)), clock), tokenId -> Optional.ofNullable(rows.get(tokenId)),
                clock, WARNING_SECS, scheduler, send -> {
                    if (send.take()) {
                        taken.add(send);
                    }
                }, PONG_WAIT_MILLIS);
        FakeSession session = new FakeSession();
        LiveConnection connection = sending.open(session.session, issue("c1", "t1", 600_000));
        for (int i = 1; i <= LiveConnection.MAX_SENDS_IN_FLIGHT + 1; i++) {
            sending.receive(connection, "{\"type\":\"send\",\"id\":\"m" + i + "\",\"data\":" + i + "}");
        }
        assertEquals(LiveConnection.MAX_SENDS_IN_FLIGHT, taken.size());
        assertEquals("m1", taken.get(0).id());
        assertEquals("t1", taken.get(0).from().tokenId());
        JsonObject refused = json(session.sent.get(1));
        assertEquals("error", refused.getString("type"));
        assertEquals("m9", refused.getString("id"));
        assertEquals(LiveConnections.TOO_MANY_SENDS, refused.getString("detail"));

        taken.get(0).reply(Json.createValue("ok"));
        taken.get(0).reply(Json.createValue("twice")); // a second answer to one message is dropped
        JsonObject reply = json(session.sent.get(2));
        assertEquals("reply", reply.getString("type"));
        assertEquals("m1", reply.getString("id"));
        assertEquals("ok", reply.getString("data"));
        assertEquals(3, session.sent.size());
        sending.receive(connection, "{\"type\":\"send\",\"id\":\"m10\"}"); // a place is free again
        assertEquals(LiveConnection.MAX_SENDS_IN_FLIGHT + 1, taken.size());

        sending.revoke(Revocation.ofToken(ORG, "t1"));
        sending.receive(connection, "{\"type\":\"send\",\"id\":\"late\"}");
        taken.get(1).reply(Json.createValue("after the end"));
        assertEquals(LiveConnection.MAX_SENDS_IN_FLIGHT + 1, taken.size(), "nothing forwarded after revocation");
        assertEquals(3, session.sent.size(), "no answer reaches an ended connection");
    }

    @Test
    void sendsNobodyTakesAreRefused() {
        FakeSession session = new FakeSession();
        LiveConnection connection = cut.open(session.session, issue("c1", "t1", 600_000));
        cut.receive(connection, "{\"type\":\"send\",\"id\":\"a\",\"data\":{}}");
        cut.receive(connection, "{\"type\":\"send\",\"id\":7}");
        JsonObject refused = json(session.sent.get(1));
        assertEquals("a", refused.getString("id"));
        assertEquals(LiveConnections.MESSAGES_DISABLED, refused.getString("detail"));
        assertEquals(SocketMessages.SEND_NEEDS_ID, json(session.sent.get(2)).getString("detail"));
    }

    @Test
    void revokingTheGoverningTokenClosesWith4401() throws Exception {
        FakeSession revoked = new FakeSession();
        FakeSession sameClientOtherToken = new FakeSession();
        cut.open(revoked.session, issue("c1", "t1", 600_000));
        cut.open(sameClientOtherToken.session, issue("c1", "t2", 600_000));

        assertEquals(1, cut.revoke(Revocation.ofToken(ORG, "t1")));

        assertClosedWith(revoked, 4401, "Token has been revoked");
        assertFalse(sameClientOtherToken.closed.isDone());
        assertEquals(1, cut.size());
    }

    @Test
    void aServerSideCloseWaitsForTheClientsPongAndIsSentFromThePongsThread() throws Exception {
        LiveConnections patient = new LiveConnections(new TokenValidator(codec, lookup, clock), lookup, clock,
                WARNING_SECS, scheduler, send -> { }, 60_000);
        FakeSession session = new FakeSession();
        LiveConnection connection = patient.open(session.session, issue("c1", "t1", 600_000));

        assertEquals(1, patient.revoke(Revocation.ofToken(ORG, "t1")));
        awaitPing(session);
        Thread.sleep(50);
        assertFalse(session.closed.isDone(), "no close frame before the pong");

        patient.pong(connection);
        assertClosedWith(session, 4401, "Token has been revoked");
        assertEquals(Thread.currentThread(), session.closedBy, "closed by the thread that delivered the pong");
        assertEquals(List.of("latchkey-close"), session.pings);
        patient.pong(connection); // a late or second pong closes nothing more
    }

    @Test
    void anyMessageReadWhileACloseWaitsCountsAsThePong() throws Exception {
        LiveConnections patient = new LiveConnections(new TokenValidator(codec, lookup, clock), lookup, clock,
                WARNING_SECS, scheduler, send -> { }, 60_000);
        FakeSession session = new FakeSession();
        LiveConnection connection = patient.open(session.session, issue("c1", "t1", 600_000));
        session.awaitSent(1);

        assertEquals(1, patient.revoke(Revocation.ofToken(ORG, "t1")));
        awaitPing(session);
        patient.receive(connection, "{\"type\":\"ping\"}");

        assertClosedWith(session, 4401, "Token has been revoked");
        assertEquals(Thread.currentThread(), session.closedBy, "closed by the thread that read the message");
        assertEquals(List.of("session"), session.types(), "the message was not answered");
    }

    /** Outside Tyrus (here a fake session) a connection cannot be ended without a close frame: it is closed. */
    @Test
    void withoutAPongAndOutsideTyrusTheCloseIsSentAfterTheWait() throws Exception {
        FakeSession session = new FakeSession();
        cut.open(session.session, issue("c1", "t1", 600_000));
        long revokedAt = System.nanoTime();

        cut.revoke(Revocation.ofToken(ORG, "t1"));

        assertClosedWith(session, 4401, "Token has been revoked");
        assertTrue(System.nanoTime() - revokedAt >= TimeUnit.MILLISECONDS.toNanos(PONG_WAIT_MILLIS),
                "the close waited for a pong");
        assertEquals(List.of("latchkey-close"), session.pings);
    }

    private static void awaitPing(FakeSession session) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (session.pings.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no ping sent");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void revokingAClientClosesAllItsConnectionsAndNoOther() throws Exception {
        List<FakeSession> mine = List.of(new FakeSession(), new FakeSession(), new FakeSession());
        FakeSession other = new FakeSession();
        cut.open(mine.get(0).session, issue("c1", "t1", 600_000));
        cut.open(mine.get(1).session, issue("c1", "t1b", 600_000));
        cut.open(mine.get(2).session, issue("c1", "t2", 600_000));
        cut.open(other.session, issue("c2", "t3", 600_000));

        assertEquals(3, cut.revoke(Revocation.ofClient(ORG, "c1")));

        for (FakeSession session : mine) {
            assertClosedWith(session, 4401, "Token has been revoked");
        }
        assertFalse(other.closed.isDone());
        assertEquals(0, cut.revoke(Revocation.ofClient("another-org", "c2")), "another org's client of that name");
        assertEquals(0, cut.deliver(ORG, "c1", Json.createValue(1)), "revoked connections get no pushes");
    }

    @Test
    void aRevocationThatCommittedBeforeRegistrationIsCaught() throws Exception {
        FakeSession session = new FakeSession();
        ClientPrincipal principal = issue("c1", "t1", 600_000);
        revokeRow("t1"); // revoked after the handshake validated, before the connection was registered
        cut.open(session.session, principal);
        assertClosedWith(session, 4401, "Token has been revoked");
        assertTrue(cut.isEmpty());
    }

    @Test
    void shortTokenIsWarnedAtOnceThenClosedAtExpiry() throws Exception {
        FakeSession session = new FakeSession();
        ClientPrincipal principal = issue("c1", "t1", 300);
        cut.open(session.session, principal);
        assertClosedWith(session, 4401, "Token has expired");
        assertTrue(clock.millis() >= principal.expiresAt());
        assertEquals(List.of("session", "token_expiring"), session.types());
        assertTrue(cut.isEmpty());
        assertEquals(0, scheduler.getQueue().size(), "no timer left behind");
    }

    @Test
    void warningComesWarningSecsBeforeExpiry() throws Exception {
        LiveConnections shortWarning = new LiveConnections(
                new TokenValidator(codec, id -> Optional.ofNullable(rows.get(id)), clock),
                id -> Optional.ofNullable(rows.get(id)), clock, 1, scheduler, send -> { }, PONG_WAIT_MILLIS);
        FakeSession session = new FakeSession();
        shortWarning.open(session.session, issue("c1", "t1", 1_600));
        assertEquals(List.of("session"), session.types(), "no warning yet: 1.6 s left, warning at 1 s");
        assertClosedWith(session, 4401, "Token has expired");
        assertEquals(List.of("session", "token_expiring"), session.types());
        assertEquals(1, json(session.sent.get(1)).getInt("expires_in"));
    }

    @Test
    void reauthMovesTheConnectionAndItsTimers() throws Exception {
        FakeSession session = new FakeSession();
        ClientPrincipal first = issue("c1", "t1", 5_000);
        LiveConnection connection = cut.open(session.session, first);
        session.awaitSent(2); // the warning: 5 s left is less than 60 s
        ClientPrincipal second = issue("c1", "t2", 600_000);

        cut.receive(connection, "{\"type\":\"reauth\",\"access_token\":\"" + jwt(second) + "\"}");

        assertEquals("t2", connection.principal().tokenId());
        assertEquals(List.of("session", "token_expiring", "session"), session.types());
        assertEquals("t2", json(session.sent.get(2)).getString("token_id"));
        // the first token's timers are gone: only the new warning and expiry are queued
        assertEquals(2, scheduler.getQueue().size());
        assertEquals(0, cut.revoke(Revocation.ofToken(ORG, "t1")), "the old token no longer governs");
        assertEquals(1, cut.revoke(Revocation.ofToken(ORG, "t2")));
        assertClosedWith(session, 4401, "Token has been revoked");
        assertEquals(0, scheduler.getQueue().size());
    }

    @Test
    void reauthWithAnotherClientsTokenKeepsTheOldToken() {
        FakeSession session = new FakeSession();
        LiveConnection connection = cut.open(session.session, issue("c1", "t1", 600_000));
        String theirs = jwt(issue("c2", "t9", 600_000));

        cut.receive(connection, "{\"type\":\"reauth\",\"access_token\":\"" + theirs + "\"}");

        assertEquals("Invalid token, client_id mismatch", json(session.sent.get(1)).getString("detail"));
        assertEquals("t1", connection.principal().tokenId());
        assertEquals(1, cut.revoke(Revocation.ofToken(ORG, "t1")));
    }

    @Test
    void reauthRefusalsUseTheTableText() {
        FakeSession session = new FakeSession();
        LiveConnection connection = cut.open(session.session, issue("c1", "t1", 600_000));
        ClientPrincipal revoked = issue("c1", "t2", 600_000);
        revokeRow("t2");

        cut.receive(connection, "{\"type\":\"reauth\",\"access_token\":\"" + jwt(revoked) + "\"}");
        cut.receive(connection, "{\"type\":\"reauth\",\"access_token\":\"garbage\"}");
        cut.receive(connection, "{\"type\":\"reauth\"}");

        assertEquals(List.of("Token has been revoked", "Invalid token format", "Invalid token format"),
                session.sent.subList(1, 4).stream().map(t -> json(t).getString("detail")).toList());
        assertEquals("t1", connection.principal().tokenId());
    }

    @Test
    void deliverReachesTheClientsConnectionsInTheOrg() {
        FakeSession a = new FakeSession();
        FakeSession b = new FakeSession();
        FakeSession other = new FakeSession();
        cut.open(a.session, issue("c1", "t1", 600_000));
        cut.open(b.session, issue("c1", "t2", 600_000));
        cut.open(other.session, issue("c2", "t3", 600_000));

        assertEquals(2, cut.deliver(ORG, "c1", Json.createObjectBuilder().add("n", 1).build()));
        assertEquals(0, cut.deliver("another-org", "c1", Json.createValue(1)));

        assertEquals(json("{\"type\":\"message\",\"data\":{\"n\":1}}"), json(a.sent.get(1)));
        assertEquals(json("{\"type\":\"message\",\"data\":{\"n\":1}}"), json(b.sent.get(1)));
        assertEquals(List.of("session"), other.types());
    }

    @Test
    void closedConnectionsLeaveNoTrace() {
        FakeSession session = new FakeSession();
        LiveConnection connection = cut.open(session.session, issue("c1", "t1", 600_000));
        assertEquals(2, scheduler.getQueue().size());
        cut.closed(connection);
        cut.closed(connection);
        assertTrue(cut.isEmpty());
        assertEquals(0, scheduler.getQueue().size(), "its timers are cancelled and removed");
        cut.receive(connection, "{\"type\":\"ping\"}");
        assertEquals(List.of("session"), session.types(), "an ended connection is not answered");
    }

    @Test
    void oversizedTextClosesWith1009() throws Exception {
        FakeSession session = new FakeSession();
        LiveConnection connection = cut.open(session.session, issue("c1", "t1", 600_000));
        cut.receive(connection, "\u00e9".repeat(40_000));
        assertEquals(1009, session.awaitClose().getCloseCode().getCode());
        assertTrue(cut.isEmpty());
    }

    @Test
    void openingStillWorksWhileTheSchedulerShutsDown() {
        scheduler.shutdownNow();
        FakeSession session = new FakeSession();
        cut.open(session.session, issue("c1", "t1", 600_000));
        assertEquals(List.of("session"), session.types());
        assertEquals(1, cut.size());
    }
}
