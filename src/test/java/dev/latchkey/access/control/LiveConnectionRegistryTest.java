package dev.latchkey.access.control;

import dev.latchkey.tokens.control.ClientPrincipal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The indexes by token_id and by (org, client_id): consistent, and empty again after every close. */
class LiveConnectionRegistryTest {

    private final LiveConnectionRegistry cut = new LiveConnectionRegistry();

    private static ClientPrincipal principal(String org, String client, String token) {
        return new ClientPrincipal(org, client, token, 0, Long.MAX_VALUE);
    }

    private static LiveConnection connection(ClientPrincipal principal) {
        return new LiveConnection(new FakeSession().session, principal);
    }

    @Test
    void indexesByTokenAndByClient() {
        LiveConnection a = connection(principal("o1", "c1", "t1"));
        LiveConnection b = connection(principal("o1", "c1", "t2"));
        LiveConnection c = connection(principal("o1", "c1", "t1"));
        LiveConnection otherOrg = connection(principal("o2", "c1", "t3"));
        List.of(a, b, c, otherOrg).forEach(cut::add);

        assertEquals(Set.of(a, c), Set.copyOf(cut.governedBy("t1")));
        assertEquals(Set.of(b), Set.copyOf(cut.governedBy("t2")));
        assertEquals(Set.of(a, b, c), Set.copyOf(cut.ofClient("o1", "c1")));
        assertEquals(List.of(otherOrg), cut.ofClient("o2", "c1"), "the same client_id in another org is another client");
        assertEquals(List.of(), cut.ofClient("o1", "c2"));
        assertEquals(4, cut.size());
    }

    @Test
    void endingRemovesEveryTraceAndHappensOnce() {
        ClientPrincipal p = principal("o1", "c1", "t1");
        LiveConnection a = connection(p);
        cut.add(a);

        assertSame(p, cut.end(a, null));
        assertNull(cut.end(a, null), "a second end does nothing");
        assertTrue(a.isEnded());
        assertTrue(cut.isEmpty());
        assertEquals(0, cut.size());
    }

    @Test
    void endingForATokenSparesAConnectionThatMovedOn() {
        LiveConnection a = connection(principal("o1", "c1", "t1"));
        cut.add(a);
        assertTrue(cut.replace(a, principal("o1", "c1", "t2")));

        assertNull(cut.end(a, "t1"), "t1 no longer governs");
        assertEquals(List.of(), cut.governedBy("t1"));
        assertEquals(List.of(a), cut.governedBy("t2"));
        assertEquals("t2", cut.end(a, "t2").tokenId());
        assertTrue(cut.isEmpty());
    }

    @Test
    void replaceReindexesTheTokenOnly() {
        LiveConnection a = connection(principal("o1", "c1", "t1"));
        LiveConnection b = connection(principal("o1", "c1", "t1"));
        cut.add(a);
        cut.add(b);

        assertTrue(cut.replace(a, principal("o1", "c1", "t2")));

        assertEquals(List.of(b), cut.governedBy("t1"));
        assertEquals(List.of(a), cut.governedBy("t2"));
        assertEquals(Set.of(a, b), Set.copyOf(cut.ofClient("o1", "c1")));
        assertEquals("t2", a.principal().tokenId());
    }

    @Test
    void replaceRefusesAnotherClientOrAnEndedConnection() {
        LiveConnection a = connection(principal("o1", "c1", "t1"));
        cut.add(a);
        assertThrows(IllegalArgumentException.class, () -> cut.replace(a, principal("o1", "c2", "t2")));
        assertThrows(IllegalArgumentException.class, () -> cut.replace(a, principal("o2", "c1", "t2")));
        cut.end(a, null);
        assertFalse(cut.replace(a, principal("o1", "c1", "t2")));
        assertTrue(cut.isEmpty());
    }

    @Test
    void anEndedConnectionIsNeverAddedAgain() {
        LiveConnection a = connection(principal("o1", "c1", "t1"));
        cut.add(a);
        cut.end(a, null);
        cut.add(a);
        assertTrue(cut.isEmpty());
    }

    @Test
    void concurrentOpensMovesAndClosesLeaveNothingBehind() throws Exception {
        int threads = 8;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        // a few shared clients and tokens, so that threads meet on the same keys
                        String client = "c" + (i % 3);
                        LiveConnection c = connection(principal("o1", client, client + "-t" + (i % 2)));
                        cut.add(c);
                        cut.replace(c, principal("o1", client, client + "-t" + thread));
                        cut.ofClient("o1", client).forEach(LiveConnection::principal);
                        cut.end(c, null);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(cut.isEmpty(), "no index keeps an entry after every connection ended");
    }
}
