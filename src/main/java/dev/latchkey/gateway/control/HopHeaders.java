package dev.latchkey.gateway.control;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which headers cross the gateway. Never forwarded in either direction: hop-by-hop headers (RFC 9110, section
 * 7.6.1) and every header the {@code Connection} header names. Never forwarded to the upstream: the client's
 * credential, anything claiming to be Latchkey's ({@code X-Latchkey-*}) or a proxy's ({@code Forwarded},
 * {@code X-Forwarded-*}, {@code X-Real-IP}), and what the HTTP client sets itself ({@code Host},
 * {@code Content-Length}, {@code Expect}). Never passed back to the client: the upstream's own CORS headers
 * (Latchkey answers CORS for the origins it allows).
 *
 * <p>Names are compared {@link #folded folded}, as the upstream's framework may read them: CGI (RFC 3875,
 * section 4.1.18), WSGI and PHP turn {@code X-Latchkey-Client-Id} and {@code X_Latchkey_Client_Id} into the same
 * variable, and nginx does with {@code underscores_in_headers on}; so a look-alike of a header Latchkey sets is
 * dropped like the header itself (Traefik CVE-2024-45410 and GHSA-x677-9fxg-v5c5, oauth2-proxy CVE-2025-64484,
 * Caddy GHSA-f59h-q822-g45g).
 */
public final class HopHeaders {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization");
    private static final Set<String> NOT_UPSTREAM = Set.of("authorization", "forwarded", "host", "content-length",
            "expect", "http2-settings");

    private HopHeaders() {
    }

    /**
     * A header name as a framework behind the gateway may read it: lower case, and every character other than an
     * ASCII letter or digit read as {@code -} ({@code X_Latchkey.Client~Id} is {@code x-latchkey-client-id}).
     */
    public static String folded(String name) {
        char[] chars = new char[name.length()];
        for (int i = 0; i < chars.length; i++) {
            char c = name.charAt(i);
            chars[i] = c >= 'A' && c <= 'Z' ? (char) (c + 32)
                    : (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '-';
        }
        return new String(chars);
    }

    /**
     * Whether a folded name is one Latchkey sets or owns on the way to the upstream: {@code x-latchkey-*},
     * {@code forwarded}, {@code x-forwarded-*}, {@code x-real-ip}.
     */
    public static boolean owned(String folded) {
        return folded.startsWith("x-latchkey-") || folded.startsWith("x-forwarded-") || folded.equals("forwarded")
                || folded.equals("x-real-ip");
    }

    /** The folded names the {@code Connection} header values list. */
    public static Set<String> namedByConnection(List<String> connectionValues) {
        if (connectionValues == null || connectionValues.isEmpty()) {
            return Set.of();
        }
        HashSet<String> names = new HashSet<>();
        for (String value : connectionValues) {
            for (String name : value.split(",")) {
                names.add(folded(name.trim()));
            }
        }
        return names;
    }

    /** Whether a client's request header is passed to the upstream; every name is compared folded. */
    public static boolean toUpstream(String name, Set<String> namedByConnection) {
        String folded = folded(name);
        return !HOP_BY_HOP.contains(folded) && !NOT_UPSTREAM.contains(folded) && !namedByConnection.contains(folded)
                && !owned(folded);
    }

    /**
     * Whether a header can travel to the upstream as it is: its name a token (RFC 9110, section 5.1), its value
     * without control characters other than horizontal tab and without characters beyond ISO-8859-1 (section 5.5).
     * The HTTP client writes names and values as given, so the gateway checks what the container let through.
     */
    public static boolean isSendable(String name, String value) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!token) {
                return false;
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF || c == 0x7F || (c < 0x20 && c != '\t')) {
                return false;
            }
        }
        return true;
    }

    /** Whether an upstream's response header is passed back to the client. */
    public static boolean toClient(String name, Set<String> namedByConnection) {
        String folded = folded(name);
        return !HOP_BY_HOP.contains(folded) && !namedByConnection.contains(folded)
                && !folded.startsWith("access-control-") && !name.equals(":status");
    }
}
