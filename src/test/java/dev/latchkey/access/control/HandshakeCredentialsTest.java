package dev.latchkey.access.control;

import dev.latchkey.platform.BearerCredentials;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The handshake's credential: client_key first, the Authorization header otherwise. */
class HandshakeCredentialsTest {

    @Test
    void clientKeyWins() {
        assertEquals("Bearer a", HandshakeCredentials.choose("Bearer a", "Bearer b"));
    }

    @Test
    void headerWhenNoClientKey() {
        assertEquals("Bearer b", HandshakeCredentials.choose(null, "Bearer b"));
        assertEquals("Bearer b", HandshakeCredentials.choose("", "Bearer b"));
        assertEquals("Bearer b", HandshakeCredentials.choose("  ", "Bearer b"));
    }

    @Test
    void neitherIsMissing() {
        assertNull(HandshakeCredentials.choose(null, null));
        assertEquals(BearerCredentials.Problem.MISSING,
                BearerCredentials.extract(HandshakeCredentials.choose("", null)).problem());
    }

    @Test
    void aClientKeyThatIsNotBearerIsNotReplacedByTheHeader() {
        assertEquals("Basic x", HandshakeCredentials.choose("Basic x", "Bearer b"));
    }
}
