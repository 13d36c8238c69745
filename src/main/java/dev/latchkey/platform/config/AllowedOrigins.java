package dev.latchkey.platform.config;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The web origins whose pages may use client tokens ({@code LATCHKEY_ALLOWED_ORIGINS}): comma-separated,
 * compared exactly. Empty means any origin. A request without an {@code Origin} header is not from a
 * browser page and is always permitted.
 */
public record AllowedOrigins(Set<String> origins) {

    public static final AllowedOrigins ANY = new AllowedOrigins(Set.of());

    public AllowedOrigins {
        origins = Set.copyOf(origins);
    }

    public static AllowedOrigins parse(String commaSeparated) {
        if (commaSeparated == null) {
            return ANY;
        }
        return new AllowedOrigins(Arrays.stream(commaSeparated.split(","))
                .map(String::strip)
                .filter(origin -> !origin.isEmpty())
                .collect(Collectors.toUnmodifiableSet()));
    }

    public boolean isAny() {
        return origins.isEmpty();
    }

    /** True when no {@code Origin} was sent, when any origin is allowed, or when this one is listed. */
    public boolean permits(String origin) {
        return origin == null || isAny() || origins.contains(origin);
    }
}
