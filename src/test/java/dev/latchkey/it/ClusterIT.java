package dev.latchkey.it;

import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code latchkey-micro.jar} nodes, clustered through the documented variables, on one PostgreSQL database
 * that is empty when they start together. Every promise of a cluster is checked across nodes: a token minted on
 * one node works on every node; once a revocation (one token, a client's tokens, an org key) has answered on one
 * node, no other node accepts it again, over REST, the WebSocket handshake and reauth, in a race with requests in
 * flight; a node that was paused ({@code SIGSTOP}) while the revocation happened does not answer from memory when
 * it resumes; open sockets close with 4401 on every node; pushes reach and count every node's sockets; a rotated
 * signing key signs on every node at once; and a node killed with {@code SIGKILL} comes back knowing every
 * revocation made while it was down. Runs in the PostgreSQL execution only (clustering needs PostgreSQL).
 */
@EnabledIfSystemProperty(named = "latchkey.it.pg-script", matches = ".+")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final Pattern KEY = Pattern.compile("fl-[A-Za-z0-9_-]{32,}");
    private static final String ADMIN_KEY = "admin-cluster-tests-only-" + UUID.randomUUID();
    private static final String REVOKED = "Token has been revoked";
    /** Far above the 1 s lease a revocation may wait for a silent node; an unbounded wait would hang the build. */
    private static final Duration REVOKE_BOUND = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private ClusterNodes nodes;
    private String orgKey;
    private final List<Api> apis = new ArrayList<>();
    private String startupLogs;

    @BeforeAll
    void startThreeNodesTogether() throws Exception {
        String database = System.getProperty("latchkey.it.fresh-db-url").replaceAll("/[^/]+$", "/latchkey_cluster");
        nodes = new ClusterNodes(dir, 3, Map.of(
                "LATCHKEY_DB_URL", database,
                "LATCHKEY_DB_USER", "latchkey",
                "LATCHKEY_DB_PASSWORD", "latchkey-test-only",
                "LATCHKEY_ADMIN_KEY", ADMIN_KEY));
        nodes.startAll();
        startupLogs = nodes.logs();
        Matcher key = KEY.matcher(startupLogs);
        assertTrue(key.find(), "one node printed the default org's key:\n" + startupLogs);
        orgKey = key.group();
        for (int i = 0; i < nodes.size(); i++) {
            apis.add(new Api(nodes.base(i), orgKey));
        }
    }

    @AfterAll
    void stopEveryNode() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    @Order(1)
    void nodesStartedTogetherOnAnEmptyDatabaseCreateOneOrganizationAndOneKeyRing() throws Exception {
        assertEquals(1, count(startupLogs, "Created organization 'default'"), startupLogs);
        assertEquals(1, count(startupLogs, KEY), "the key is printed once, by one node");
        assertEquals(2, count(startupLogs, "Generated a signing key (ES256, kid "), startupLogs.lines()
                .filter(line -> line.contains("signing key")).toList().toString());
        assertEquals(1, count(startupLogs, ", current) and stored it"), "one current key, by one node");
        assertEquals(1, count(startupLogs, ", next) and stored it"), "one next key, by one node");
        // joined one cluster, not three: each node logs the members it saw when it joined; the last to join saw all
        Matcher joined = Pattern.compile("Cluster node \\S+ joined; members seen: (\\d+)").matcher(startupLogs);
        List<Integer> seen = new ArrayList<>();
        while (joined.find()) {
            seen.add(Integer.parseInt(joined.group(1)));
        }
        System.out.println("ClusterIT: members seen by each node as it joined: " + seen);
        assertEquals(3, seen.size(), startupLogs);
        assertEquals(3, Collections.max(seen), "no node saw all three members: " + seen);
        for (Api api : apis) {
            assertEquals(200, api.listTokens("nobody").status(), "the printed key works on every node");
        }
    }

    @Test
    @Order(2)
    void aTokenMintedOnAnyNodeIsAcceptedOnEveryNodeAtOnce() throws Exception {
        for (int round = 0; round < 30; round++) {
            int minter = round % 3;
            String token = apis.get(minter).mintToken(Api.uniqueClient(), 600);
            for (int other : ClusterNodes.others(3, minter)) {
                assertEquals(200, apis.get(other).clientApi(token).status(), "minted on " + minter + ", used on " + other);
            }
            int handshakeNode = (minter + 1) % 3;
            try (LiveSocket socket = LiveSocket.open(nodes.base(handshakeNode), token)) {
                assertEquals("session", socket.next().getString("type"));
            }
        }
    }

    /**
     * Each round warms every node's memory with a fresh token, then revokes it on one node (one token, or all of its
     * client's) while two threads keep asking the two other nodes; every request sent after the revocation answered
     * must be refused, and two requests sent strictly after it always are. Each thread goes on until it has sent two
     * of its own requests after the answer (at most 30 s), and these are counted apart from the direct checks.
     */
    @Test
    @Order(3)
    void noNodeAcceptsARevokedTokenOnceTheRevocationHasAnswered() throws Exception {
        ExecutorService hammers = Executors.newFixedThreadPool(2);
        int sentAfterAnswer = 0;
        int hammeredAfterAnswer = 0;
        try {
            for (int round = 0; round < 200; round++) {
                int revoker = round % 3;
                List<Integer> others = ClusterNodes.others(3, revoker);
                String client = Api.uniqueClient();
                String token = apis.get((round + 1) % 3).mintToken(client, 600);
                for (Api api : apis) {
                    assertEquals(200, api.clientApi(token).status(), "warm on every node");
                }
                AtomicBoolean answeredFlag = new AtomicBoolean();
                AtomicLong answeredAt = new AtomicLong();
                ConcurrentLinkedQueue<long[]> sent = new ConcurrentLinkedQueue<>();
                List<Future<?>> running = new ArrayList<>();
                for (int other : others) {
                    Api api = apis.get(other);
                    running.add(hammers.submit(() -> {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        int mineAfter = 0;
                        while (mineAfter < 2) {
                            assertTrue(System.nanoTime() - deadline < 0, "a hammer sent nothing after the answer in 30 s");
                            long at = System.nanoTime();
                            sent.add(new long[] {at, api.clientApi(token).status()});
                            if (answeredFlag.get() && at - answeredAt.get() > 0) {
                                mineAfter++;
                            }
                        }
                        return null;
                    }));
                }
                Thread.sleep(round % 7);
                Api.Reply answer = round % 2 == 0 ? apis.get(revoker).revoke(token)
                        : apis.get(revoker).post("api/v1/revoke_client_tokens", bearer(orgKey),
                                "{\"client_id\":\"" + client + "\"}");
                long answered = System.nanoTime();
                answeredAt.set(answered);
                answeredFlag.set(true);
                assertEquals(200, answer.status(), answer.body());
                for (int other : others) {
                    apis.get(other).clientApi(token).assertError(401, REVOKED);
                    sentAfterAnswer++;
                }
                for (Future<?> task : running) {
                    task.get(60, TimeUnit.SECONDS);
                }
                int hammeredThisRound = 0;
                for (long[] request : sent) {
                    if (request[0] - answered > 0) {
                        hammeredThisRound++;
                        assertEquals(401, request[1], "round " + round + ": a request sent after the answer");
                    }
                }
                assertTrue(hammeredThisRound >= 2 * others.size(),
                        "round " + round + ": the hammers' requests sent after the answer: " + hammeredThisRound);
                hammeredAfterAnswer += hammeredThisRound;
            }
        } finally {
            hammers.shutdownNow();
        }
        System.out.println("ClusterIT: after an answer, " + hammeredAfterAnswer + " hammer requests and "
                + sentAfterAnswer + " direct checks");
        assertTrue(hammeredAfterAnswer >= 200 * 4, "the hammers' requests sent after an answer: " + hammeredAfterAnswer);
    }

    @Test
    @Order(4)
    void aTokenRevokedOnOneNodeIsRefusedAtTheHandshakeAndInReauthOnTheOthers() throws Exception {
        for (int round = 0; round < 15; round++) {
            int revoker = round % 3;
            int socketNode = (round + 1) % 3;
            int handshakeNode = (round + 2) % 3;
            String client = Api.uniqueClient();
            String governing = apis.get(revoker).mintToken(client, 600);
            String revoked = apis.get(socketNode).mintToken(client, 600);
            try (LiveSocket socket = LiveSocket.open(nodes.base(socketNode), governing)) {
                assertEquals("session", socket.next().getString("type"));
                assertEquals(200, apis.get(handshakeNode).clientApi(revoked).status());
                assertEquals(200, apis.get(revoker).revoke(revoked).status());
                LiveSocket.refused(LiveSocket.uri(nodes.base(handshakeNode), revoked), Map.of())
                        .assertError(401, REVOKED);
                socket.send("{\"type\":\"reauth\",\"access_token\":\"" + revoked + "\"}");
                JsonObject error = socket.next();
                assertEquals("error", error.getString("type"));
                assertEquals(REVOKED, error.getString("detail"));
                socket.assertAlive();
            }
        }
    }

    @Test
    @Order(5)
    void anOrgKeyRevokedOnOneNodeIsRefusedOnEveryOtherNodeAtOnce() throws Exception {
        for (int round = 0; round < 15; round++) {
            int revoker = round % 3;
            JsonObject org = new Api(nodes.base(revoker), null).post("api/v1/admin/orgs", bearer(ADMIN_KEY),
                    "{\"name\":\"org-" + UUID.randomUUID() + "\"}").json();
            String key = org.getString("api_key");
            for (int i = 0; i < 3; i++) {
                assertEquals(200, new Api(nodes.base(i), key).listTokens("anyone").status(), "warm on " + i);
            }
            Api.Reply answer = new Api(nodes.base(revoker), null).send(new Api(nodes.base(revoker), null)
                    .request("api/v1/admin/api_keys/" + org.getString("key_id"), bearer(ADMIN_KEY)).DELETE());
            assertEquals(200, answer.status(), answer.body());
            for (int other : ClusterNodes.others(3, revoker)) {
                new Api(nodes.base(other), key).listTokens("anyone").assertError(401, "Invalid API key");
            }
        }
    }

    @Test
    @Order(6)
    void aRevokedTokensSocketsCloseWith4401OnEveryNode() throws Exception {
        String client = Api.uniqueClient();
        String token = apis.get(0).mintToken(client, 600);
        List<LiveSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                LiveSocket socket = LiveSocket.open(nodes.base(i % 3), token);
                assertEquals("session", socket.next().getString("type"));
                sockets.add(socket);
            }
            assertEquals(200, apis.get(1).post("api/v1/revoke_client_tokens", bearer(orgKey),
                    "{\"client_id\":\"" + client + "\"}").status());
            for (LiveSocket socket : sockets) {
                LiveSocket.Closed closed = socket.closed();
                assertEquals(4401, closed.code());
                assertEquals(REVOKED, closed.reason());
            }
        } finally {
            sockets.forEach(LiveSocket::close);
        }
    }

    @Test
    @Order(7)
    void aPushReachesTheClientsSocketsOnEveryNodeAndCountsThemAll() throws Exception {
        String client = Api.uniqueClient();
        String token = apis.get(2).mintToken(client, 600);
        List<LiveSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                LiveSocket socket = LiveSocket.open(nodes.base(i % 3), token);
                assertEquals("session", socket.next().getString("type"));
                sockets.add(socket);
            }
            Api.Reply pushed = apis.get(1).post("api/v1/client_messages", bearer(orgKey),
                    "{\"client_id\":\"" + client + "\",\"data\":{\"n\":7}}");
            assertEquals(200, pushed.status(), pushed.body());
            assertEquals(5, pushed.json().getInt("delivered"));
            for (LiveSocket socket : sockets) {
                JsonObject message = socket.next();
                assertEquals("message", message.getString("type"));
                assertEquals(7, message.getJsonObject("data").getInt("n"));
            }
            Api.Reply nobody = apis.get(0).post("api/v1/client_messages", bearer(orgKey),
                    "{\"client_id\":\"" + Api.uniqueClient() + "\",\"data\":1}");
            assertEquals(0, nobody.json().getInt("delivered"));
        } finally {
            sockets.forEach(LiveSocket::close);
        }
    }

    @Test
    @Order(8)
    void aRotatedSigningKeySignsOnEveryNodeAndIsAcceptedEverywhereAtOnce() throws Exception {
        for (int rotator = 0; rotator < 3; rotator++) {
            String before = keySet(rotator);
            Api.Reply rotated = new Api(nodes.base(rotator), null).post("api/v1/admin/signing_keys/rotate",
                    bearer(ADMIN_KEY), "");
            assertEquals(200, rotated.status(), rotated.body());
            String kid = rotated.json().getString("kid");
            assertTrue(before.contains("\"kid\":\"" + kid + "\""), "the new key was published before it signed");
            for (int node = 0; node < 3; node++) {
                assertEquals(keySet(rotator), keySet(node), "node " + node + " publishes the rotated ring");
            }
            for (int minter = 0; minter < 3; minter++) {
                String token = apis.get(minter).mintToken(Api.uniqueClient(), 600);
                assertEquals(kid, kid(token), "node " + minter + " signs with the key rotated on " + rotator);
                for (Api api : apis) {
                    assertEquals(200, api.clientApi(token).status());
                }
            }
        }
    }

    /**
     * Node 2 has the token's row in memory and a socket of it open; it is paused with SIGSTOP, the token is revoked
     * on node 0 (the answer may wait for node 2's lease, never longer), and node 2 is resumed: its very first answer
     * for the token is a refusal, and its socket closes with 4401.
     */
    @Test
    @Order(9)
    void aNodePausedDuringARevocationDoesNotAnswerFromMemoryWhenItResumes() throws Exception {
        for (int round = 0; round < 3; round++) {
            String token = apis.get(0).mintToken(Api.uniqueClient(), 600);
            try (LiveSocket socket = LiveSocket.open(nodes.base(2), token)) {
                assertEquals("session", socket.next().getString("type"));
                assertEquals(200, apis.get(2).clientApi(token).status());
                nodes.pause(2);
                try {
                    long start = System.nanoTime();
                    assertEquals(200, apis.get(0).revoke(token).status());
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertTrue(took.compareTo(REVOKE_BOUND) < 0, "the revocation answered after " + took);
                    Thread.sleep(round * 700L); // resume before, around and after the lease would have run out
                } finally {
                    nodes.resume(2);
                }
                apis.get(2).clientApi(token).assertError(401, REVOKED);
                LiveSocket.Closed closed = socket.closed();
                assertEquals(4401, closed.code());
                assertEquals(REVOKED, closed.reason());
            }
        }
    }

    /**
     * The same pause, but the database is frozen too ({@code SIGSTOP} on every PostgreSQL process) when node 2
     * resumes, so node 2 cannot catch up by itself before the request arrives: a node that answered from memory
     * would say 200 at once. Node 2 must answer nothing until it has read the database again, and then refuse.
     */
    @Test
    @Order(10)
    void aResumedNodeThatCannotReachTheDatabaseDoesNotAnswerFromMemory() throws Exception {
        String token = apis.get(0).mintToken(Api.uniqueClient(), 600);
        assertEquals(200, apis.get(2).clientApi(token).status());
        nodes.pause(2);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            assertEquals(200, apis.get(0).revoke(token).status());
            Future<Api.Reply> first;
            try {
                Database.freeze(); // in the try: a freeze that fails half-way is thawed too
                nodes.resume(2);
                first = client.submit(() -> apis.get(2).clientApi(token));
                Thread.sleep(1_500);
                assertTrue(!first.isDone() || first.get().status() != 200,
                        "answered from memory while the database was unreachable: " + (first.isDone() ? first.get() : ""));
            } finally {
                Database.thaw();
            }
            Api.Reply reply = first.get(60, TimeUnit.SECONDS);
            assertNotEquals(200, reply.status(), reply.body());
            apis.get(2).clientApi(token).assertError(401, REVOKED);
        } finally {
            nodes.resume(2);
            client.shutdownNow();
        }
    }

    @Test
    @Order(11)
    void aNodeKilledWithSigkillLosesNothingAndComesBackKnowingEveryRevocation() throws Exception {
        String kept = apis.get(1).mintToken(Api.uniqueClient(), 600);
        String revokedWhileDown = apis.get(1).mintToken(Api.uniqueClient(), 600);
        assertEquals(200, apis.get(1).clientApi(revokedWhileDown).status());
        nodes.kill(1);

        long start = System.nanoTime();
        assertEquals(200, apis.get(0).revoke(revokedWhileDown).status());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(REVOKE_BOUND) < 0, "the revocation answered after " + took);
        String mintedWhileDown = apis.get(2).mintToken(Api.uniqueClient(), 600);
        assertEquals(200, apis.get(0).clientApi(kept).status(), "a token minted on the dead node still works");

        nodes.restart(1);
        apis.get(1).clientApi(revokedWhileDown).assertError(401, REVOKED);
        assertEquals(200, apis.get(1).clientApi(kept).status());
        assertEquals(200, apis.get(1).clientApi(mintedWhileDown).status());
        String minted = apis.get(1).mintToken(Api.uniqueClient(), 600);
        assertEquals(200, apis.get(0).clientApi(minted).status());
        assertEquals(200, apis.get(0).revoke(minted).status());
        apis.get(1).clientApi(minted).assertError(401, REVOKED);
    }

    /** The test's PostgreSQL, frozen and thawed with real signals: every process of the server stops at once. */
    private static final class Database {

        static void freeze() throws Exception {
            long postmaster = postmaster();
            run("kill", "-STOP", String.valueOf(postmaster));
            run("pkill", "-STOP", "-P", String.valueOf(postmaster));
        }

        /** Sends both signals whatever the first one does, so that nothing of the server stays stopped. */
        static void thaw() throws Exception {
            long postmaster = postmaster();
            try {
                run("pkill", "-CONT", "-P", String.valueOf(postmaster));
            } finally {
                run("kill", "-CONT", String.valueOf(postmaster));
            }
        }

        private static long postmaster() throws Exception {
            Path pidFile = Path.of(System.getProperty("latchkey.it.pg-dir"), "data", "postmaster.pid");
            return Long.parseLong(java.nio.file.Files.readAllLines(pidFile).get(0).strip());
        }

        private static void run(String... command) throws Exception {
            Process process = new ProcessBuilder(command).inheritIO().start();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), String.join(" ", command));
            assertEquals(0, process.exitValue(), String.join(" ", command));
        }
    }

    /** The body of a node's {@code /.well-known/jwks.json}. */
    private String keySet(int node) throws IOException {
        Api.Reply set = new Api(nodes.base(node), null).get(".well-known/jwks.json", null);
        assertEquals(200, set.status(), set.body());
        return set.body();
    }

    private static String kid(String token) {
        String header = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.UTF_8);
        return Json.createReader(new StringReader(header)).readObject().getString("kid");
    }

    private static int count(String text, String literal) {
        return count(text, Pattern.compile(Pattern.quote(literal)));
    }

    private static int count(String text, Pattern pattern) {
        Matcher matcher = pattern.matcher(text);
        int found = 0;
        while (matcher.find()) {
            found++;
        }
        return found;
    }
}
