package dev.latchkey.access.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import dev.latchkey.tokens.control.ClientPrincipal;
import dev.latchkey.tokens.control.TokenFailure;
import dev.latchkey.tokens.control.TokenRecord;
import dev.latchkey.tokens.control.TokenValidator;
import dev.latchkey.tokens.control.Verdict;
import dev.latchkey.tokens.control.JwtCodec;
import dev.latchkey.tokens.control.KeyRing;
import jakarta.websocket.server.HandshakeRequest;
import java.net.URI;
import java.security.Principal;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The configurator's verdict: the filter's principal when it arrived, the same validator otherwise. */
class ClientWsConfiguratorTest {

    private JwtCodec codec;
    private TokenValidator validator;
    private String token;

    @BeforeEach
    void setUp() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        KeyRing ring = new KeyRing("k1", Map.of("k1", KeyRing.hmac(secret)));
        codec = new JwtCodec(() -> ring);
        long now = System.currentTimeMillis();
        TokenRecord row = new TokenRecord("t1", "o1", "c1", now, now + 60_000, false);
        validator = new TokenValidator(codec, id -> id.equals("t1") ? Optional.of(row) : Optional.empty(),
                Clock.systemUTC());
        token = codec.sign("org-1", "c1", "t1", now, now + 60_000);
    }

    private static HandshakeRequest request(Principal principal, Map<String, List<String>> parameters,
                                            Map<String, List<String>> headers) {
        return new HandshakeRequest() {
            public Map<String, List<String>> getHeaders() {
                return headers;
            }

            public Principal getUserPrincipal() {
                return principal;
            }

            public URI getRequestURI() {
                return URI.create("/api/v1/client_ws");
            }

            public boolean isUserInRole(String role) {
                return false;
            }

            public Object getHttpSession() {
                return null;
            }

            public Map<String, List<String>> getParameterMap() {
                return parameters;
            }

            public String getQueryString() {
                return null;
            }
        };
    }

    private static final Supplier<TokenValidator> NOT_CALLED = () -> fail("the filter already validated");

    @Test
    void thePrincipalFromTheFilterIsUsedAsIs() {
        ClientPrincipal principal = new ClientPrincipal("o1", "c1", "t1", 0, 1);
        Verdict verdict = ClientWsConfigurator.verdictOf(request(principal, Map.of(), Map.of()), NOT_CALLED);
        assertSame(principal, verdict.principal());
    }

    @Test
    void withoutItTheClientKeyIsValidated() {
        Verdict verdict = ClientWsConfigurator.verdictOf(
                request(null, Map.of("client_key", List.of("Bearer " + token)), Map.of()), () -> validator);
        assertEquals("t1", verdict.principal().tokenId());
    }

    @Test
    void orTheAuthorizationHeaderInAnyCase() {
        Map<String, List<String>> headers = new TreeMap<>();
        headers.put("authorization", List.of("Bearer " + token));
        Verdict verdict = ClientWsConfigurator.verdictOf(request(() -> "someone else", Map.of(), headers), () -> validator);
        assertEquals("t1", verdict.principal().tokenId());
    }

    @Test
    void failuresAreTheTableRows() {
        assertEquals(TokenFailure.MISSING_CREDENTIAL,
                ClientWsConfigurator.verdictOf(request(null, Map.of(), Map.of()), () -> validator).failure());
        assertEquals(TokenFailure.NOT_BEARER, ClientWsConfigurator.verdictOf(
                request(null, Map.of("client_key", List.of(token)), Map.of()), () -> validator).failure());
        assertEquals(TokenFailure.INVALID_FORMAT, ClientWsConfigurator.verdictOf(
                request(null, Map.of("client_key", List.of("Bearer x")), Map.of()), () -> validator).failure());
    }
}
