package dev.latchkey.gateway.control;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which headers cross the gateway. Never forwarded in either direction: hop-by-hop headers (RFC 9110, section
 * 7.6.1) and every header the {@code Connection} header names. Never forwarded to the upstream: the client's
 * credential, anything claiming to be Latchkey's ({@code X-Latchkey-*}) or a proxy's ({@code Forwarded},
 * {@code X-Forwarded-*}), and what the HTTP client sets itself ({@code Host}, {@code Content-Length},
 * {@code Expect}). Never passed back to the client: the upstream's own CORS headers (Latchkey answers CORS for
 * the origins it allows).
 */
public final class HopHeaders {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization");
    private static final Set<String> NOT_UPSTREAM = Set.of("authorization", "forwarded", "host", "content-length",
            "expect", "http2-settings");

    private HopHeaders() {
    }

    /** The lower-case names the {@code Connection} header values list. */
    public static Set<String> namedByConnection(List<String> connectionValues) {
        if (connectionValues == null || connectionValues.isEmpty()) {
            return Set.of();
        }
        java.util.HashSet<String> names = new java.util.HashSet<>();
        for (String value : connectionValues) {
            for (String name : value.split(",")) {
                names.add(name.trim().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** Whether a client's request header is passed to the upstream. */
    public static boolean toUpstream(String name, Set<String> namedByConnection) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !HOP_BY_HOP.contains(lower) && !NOT_UPSTREAM.contains(lower) && !namedByConnection.contains(lower)
                && !lower.startsWith("x-latchkey-") && !lower.startsWith("x-forwarded-");
    }

    /** Whether an upstream's response header is passed back to the client. */
    public static boolean toClient(String name, Set<String> namedByConnection) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !HOP_BY_HOP.contains(lower) && !namedByConnection.contains(lower)
                && !lower.startsWith("access-control-") && !lower.equals(":status");
    }
}
