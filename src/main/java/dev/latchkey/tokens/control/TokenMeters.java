package dev.latchkey.tokens.control;

import dev.latchkey.platform.operations.Meters;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import org.eclipse.microprofile.metrics.Counter;

/**
 * The token series on {@code /metrics}: validations by surface and outcome ({@code accepted}, or the
 * {@link TokenFailure} row in lower case: {@code revoked}, {@code jwt_expired}, ...), tokens minted, revocations
 * by kind. Every counter is resolved once here; a count on a request's path is an array index and one
 * {@code LongAdder.add}.
 */
@ApplicationScoped
public class TokenMeters {

    /** Where a credential was presented. */
    public enum Surface {
        REST, WEBSOCKET_HANDSHAKE, REAUTH, FORWARD_AUTH;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Inject
    Meters meters;

    private Validations[] validations;
    private Counter minted;
    private Counter revokedTokens;
    private Counter revokedClients;

    @PostConstruct
    void register() {
        Meters source = meters != null ? meters : Meters.none();
        validations = new Validations[Surface.values().length];
        for (Surface surface : Surface.values()) {
            validations[surface.ordinal()] = new Validations(source, surface);
        }
        minted = source.counter("latchkey_tokens_minted", "Client tokens minted");
        revokedTokens = source.counter("latchkey_revocations", "Revocations that answered success",
                "kind", "token");
        revokedClients = source.counter("latchkey_revocations", "Revocations that answered success",
                "kind", "client");
    }

    /** Counters that count nothing, for code running outside the container. */
    public static TokenMeters none() {
        TokenMeters none = new TokenMeters();
        none.register();
        return none;
    }

    public Validations validations(Surface surface) {
        return validations[surface.ordinal()];
    }

    public void minted() {
        minted.inc();
    }

    public void revokedToken() {
        revokedTokens.inc();
    }

    public void revokedClient() {
        revokedClients.inc();
    }

    /** The validation outcomes of one surface: {@code latchkey_validations_total{surface, outcome}}. */
    public static final class Validations {

        private final Counter accepted;
        private final Counter[] refused = new Counter[TokenFailure.values().length];

        Validations(Meters meters, Surface surface) {
            String help = "Client credentials validated, by surface and outcome (accepted or the failed check)";
            accepted = meters.counter("latchkey_validations", help, "surface", surface.label(), "outcome", "accepted");
            for (TokenFailure failure : TokenFailure.values()) {
                refused[failure.ordinal()] = meters.counter("latchkey_validations", help,
                        "surface", surface.label(), "outcome", failure.name().toLowerCase(Locale.ROOT));
            }
        }

        public void count(Verdict verdict) {
            (verdict.isAccepted() ? accepted : refused[verdict.failure().ordinal()]).inc();
        }
    }
}
