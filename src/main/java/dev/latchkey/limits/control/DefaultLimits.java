package dev.latchkey.limits.control;

import static dev.latchkey.platform.json.JsonFactory.JSON;

import dev.latchkey.platform.http.ApiError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@code default} organization's limits from the environment, used until the admin API sets its own
 * ({@code docs/limits.md}): {@value #MAX_ACTIVE_TOKENS} with {@value #TOKENS_ON_LIMIT} ({@code refuse}, the default,
 * or {@code revoke_oldest}), {@value #MAX_SOCKETS} with {@value #SOCKETS_ON_LIMIT} ({@code refuse}, the default, or
 * {@code close_oldest}), {@value #RATE_PER_SECOND} with {@value #RATE_BURST} (requests; the default burst is the
 * rate). Read through MicroProfile Config, like {@code platform.config.Settings}.
 */
@ApplicationScoped
public class DefaultLimits {

    public static final String MAX_ACTIVE_TOKENS = "LATCHKEY_LIMIT_MAX_ACTIVE_TOKENS";
    public static final String TOKENS_ON_LIMIT = "LATCHKEY_LIMIT_MAX_ACTIVE_TOKENS_ON_LIMIT";
    public static final String MAX_SOCKETS = "LATCHKEY_LIMIT_MAX_SOCKETS";
    public static final String SOCKETS_ON_LIMIT = "LATCHKEY_LIMIT_MAX_SOCKETS_ON_LIMIT";
    public static final String RATE_PER_SECOND = "LATCHKEY_LIMIT_RATE_PER_SECOND";
    public static final String RATE_BURST = "LATCHKEY_LIMIT_RATE_BURST";

    @Inject
    @ConfigProperty(name = MAX_ACTIVE_TOKENS)
    Optional<String> maxActiveTokens;

    @Inject
    @ConfigProperty(name = TOKENS_ON_LIMIT, defaultValue = "refuse")
    String tokensOnLimit;

    @Inject
    @ConfigProperty(name = MAX_SOCKETS)
    Optional<String> maxSockets;

    @Inject
    @ConfigProperty(name = SOCKETS_ON_LIMIT, defaultValue = "refuse")
    String socketsOnLimit;

    @Inject
    @ConfigProperty(name = RATE_PER_SECOND)
    Optional<String> ratePerSecond;

    @Inject
    @ConfigProperty(name = RATE_BURST)
    Optional<String> rateBurst;

    /**
     * The limits the variables give (none when none is set).
     *
     * @throws IllegalStateException naming the variable, when one is malformed
     */
    public OrgLimits read() {
        return parse(maxActiveTokens, tokensOnLimit, maxSockets, socketsOnLimit, ratePerSecond, rateBurst);
    }

    static OrgLimits parse(Optional<String> maxActiveTokens, String tokensOnLimit, Optional<String> maxSockets,
                           String socketsOnLimit, Optional<String> ratePerSecond, Optional<String> rateBurst) {
        JsonObjectBuilder body = JSON.createObjectBuilder();
        Optional<Long> tokens = number(MAX_ACTIVE_TOKENS, maxActiveTokens);
        tokens.ifPresent(limit -> body.add("max_active_tokens", JSON.createObjectBuilder()
                .add("limit", limit).add("on_limit", tokensOnLimit.trim())));
        number(MAX_SOCKETS, maxSockets).ifPresent(limit -> body.add("max_sockets", JSON.createObjectBuilder()
                .add("limit", limit).add("on_limit", socketsOnLimit.trim())));
        Optional<Long> rate = number(RATE_PER_SECOND, ratePerSecond);
        Optional<Long> burst = number(RATE_BURST, rateBurst);
        if (burst.isPresent() && rate.isEmpty()) {
            throw new IllegalStateException(RATE_BURST + " is set without " + RATE_PER_SECOND);
        }
        rate.ifPresent(perSecond -> body.add("rate", JSON.createObjectBuilder()
                .add("per_second", perSecond).add("burst", burst.orElse(perSecond))));
        try {
            return OrgLimits.parse(body.build());
        } catch (ApiError e) {
            throw new IllegalStateException("LATCHKEY_LIMIT_ variables: " + e.detail(), e);
        }
    }

    private static Optional<Long> number(String name, Optional<String> text) {
        Optional<String> value = text.map(String::trim).filter(v -> !v.isEmpty());
        try {
            return value.map(Long::parseLong);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be an integer between 1 and " + OrgLimits.MAX_VALUE);
        }
    }
}
