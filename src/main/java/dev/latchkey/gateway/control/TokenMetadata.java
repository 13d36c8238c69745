package dev.latchkey.gateway.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.tokens.control.ClientPrincipal;
import dev.latchkey.tokens.control.TokenStore;
import dev.latchkey.tokens.entity.ClientToken;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * The {@code X-Latchkey-Metadata} value of a token: the base64url of the metadata JSON stored with it. A token's
 * metadata never changes, so it is read from the database once per token and kept while the token is in use.
 */
@ApplicationScoped
public class TokenMetadata {

    private static final String EMPTY = Signing.base64Url("{}");

    @Inject
    TokenStore tokens;

    private Cache<String, String> encoded;

    @PostConstruct
    void init() {
        encoded = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();
    }

    public String of(ClientPrincipal client) {
        return encoded.get(client.tokenId(), tokenId -> tokens.findOwned(client.orgId(), tokenId)
                .map(ClientToken::metadata).map(Signing::base64Url).orElse(EMPTY));
    }
}
