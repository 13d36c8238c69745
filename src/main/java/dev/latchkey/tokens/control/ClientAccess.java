package dev.latchkey.tokens.control;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.latchkey.platform.cache.CacheLease;
import dev.latchkey.platform.operations.Meters;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Clock;

/**
 * The server's single {@link TokenValidator}, wired to the signing keys and to the token store through the
 * in-memory {@link TokenStates}. The store is a {@code @Stateless} EJB: its reads never take a lock, and only
 * cache misses reach it.
 */
@ApplicationScoped
public class ClientAccess {

    @Inject
    SigningKeys signingKeys;

    @Inject
    TokenStore tokenStore;

    @Inject
    Clock clock;

    @Inject
    CacheLease lease;

    @Inject
    Meters meters;

    private TokenStates states;
    private TokenValidator validator;
    private JwtCodec codec;

    @PostConstruct
    void init() {
        states = new TokenStates(tokenStore::find, TokenStates.MAX_ENTRIES, lease.freshFor(), Ticker.systemTicker())
                .metered(meters.counter("latchkey_token_cache_hits", "Token lookups answered from memory"),
                        meters.counter("latchkey_token_cache_misses", "Token lookups that read the database"));
        codec = signingKeys.codec();
        TokenStates rows = states;
        CacheLease.Check held = lease.check();
        validator = new TokenValidator(codec, tokenId -> {
            held.ensure();
            return rows.find(tokenId);
        }, clock);
    }

    /**
     * A revocation has committed: forget the rows it changed before anything else observes it, so that the
     * revoke's 200 (sent after every observer returned) is never followed by an acceptance on this node.
     */
    void revoked(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) Revocation revocation) {
        forget(revocation);
    }

    /** A revocation committed here or on another node: the rows it changed are read from the database next time. */
    public void forget(Revocation revocation) {
        if (revocation.isWholeClient()) {
            states.forgetClient(revocation.orgId(), revocation.clientId());
        } else {
            states.forgetToken(revocation.tokenId());
        }
    }

    /**
     * The {@code X-Latchkey-Assertion} for a request forwarded on behalf of {@code client}: a JWT signed with the
     * current key that lives 60 s ({@link JwtCodec#assertion}); null while that key is HS256.
     *
     * @param path the request's path as the upstream receives it, without its query
     */
    public String assertion(ClientPrincipal client, String method, String path) {
        return codec.assertion(client, method, path, clock.millis());
    }

    public TokenValidator validator() {
        return validator;
    }
}
