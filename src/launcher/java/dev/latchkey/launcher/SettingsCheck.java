package dev.latchkey.launcher;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The application's LATCHKEY_ settings, checked before Payara Micro boots so that a malformed one stops the start with
 * one line naming the variable (the caller prints it and exits with status 2) instead of a deployment's stack trace.
 * An unset or blank setting takes its default and is not checked. The application checks the same values again when
 * it starts. No line ever repeats a secret or a database URL (it may hold a password).
 */
final class SettingsCheck {

    static final String MAX_DURATION = "LATCHKEY_MAX_DURATION_SECS";
    static final String EXPIRY_WARNING = "LATCHKEY_WS_EXPIRY_WARNING_SECS";
    static final String RETENTION = "LATCHKEY_RETENTION_DAYS";
    static final String JWT_SECRET = "LATCHKEY_JWT_SECRET";
    static final String SIGNING_ALG = "LATCHKEY_SIGNING_ALG";
    static final String ALLOWED_ORIGINS = "LATCHKEY_ALLOWED_ORIGINS";
    static final String BIND_ADDRESS = "LATCHKEY_BIND_ADDRESS";
    static final String LIMIT_TOKENS = "LATCHKEY_LIMIT_MAX_ACTIVE_TOKENS";
    static final String LIMIT_TOKENS_ON_LIMIT = "LATCHKEY_LIMIT_MAX_ACTIVE_TOKENS_ON_LIMIT";
    static final String LIMIT_SOCKETS = "LATCHKEY_LIMIT_MAX_SOCKETS";
    static final String LIMIT_SOCKETS_ON_LIMIT = "LATCHKEY_LIMIT_MAX_SOCKETS_ON_LIMIT";
    static final String LIMIT_RATE = "LATCHKEY_LIMIT_RATE_PER_SECOND";
    static final String LIMIT_BURST = "LATCHKEY_LIMIT_RATE_BURST";
    /** The largest value of any limit, as the admin API takes it (docs/limits.md). */
    static final long MAX_LIMIT = 1_000_000L;

