/**
 * Client tokens: the org endpoints (minting, revoking, listing, introspecting), signing-key rotation behind the
 * admin guard, the JWT codec and the signing keys, the token store, and the validator core that every client
 * transport calls: {@code TokenValidator}, its failure table {@code TokenFailure}, the token-row cache
 * {@code TokenStates}, and {@code ClientAccess}, the server's one wired validator.
 */
package dev.latchkey.tokens;
