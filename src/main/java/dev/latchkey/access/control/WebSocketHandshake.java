package dev.latchkey.access.control;

import java.util.Base64;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * What makes an HTTP request a WebSocket opening handshake that this server can accept (RFC 6455, section 4.2.1):
 * a GET with {@code Upgrade: websocket}, {@code Connection: Upgrade}, a {@code Sec-WebSocket-Key} that is the
 * base64 of 16 bytes, and {@code Sec-WebSocket-Version: 13}. The WebSocket runtime alone would pass such requests
 * to the servlet (404), open a socket despite a bad key, or answer a bad version with a bodiless 426; checking them
 * before it gives each one the contract's JSON error instead.
 */
public final class WebSocketHandshake {

    public static final String VERSION = "Sec-WebSocket-Version";
    public static final String SUPPORTED_VERSION = "13";
    /** 426 Upgrade Required (RFC 9110, section 15.5.22). */
    public static final int UPGRADE_REQUIRED = 426;

    static final String NOT_UPGRADE =
            "Not a WebSocket handshake: send GET with Upgrade: websocket and Connection: Upgrade";
    static final String BAD_KEY = "Sec-WebSocket-Key must be the base64 encoding of 16 bytes (RFC 6455, section 4.1)";
    static final String BAD_VERSION = "Unsupported Sec-WebSocket-Version: this server speaks version 13 (RFC 6455)";

    private WebSocketHandshake() {
    }

    /**
     * The detail of the refusal, or null for a well-formed handshake.
     *
     * @param header a request header by name, null when absent
     */
    public static String problem(String method, UnaryOperator<String> header) {
        if (!"GET".equals(method) || !hasToken(header.apply("Upgrade"), "websocket")
                || !hasToken(header.apply("Connection"), "upgrade")) {
            return NOT_UPGRADE;
        }
        String key = header.apply("Sec-WebSocket-Key");
        if (!isKey(key == null ? null : key.trim())) {
            return BAD_KEY;
        }
        String version = header.apply(VERSION);
        if (version == null || !SUPPORTED_VERSION.equals(version.trim())) {
            return BAD_VERSION;
        }
        return null;
    }

    /** Whether the refusal with this detail is a 426 (with {@code Upgrade} and the supported version) rather than 400. */
    public static boolean needsUpgrade(String detail) {
        return NOT_UPGRADE.equals(detail) || BAD_VERSION.equals(detail);
    }

    /** A comma-separated header value holds the token, compared case-insensitively (RFC 9110, section 5.6.1). */
    private static boolean hasToken(String value, String token) {
        if (value == null) {
            return false;
        }
        for (String part : value.split(",")) {
            if (part.trim().toLowerCase(Locale.ROOT).equals(token)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isKey(String key) {
        if (key == null || key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