    /** Ten years: the longest token, or warning, that still leaves expiry times far from any overflow. */
    static final long TEN_YEARS_SECS = 315_360_000L;
    static final long HUNDRED_YEARS_DAYS = 36_500L;
    /** HMAC-SHA256 wants a key at least as long as its output (RFC 7518, section 3.2). */
    static final int MIN_SECRET_BYTES = 32;

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,18}");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+={0,2}");

    private SettingsCheck() {
    }

    /** @param isLocalAddress whether an address belongs to this machine */
    static void check(UnaryOperator<String> settings, Predicate<InetAddress> isLocalAddress)
            throws ClusterSettings.Refusal {
        range(settings, MAX_DURATION, 1, TEN_YEARS_SECS);
        range(settings, EXPIRY_WARNING, 0, TEN_YEARS_SECS);
        range(settings, RETENTION, 0, HUNDRED_YEARS_DAYS);
        secret(settings.apply(JWT_SECRET));
        signingAlg(settings.apply(SIGNING_ALG));
        databaseUrl(settings.apply(ClusterSettings.DB_URL));
        origins(settings.apply(ALLOWED_ORIGINS));
        bindAddress(settings.apply(BIND_ADDRESS), isLocalAddress);
        limits(settings);
    }

    /**
     * The {@code default} organization's limits from LATCHKEY_LIMIT_ variables (docs/limits.md): each number from 1
     * to {@value #MAX_LIMIT}, each action one of its two names, and no burst without a rate. The application reads
     * them only when it first needs them, so without this a malformed one would surface at the first mint.
     */
    private static void limits(UnaryOperator<String> settings) throws ClusterSettings.Refusal {
        range(settings, LIMIT_TOKENS, 1, MAX_LIMIT);
        range(settings, LIMIT_SOCKETS, 1, MAX_LIMIT);
        range(settings, LIMIT_RATE, 1, MAX_LIMIT);
        range(settings, LIMIT_BURST, 1, MAX_LIMIT);
        oneOf(settings, LIMIT_TOKENS_ON_LIMIT, "refuse", "revoke_oldest");
        oneOf(settings, LIMIT_SOCKETS_ON_LIMIT, "refuse", "close_oldest");
        if (isSet(settings.apply(LIMIT_BURST)) && !isSet(settings.apply(LIMIT_RATE))) {
            throw new ClusterSettings.Refusal(LIMIT_BURST + " is set without " + LIMIT_RATE);
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static void oneOf(UnaryOperator<String> settings, String name, String first, String second)
            throws ClusterSettings.Refusal {
        String value = settings.apply(name);
        if (isSet(value) && !value.strip().equals(first) && !value.strip().equals(second)) {
            throw new ClusterSettings.Refusal(name + ": " + ClusterSettings.quoted(value) + " is not " + first
                    + " or " + second);
        }
    }

    /**
     * LATCHKEY_BIND_ADDRESS, the one address the HTTP port listens on: an IPv4 literal of this machine
     * ({@code 0.0.0.0} is every interface, as when it is unset). Empty when unset or blank.
     */
    static Optional<String> bindAddress(String value, Predicate<InetAddress> isLocalAddress)
            throws ClusterSettings.Refusal {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.strip();
        InetAddress address = ClusterSettings.ipv4(text);
        if (address == null) {
            throw new ClusterSettings.Refusal(BIND_ADDRESS + ": " + ClusterSettings.quoted(value)
                    + " is not an IPv4 address such as 127.0.0.1");
        }
        if (!address.isAnyLocalAddress() && !isLocalAddress.test(address)) {
            throw new ClusterSettings.Refusal(BIND_ADDRESS + ": " + text + " is not an address of this machine");
        }
        return Optional.of(address.getHostAddress());
    }

    private static void range(UnaryOperator<String> settings, String name, long min, long max)
            throws ClusterSettings.Refusal {
        String value = settings.apply(name);
        if (value == null || value.isBlank()) {
            return;
        }
        String text = value.strip();
        if (!WHOLE_NUMBER.matcher(text).matches() || Long.parseLong(text) < min || Long.parseLong(text) > max) {
            throw new ClusterSettings.Refusal(name + ": " + ClusterSettings.quoted(value)
                    + " is not a whole number from " + min + " to " + max);
        }
    }

    /** A comma-separated list of base64url keys (the first signs); each must decode to at least 32 bytes. */
    private static void secret(String value) throws ClusterSettings.Refusal {
        if (value == null || value.isBlank()) {
            return;
        }
        String[] entries = value.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            String which = entries.length == 1 ? "the key" : "key " + (i + 1);
            if (entry.isEmpty()) {
                throw new ClusterSettings.Refusal(JWT_SECRET + ": " + which + " is empty");
            }
            byte[] key;
            try {
                key = BASE64URL.matcher(entry).matches() ? Base64.getUrlDecoder().decode(entry) : null;
            } catch (IllegalArgumentException e) {
                key = null;
            }
            if (key == null) {
                throw new ClusterSettings.Refusal(JWT_SECRET + ": " + which
                        + " is not base64url (A-Z a-z 0-9 - _; make one with: openssl rand -base64 32 | tr '+/' '-_')");
            }
            if (key.length < MIN_SECRET_BYTES) {
                throw new ClusterSettings.Refusal(JWT_SECRET + ": " + which + " decodes to " + key.length
                        + " bytes; at least " + MIN_SECRET_BYTES + " are needed");
            }
        }
    }

    /** One of the JWS algorithm names, exactly as RFC 7518 and RFC 8037 spell them. */
    private static void signingAlg(String value) throws ClusterSettings.Refusal {
        if (value == null || value.isBlank()) {
            return;
        }
        String alg = value.strip();
        if (!alg.equals("ES256") && !alg.equals("EdDSA") && !alg.equals("HS256")) {
            throw new ClusterSettings.Refusal(SIGNING_ALG + ": " + ClusterSettings.quoted(value)
                    + " is not ES256, EdDSA or HS256 (spelled exactly so)");
        }
    }

    private static void databaseUrl(String value) throws ClusterSettings.Refusal {
        if (value == null || value.isBlank()) {
            return;
        }
        String url = value.strip();
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new ClusterSettings.Refusal(ClusterSettings.DB_URL
                    + ": must start with jdbc:h2: (embedded) or jdbc:postgresql: (the URL itself is not repeated here)");
        }
    }

    /**
     * Each entry must be an origin as a browser sends it in the {@code Origin} header (RFC 6454, section 6.2):
     * {@code scheme://host[:port]}, lower case, with no path, query or trailing slash.
     */
    private static void origins(String value) throws ClusterSettings.Refusal {
        if (value == null || value.isBlank()) {
            return;
        }
        String[] entries = value.split(",", -1);
        for (String raw : entries) {
            String origin = raw.strip();
            if (origin.isEmpty()) {
                continue; // the application skips empty entries
            }
            if (!isOrigin(origin)) {
                throw new ClusterSettings.Refusal(ALLOWED_ORIGINS + ": " + ClusterSettings.quoted(origin)
                        + " is not an origin (write scheme://host or scheme://host:port, lower case, no path)");
            }
        }
    }

    static boolean isOrigin(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return false;
        }
        return uri.getScheme() != null && uri.getHost() != null && uri.getRawUserInfo() == null
                && uri.getRawPath() != null && uri.getRawPath().isEmpty() && uri.getRawQuery() == null
                && uri.getRawFragment() == null && text.equals(text.toLowerCase(Locale.ROOT))
                && text.equals(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()));
    }
}
