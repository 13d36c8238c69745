package dev.latchkey.access.control;

import dev.latchkey.tokens.control.SigningKeys;
import dev.latchkey.tokens.control.TokenStore;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/** The server's single {@link TokenValidator}, wired to the signing keys and the token store. */
@ApplicationScoped
public class ClientAccess {

    @Inject
    SigningKeys signingKeys;

    @Inject
    TokenStore tokenStore;

    @Inject
    Clock clock;

    private TokenValidator validator;

    @PostConstruct
    void init() {
        validator = new TokenValidator(signingKeys.codec(), tokenStore::find, clock);
    }

    public TokenValidator validator() {
        return validator;
    }
}
