package dev.latchkey.tokens.control;

import java.util.Optional;

/** Finds a token's database row by {@code token_id}: the token store in the server, a map in unit tests. */
@FunctionalInterface
public interface TokenLookup {

    Optional<TokenRecord> find(String tokenId);
}
