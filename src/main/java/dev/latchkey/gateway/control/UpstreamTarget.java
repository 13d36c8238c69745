package dev.latchkey.gateway.control;

import dev.latchkey.gateway.entity.Upstream;
import java.net.URI;
import java.util.Locale;

/**
 * An organization's upstream as the gateway uses it, read from its row.
 *
 * @param url         the base URL client requests below {@code /client_api} go to
 * @param messagesUrl where clients' WebSocket messages are POSTed; null when not set
 * @param secret      the HMAC secret that signs what is forwarded
 */
public record UpstreamTarget(String orgId, URI url, URI messagesUrl, String secret) {

    /** The longest URL accepted, in characters. */
    public static final int MAX_URL_LENGTH = 2048;

    static UpstreamTarget of(Upstream row) {
        return new UpstreamTarget(row.orgId(), URI.create(row.url()),
                row.messagesUrl() == null ? null : URI.create(row.messagesUrl()), row.signingSecret());
    }

    /**
     * Checks a configured URL: absolute {@code http} or {@code https} with a host, no user info (no credentials
     * in URLs, which end up in logs), no query and no fragment (the client's path and query are appended to it).
     *
     * @return the URL, normalized to have no trailing slash
     * @throws IllegalArgumentException with the reason, fit to follow the field's name in an error detail
     */
    public static String checkUrl(String text) {
        if (text.length() > MAX_URL_LENGTH) {
            throw new IllegalArgumentException("must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("must be a valid absolute http or https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("must be a valid absolute http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not contain credentials");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || text.contains("?") || text.contains("#")) {
            throw new IllegalArgumentException("must not have a query or a fragment");
        }
        String normalized = text;
        while (normalized.endsWith("/")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        return normalized;
    }
}
