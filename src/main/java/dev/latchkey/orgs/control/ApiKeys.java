package dev.latchkey.orgs.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The text form of org API keys: {@code fl-} and 43 random URL-safe characters (256 bits). */
public final class ApiKeys {

    private static final Pattern FORMAT = Pattern.compile("fl-[A-Za-z0-9_-]{32,}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PREFIX_LENGTH = 10;

    private ApiKeys() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "fl-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static boolean isWellFormed(String key) {
        return key != null && key.length() <= 512 && FORMAT.matcher(key).matches();
    }

    /** Lowercase hex SHA-256 of the key text: the only form that is stored. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of two hex hashes. */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** The first characters of a key: enough to tell keys apart in listings and logs, useless to an attacker. */
    public static String prefix(String key) {
        return key.substring(0, Math.min(PREFIX_LENGTH, key.length()));
    }
}
