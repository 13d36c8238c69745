package dev.latchkey.access.control;

import dev.latchkey.platform.http.BearerCredentials;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The handshake's one credential: client_key, or the Authorization header; more than one is ambiguous. */
class HandshakeCredentialsTest {

    private static String chosen(String[] clientKeys, List<String> headers) {
        HandshakeCredentials.Choice choice = HandshakeCredentials.choose(clientKeys, headers);
        assertFalse(choice.ambiguous());
        return choice.credential();
    }

    @Test
    void clientKeyAlone() {
        assertEquals("Bearer a", chosen(new String[] {"Bearer a"}, List.of()));
    }

    @Test
    void clientKeyAndTheSameHeader() {
        assertEquals("Bearer a", chosen(new String[] {"Bearer a"}, List.of("Bearer a")));
    }

    @Test
    void headerWhenNoClientKey() {
        assertEquals("Bearer b", chosen(null, List.of("Bearer b")));
        assertEquals("Bearer b", chosen(new String[] {""}, List.of("Bearer b")));
        assertEquals("Bearer b", chosen(new String[] {"  "}, List.of("Bearer b")));
    }

    @Test
    void neitherIsMissing() {
        assertNull(chosen(null, List.of()));
        assertEquals(BearerCredentials.Problem.MISSING,
                BearerCredentials.extract(chosen(new String[] {""}, List.of())).problem());
    }

    @Test
    void moreThanOneCredentialIsAmbiguous() {
        assertTrue(HandshakeCredentials.choose(new String[] {"Bearer a", "Bearer b"}, List.of()).ambiguous());
        assertTrue(HandshakeCredentials.choose(new String[] {"Bearer a", "Bearer a"}, List.of()).ambiguous());
        assertTrue(HandshakeCredentials.choose(null, List.of("Bearer a", "Bearer b")).ambiguous());
        assertTrue(HandshakeCredentials.choose(new String[] {"Bearer a"}, List.of("Bearer b")).ambiguous());
        assertTrue(HandshakeCredentials.choose(new String[] {"Basic x"}, List.of("Bearer b")).ambiguous());
        assertNull(HandshakeCredentials.choose(new String[] {"Bearer a"}, List.of("Bearer b")).credential());
    }
}
