package dev.latchkey.tokens.control;

/** The outcome of validating a credential: a principal, or exactly one failure from the table. */
public record Verdict(ClientPrincipal principal, TokenFailure failure) {

    public static Verdict accepted(ClientPrincipal principal) {
        return new Verdict(principal, null);
    }

    public static Verdict rejected(TokenFailure failure) {
        return new Verdict(null, failure);
    }

    public boolean isAccepted() {
        return principal != null;
    }
}
