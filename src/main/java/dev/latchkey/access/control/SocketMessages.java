package dev.latchkey.access.control;

import dev.latchkey.tokens.control.SessionView;

import dev.latchkey.tokens.control.ClientPrincipal;
import static dev.latchkey.platform.json.JsonFactory.JSON;

import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.json.JsonBodies;
import dev.latchkey.platform.json.Timestamps;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/**
 * The {@code /client_ws} protocol as text: every message the server sends, and the reading of what a client
 * sends. Every message is a JSON object with a {@code type}.
 */
public final class SocketMessages {

    /** Messages larger than this (64 KiB as UTF-8) close the connection with 1009. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;

    static final String NOT_JSON = "Message is not valid JSON";
    static final String NO_TYPE = "Message must be a JSON object with a string \"type\"";
    static final String UNKNOWN_TYPE = "Unknown message type";
    static final int MAX_ID_LENGTH = 255;
    static final String SEND_NEEDS_ID = "A send message needs a string \"id\" of 1 to " + MAX_ID_LENGTH + " characters";
    static final String NOT_TEXT = "Binary messages are not supported: send JSON text";

    private SocketMessages() {
    }

    /** What a client can ask for. */
    public enum Kind { PING, REAUTH, SEND, INVALID }

    /**
     * A read client message: {@code accessToken} is set for REAUTH (null when missing), {@code detail} for INVALID,
     * {@code id} and {@code data} for SEND ({@code data} is JSON null when absent).
     */
    public record Incoming(Kind kind, String accessToken, String detail, String id, JsonValue data) {

        Incoming(Kind kind, String accessToken, String detail) {
            this(kind, accessToken, detail, null, null);
        }

        static Incoming invalid(String detail) {
            return new Incoming(Kind.INVALID, null, detail);
        }
    }

    public static Incoming read(String text) {
        JsonValue value;
        try (JsonParser parser = JSON.createParser(new StringReader(text))) {
            value = JsonBodies.strict(parser, "Message");
        } catch (ApiError e) {
            return Incoming.invalid(e.detail());
        }
        if (!(value instanceof JsonObject message) || !(message.get("type") instanceof JsonString type)) {
            return Incoming.invalid(NO_TYPE);
        }
        return switch (type.getString()) {
            case "ping" -> new Incoming(Kind.PING, null, null);
            case "reauth" -> new Incoming(Kind.REAUTH,
                    message.get("access_token") instanceof JsonString token ? token.getString() : null, null);
            case "send" -> readSend(message);
            default -> Incoming.invalid(UNKNOWN_TYPE);
        };
    }


    private static Incoming readSend(JsonObject message) {
        if (!(message.get("id") instanceof JsonString id) || id.getString().isEmpty()
                || id.getString().length() > MAX_ID_LENGTH) {
            return Incoming.invalid(SEND_NEEDS_ID);
        }
        JsonValue data = message.containsKey("data") ? message.get("data") : JsonValue.NULL;
        return new Incoming(Kind.SEND, null, null, id.getString(), data);
    }

    /** Whether a text message is over the limit, counted in UTF-8 bytes whatever the platform charset. */
    public static boolean isTooBig(String text) {
        // a char never takes more than 3 UTF-8 bytes: only long texts need counting
        return text.length() * 3L > MAX_MESSAGE_BYTES
                && text.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES;
    }

    public static String session(ClientPrincipal principal, long nowMillis) {
        return SessionView.socket(principal, nowMillis);
    }

    public static String pong() {
        return "{\"type\":\"pong\"}";
    }

    /** The organization's answer to a client's {@code send}. */
    public static String reply(String id, JsonValue data) {
        return JSON.createObjectBuilder().add("type", "reply").add("id", id).add("data", data).build().toString();
    }

    /** A failed {@code send}: the error names the message it answers. */
    public static String error(String id, String detail) {
        return JSON.createObjectBuilder().add("type", "error").add("id", id).add("detail", detail).build().toString();
    }

    public static String error(String detail) {
        return JSON.createObjectBuilder().add("type", "error").add("detail", detail).build().toString();
    }

    /** The expiry warning; {@code expires_in} as {@link Timestamps#secondsLeft}, like every other one. */
    public static String tokenExpiring(ClientPrincipal principal, long nowMillis) {
        return JSON.createObjectBuilder()
                .add("type", "token_expiring")
                .add("expires_in", secondsLeft(principal, nowMillis))
                .build().toString();
    }

    public static String message(JsonValue data) {
        return JSON.createObjectBuilder().add("type", "message").add("data", data).build().toString();
    }

    /** Seconds left, by the one rounding rule of every {@code expires_in} ({@link Timestamps#secondsLeft}). */
    static long secondsLeft(ClientPrincipal principal, long nowMillis) {
        return Timestamps.secondsLeft(principal.expiresAt(), nowMillis);
    }
}
