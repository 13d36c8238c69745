package dev.latchkey.orgs.control;

/**
 * Fired (as a CDI event) after an org key's revocation has committed and this node has forgotten the key, before
 * the revocation is answered: a cluster makes every node forget it before the answer is sent.
 */
public record OrgKeyRevoked(String keyId) {
}
