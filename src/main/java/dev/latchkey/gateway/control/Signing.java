package dev.latchkey.gateway.control;

import dev.latchkey.platform.json.Timestamps;
import dev.latchkey.tokens.control.ClientPrincipal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The identity headers Latchkey adds to what it forwards, and the signature that proves they came from Latchkey.
 * <p>Identity: {@code X-Latchkey-Org-Id}, {@code -Client-Id} (percent-encoded UTF-8, RFC 3986, so any client id
 * fits in a header; an id of unreserved ASCII characters arrives as it is), {@code -Token-Id}, {@code -Expires-At}
 * (ISO-8601 UTC) and {@code -Metadata} (unpadded base64url of the token's metadata JSON).
 * <p>Signature: {@code X-Latchkey-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>} with the organization's secret
 * (its UTF-8 bytes) over these lines joined by {@code \n}: {@code latchkey-v1}, the seconds, the
 * {@code X-Latchkey-Request-Id} (a random UUID per request, for the upstream to refuse a replay), the method,
 * the path and query as sent to the upstream, then the five identity header values in the order above. The body
 * is not signed: it is streamed, and TLS protects it on the way.
 */
public final class Signing {

    public static final String ORG_ID = "X-Latchkey-Org-Id";
    public static final String CLIENT_ID = "X-Latchkey-Client-Id";
    public static final String TOKEN_ID = "X-Latchkey-Token-Id";
    public static final String EXPIRES_AT = "X-Latchkey-Expires-At";
    public static final String METADATA = "X-Latchkey-Metadata";
    public static final String REQUEST_ID = "X-Latchkey-Request-Id";
    public static final String SIGNATURE = "X-Latchkey-Signature";
    /** A JWT of the same facts, verifiable with the public key set ({@code docs/gateway.md}); absent with HS256 keys. */
    public static final String ASSERTION = "X-Latchkey-Assertion";
    static final String SECRET_PREFIX = "lks-";
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * One MAC per thread, keyed again only when the secret changes: looking the algorithm up costs more than the MAC,
     * and keying it (two SHA-256 blocks over the padded key) about as much as signing a request's lines. A MAC is
     * back in its keyed start state after every {@code doFinal}.
     */
    private static final ThreadLocal<KeyedMac> HMAC = ThreadLocal.withInitial(KeyedMac::new);

    private Signing() {
    }

    /** A new signing secret: {@code lks-} and 43 base64url characters (256 random bits). */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The five identity headers as name, value pairs, in signing order. */
    public static List<String[]> identity(ClientPrincipal client, String metadataBase64) {
        List<String[]> headers = new ArrayList<>(5);
        headers.add(new String[] {ORG_ID, client.orgId()});
        headers.add(new String[] {CLIENT_ID, headerSafe(client.clientId())});
        headers.add(new String[] {TOKEN_ID, client.tokenId()});
        headers.add(new String[] {EXPIRES_AT, Timestamps.iso(client.expiresAt())});
        headers.add(new String[] {METADATA, metadataBase64});
        return headers;
    }

    /** Identity, request id and signature headers for one request, as name, value pairs. */
    public static List<String[]> signedHeaders(String secret, long epochSeconds, String method, String pathAndQuery,
                                               ClientPrincipal client, String metadataBase64) {
        List<String[]> headers = identity(client, metadataBase64);
        String requestId = UUID.randomUUID().toString();
        StringBuilder text = new StringBuilder(256).append("latchkey-v1\n").append(epochSeconds).append('\n')
                .append(requestId).append('\n').append(method).append('\n').append(pathAndQuery);
        for (String[] header : headers) {
            text.append('\n').append(header[1]);
        }
        headers.add(new String[] {REQUEST_ID, requestId});
        headers.add(new String[] {SIGNATURE, "t=" + epochSeconds + ",v1=" + hmac(secret, text.toString())});
        return headers;
    }

    static String hmac(String secret, String text) {
        return HexFormat.of().formatHex(HMAC.get().keyedWith(secret).doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A thread's HMAC-SHA256 and the secret it was last keyed with. */
    private static final class KeyedMac {

        private final Mac mac;
        private String secret;

        KeyedMac() {
            try {
                mac = Mac.getInstance("HmacSHA256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
            }
        }

        Mac keyedWith(String wanted) {
            if (!wanted.equals(secret)) {
                try {
                    mac.init(new SecretKeySpec(wanted.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                } catch (InvalidKeyException e) {
                    throw new IllegalStateException("An HMAC key of any length is valid", e);
                }
                secret = wanted;
            }
            return mac;
        }
    }

    /** Percent-encodes what is not an RFC 3986 unreserved character; spaces become {@code %20}. */
    static String headerSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0)) {
                return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                        .replace("%7E", "~");
            }
        }
        return value;
    }

    /** Unpadded base64url of a JSON text's UTF-8 bytes. */
    public static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
