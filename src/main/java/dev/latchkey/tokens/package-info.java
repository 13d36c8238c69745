/**
 * Client tokens: the org endpoints (minting, revoking, listing, introspecting, the revocation feed), signing-key
 * rotation behind the admin guard, the public key set {@code /.well-known/jwks.json} ({@code boundary.KeySetServlet}),
 * the JWT codec and the signing keys (HS256, ES256 or EdDSA, each fixed to its key; a key ring of current, next and
 * retired keys, {@code control.SigningKeys}), the token store and the feed's store ({@code FeedStore}, written in
 * each revocation's transaction) with the readers waiting on it ({@code RevocationFeed}), and the validator core
 * that every client transport calls: {@code TokenValidator}, its failure table {@code TokenFailure}, the token-row
 * cache {@code TokenStates}, and {@code ClientAccess}, the server's one wired validator, which also signs the
 * gateway's upstream assertions.
 */
package dev.latchkey.tokens;
