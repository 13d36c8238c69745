package dev.latchkey.gateway.control;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a proxied request goes: {@code {url}/{path}?{query}}, with the path and query as the client sent them
 * (still percent-encoded), and never anywhere outside {@code {url}}. A path is refused, not repaired, when a
 * segment is empty ({@code //host}), is {@code .} or {@code ..} once decoded ({@code %2e%2e}) or once its
 * {@code ;} parameters are dropped ({@code ..;/}, which Tomcat, Jetty and Spring read as {@code ..}: Istio issue
 * 27409, Envoy's {@code normalize_path} in CVE-2026-73551), hides a slash or a backslash ({@code %2f},
 * {@code %5c}), or holds a character RFC 3986 does not allow in a path segment. The query is passed byte for byte,
 * except that a character RFC 3986 does not allow in a query ({@code |}, {@code {}, a space, a byte above 127...)
 * is percent-encoded, which an upstream decodes to the same byte; a {@code #} or a broken {@code %} escape is
 * refused.
 */
public final class UpstreamPaths {

    private UpstreamPaths() {
    }

    /**
     * @param base       the organization's upstream URL (absolute http or https, no query, no fragment)
     * @param rawSubPath the client's path below {@code /client_api/}, percent-encoded as received
     * @param rawQuery   the client's query as received (the servlet's query string: bytes as ISO-8859-1), or null
     * @return the upstream URL, below {@code base}
     * @throws IllegalArgumentException when the path or query could leave the base or is not a valid URI part
     */
    public static URI resolve(URI base, String rawSubPath, String rawQuery) {
        if (rawSubPath.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        String[] segments = rawSubPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (!(segments[i].isEmpty() && i == segments.length - 1 && i > 0)) { // a trailing slash is kept
                checkSegment(segments[i]);
            }
        }
        String query = rawQuery == null ? null : query(rawQuery);
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        while (basePath.endsWith("/")) {
            basePath = basePath.substring(0, basePath.length() - 1);
        }
        String target = base.getScheme() + "://" + base.getRawAuthority() + basePath + "/" + rawSubPath
                + (query == null ? "" : "?" + query);
        try {
            URI uri = new URI(target);
            if (!uri.getRawAuthority().equals(base.getRawAuthority()) || !uri.getRawPath().startsWith(basePath + "/")) {
                throw new IllegalArgumentException("outside the base");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI");
        }
    }

    private static void checkSegment(String segment) {
        if (segment.isEmpty()) {
            throw new IllegalArgumentException("empty segment");
        }
        checkChars(segment);
        String lower = segment.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")) {
            throw new IllegalArgumentException("encoded separator");
        }
        String decoded = lower.replace("%2e", ".").replace("%3b", ";");
        int parameters = decoded.indexOf(';');
        String name = parameters < 0 ? decoded : decoded.substring(0, parameters);
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("dot segment");
        }
    }

    /** RFC 3986: pchar = unreserved / pct-encoded / sub-delims / ":" / "@"; a query also allows "/" and "?". */
    private static void checkChars(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!allowed(text, i, false)) {
                throw new IllegalArgumentException("invalid character");
            }
        }
    }

    private static boolean allowed(String text, int i, boolean query) {
        char c = text.charAt(i);
        if (c == '%') {
            return i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2));
        }
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=:@".indexOf(c) >= 0 || (query && (c == '/' || c == '?'));
    }

    /** The query as sent, with only what RFC 3986 does not allow in a query percent-encoded, byte by byte. */
    private static String query(String rawQuery) {
        StringBuilder query = null;
        for (int i = 0; i < rawQuery.length(); i++) {
            char c = rawQuery.charAt(i);
            if (c == '#' || c > 0xff || (c == '%' && !allowed(rawQuery, i, true))) {
                throw new IllegalArgumentException("invalid query");
            }
            boolean ok = allowed(rawQuery, i, true);
            if (!ok && query == null) {
                query = new StringBuilder(rawQuery.length() + 16).append(rawQuery, 0, i);
            }
            if (query != null) {
                if (ok) {
                    query.append(c);
                } else {
                    query.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
                }
            }
        }
        return query == null ? rawQuery : query.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
