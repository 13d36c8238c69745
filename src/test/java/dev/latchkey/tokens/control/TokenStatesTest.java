package dev.latchkey.tokens.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The validator's token-state cache: hits, invalidation by token and by client, the revoke race, bounds. */
class TokenStatesTest {

    private static final long FAR = Long.MAX_VALUE / 2;

    private final Map<String, TokenRecord> database = new HashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong();
    /** Runs during a database read, after the row was read: where a concurrent revocation can commit. */
    private Consumer<String> duringRead = id -> { };
    private TokenStates cut;

    @BeforeEach
    void setUp() {
        cut = new TokenStates(this::read, 1000, Duration.ofSeconds(1), nanos::get);
    }

    private Optional<TokenRecord> read(String tokenId) {
        reads.incrementAndGet();
        Optional<TokenRecord> row = Optional.ofNullable(database.get(tokenId));
        duringRead.accept(tokenId);
        return row;
    }

    private void row(String tokenId, String org, String client, boolean revoked) {
        database.put(tokenId, new TokenRecord(tokenId, org, client, 0, FAR, revoked));
    }

    @Test
    void aFreshRowIsReadOnce() {
        row("t1", "o", "c", false);
        for (int i = 0; i < 5; i++) {
            assertTrue(cut.find("t1").isPresent());
        }
        assertEquals(1, reads.get());
    }

    @Test
    void anAbsentRowIsNotKept() {
        assertTrue(cut.find("nope").isEmpty());
        assertTrue(cut.find("nope").isEmpty());
        assertEquals(2, reads.get());
    }

    @Test
    void forgettingATokenMakesItsNextLookupReadTheDatabase() {
        row("t1", "o", "c", false);
        cut.find("t1");
        row("t1", "o", "c", true);
        cut.forgetToken("t1");
        assertTrue(cut.find("t1").orElseThrow().revoked());
        assertEquals(2, reads.get());
    }

    @Test
    void forgettingAClientForgetsAllItsTokensAndNothingElse() {
        row("a1", "o", "c", false);
        row("a2", "o", "c", false);
        row("other-org", "o2", "c", false);
        row("other-client", "o", "c2", false);
        for (String id : database.keySet()) {
            cut.find(id);
        }
        assertEquals(4, reads.get());
        row("a1", "o", "c", true);
        row("a2", "o", "c", true);
        cut.forgetClient("o", "c");
        assertTrue(cut.find("a1").orElseThrow().revoked());
        assertTrue(cut.find("a2").orElseThrow().revoked());
        cut.find("other-org");
        cut.find("other-client");
        assertEquals(6, reads.get(), "only the client's two tokens were read again");
    }

    /** A row read just before a revocation committed must not be stored after the revocation's invalidation. */
    @Test
    void aRowReadBeforeARevocationIsNotStoredAfterIt() {
        row("t1", "o", "c", false);
        duringRead = id -> {
            duringRead = x -> { };
            row("t1", "o", "c", true);   // the revocation commits ...
            cut.forgetToken("t1");      // ... and invalidates while the old row is in flight
        };
        assertTrue(!cut.find("t1").orElseThrow().revoked(), "the in-flight read answers what it read");
        assertTrue(cut.find("t1").orElseThrow().revoked(), "but the next lookup sees the revocation");
        assertEquals(2, reads.get());
    }

    @Test
    void aRowReadBeforeAClientRevocationIsNotStoredAfterIt() {
        row("t1", "o", "c", false);
        duringRead = id -> {
            duringRead = x -> { };
            row("t1", "o", "c", true);
            cut.forgetClient("o", "c");
        };
        cut.find("t1");
        assertTrue(cut.find("t1").orElseThrow().revoked());
    }

    @Test
    void rowsOlderThanTheWindowAreReadAgain() {
        row("t1", "o", "c", false);
        cut.find("t1");
        nanos.addAndGet(Duration.ofMillis(999).toNanos());
        cut.find("t1");
        assertEquals(1, reads.get());
        nanos.addAndGet(Duration.ofMillis(2).toNanos());
        cut.find("t1");
        assertEquals(2, reads.get());
    }

    @Test
    void aDatabaseFailurePropagatesAndStoresNothing() {
        TokenStates failing = new TokenStates(id -> {
            throw new IllegalStateException("database down");
        }, 10, Duration.ofSeconds(1), nanos::get);
        assertThrows(IllegalStateException.class, () -> failing.find("t1"));
        assertEquals(0, failing.size());
    }

    @Test
    void theNumberOfRowsIsBounded() {
        for (int i = 0; i < 5000; i++) {
            row("t" + i, "o", "c", false);
            cut.find("t" + i);
        }
        assertTrue(cut.size() <= 1000, "held " + cut.size());
    }
}
