package dev.latchkey.tokens.control;

/**
 * Fired (as a CDI event) after a signing-key rotation has committed, before it is answered: a cluster makes every
 * node sign with key {@code kid} before the answer is sent.
 */
public record SigningKeyRotated(String kid) {
}
