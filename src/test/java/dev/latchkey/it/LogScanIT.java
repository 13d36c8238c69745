package dev.latchkey.it;

import static dev.latchkey.it.Api.ADMIN_KEY;
import static dev.latchkey.it.Api.ORG_KEY;
import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latchkey.testing.Jwts;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Properties;
import java.util.zip.ZipFile;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a full scenario against latchkey-micro.jar (REST and WebSocket, successes and failures, every kind of
 * credential, ambiguous and malformed input) with Latchkey's loggers at FINE, and then reads everything the server
 * wrote, its console and every file it created under its working folder: no JWT (by pattern, not only the tokens
 * the test knows), org key, admin key, client_key or database password may appear in it. The database URL carries
 * its credentials as parameters (PostgreSQL's {@code ?user=..&password=..}, H2's {@code ;USER=..;PASSWORD=..}).
 * The server signs with generated ES256 keys (no {@code LATCHKEY_JWT_SECRET}) and rotates them once; afterwards
 * the private keys are read from the database and looked for, in every encoding, in the log and in the answers
 * that concern keys (the key set, the rotation).
 */
class LogScanIT {

    private static final Pattern ANY_JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*\\.?");
    private static final Pattern ANY_ORG_KEY = Pattern.compile("fl-[A-Za-z0-9_-]{20,}");

    @TempDir
    Path workDir;

    @Test
    void noSecretEverReachesTheLog() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(ORG_KEY, ADMIN_KEY));
        Path logging = workDir.resolve("fine-logging.properties");
        Files.writeString(logging, String.join("\n",
                "handlers=java.util.logging.ConsoleHandler",
                "java.util.logging.ConsoleHandler.level=FINEST",
                ".level=INFO",
                "dev.latchkey.level=FINEST", ""));
        String[] printedUrl = new String[1];
        String[] database = new String[3]; // url, user, password
        List<String> answers = new ArrayList<>();
        String console = MicroJar.run(workDir, "scenario", MicroJar.freePort(), environment -> {
            // the failsafe environment (org key, admin key, signing secret), the database's credentials in its URL
            String password;
            environment.remove("LATCHKEY_JWT_SECRET"); // generated ES256 keys, kept in the database
            if ("postgres".equals(System.getProperty("latchkey.it.database"))) {
                password = environment.remove("LATCHKEY_DB_PASSWORD");
                printedUrl[0] = environment.get("LATCHKEY_DB_URL");
                database[1] = environment.remove("LATCHKEY_DB_USER");
                environment.put("LATCHKEY_DB_URL", printedUrl[0] + "?user=" + database[1]
                        + "&password=" + password + "&ApplicationName=latchkey-log-scan");
            } else {
                password = "h2-" + java.util.UUID.randomUUID();
                environment.remove("LATCHKEY_DB_USER");
                environment.remove("LATCHKEY_DB_PASSWORD");
                printedUrl[0] = "jdbc:h2:file:" + workDir.resolve("database").resolve("latchkey");
                database[1] = "latchkey";
                environment.put("LATCHKEY_DB_URL", printedUrl[0] + ";USER=latchkey;PASSWORD=" + password);
            }
            database[0] = printedUrl[0];
            database[2] = password;
            secrets.add(password);
        }, List.of("--logproperties", logging.toString()), (api, base) -> {
            String client = Api.uniqueClient();
            // the keys: the published set, a rotation, the set again
            answers.add(api.get(".well-known/jwks.json", null).body());
            Api.Reply rotation = api.post("api/v1/admin/signing_keys/rotate", bearer(ADMIN_KEY), "");
            assertEquals(200, rotation.status(), rotation.body());
            answers.add(rotation.body());
            answers.add(api.get(".well-known/jwks.json", null).body());
            String token = api.mintToken(client, 600);
            assertEquals("ES256", Jwts.segment(token, 0).replaceAll(".*\"alg\":\"([^\"]+)\".*", "$1"));
            secrets.add(token);
            assertEquals(200, api.clientApi(token).status());
            String expired = api.mintToken(client, 1);
            secrets.add(expired);
            // one full sextet of the signature changed (the second-to-last character carries six signature bits):
            // a canonical text whose signature differs. Replacing the tail with a fixed "AA" left the token
            // unchanged whenever it already ended so (1 run in 1,024), and then the "forgery" was accepted.
            char sextet = token.charAt(token.length() - 2);
            String forged = token.substring(0, token.length() - 2) + (sextet == 'A' ? 'B' : 'A')
                    + token.charAt(token.length() - 1);
            secrets.add(forged);
            api.clientApi(forged).assertError(401, "Invalid token format");
            api.get("api/v1/client_api?client_key=" + Api.encode(bearer(token)), null)
                    .assertError(401, "Authorization header is missing");
            api.get("api/v1/client_api", "Basic " + token).assertError(401, "Authorization header must start with Bearer");
            api.post("api/v1/generate_access_token", bearer(token), "{}").assertError(401, "Invalid API key");
            api.post("api/v1/generate_access_token", bearer(ORG_KEY), "{\"client_id\":\"" + token.substring(0, 200) + "\\u0001\",\"duration_secs\":5}")
                    .assertError(400, "client_id must not contain control characters");
            assertEquals(200, api.post("api/v1/introspect", bearer(ORG_KEY), "{\"access_token\":\"" + token + "\"}").status());
            assertEquals(200, api.revoke(token).status());
            api.clientApi(token).assertError(401, "Token has been revoked");
            api.post("api/v1/revoke_token", bearer(ORG_KEY), "{\"access_token\":\"" + forged + "\"}")
                    .assertError(400, "Invalid token format");
            String orgKey = api.createOrg().getString("api_key");
            secrets.add(orgKey);
            api.post("api/v1/generate_access_token", bearer(orgKey + "x"), "{}").assertError(401, "Invalid API key");
            api.post("api/v1/admin/orgs", bearer(ADMIN_KEY + "x"), "{}").assertError(401, "Invalid admin key");
            // the WebSocket: a session, a reauth, a push, refusals, and a close on revocation
            String socketToken = api.mintToken(client, 600);
            String reauthToken = api.mintToken(client, 600);
            secrets.add(socketToken);
            secrets.add(reauthToken);
            try (LiveSocket socket = LiveSocket.open(base, socketToken)) {
                assertEquals("session", socket.next().getString("type"));
                socket.send("{\"type\":\"reauth\",\"access_token\":\"" + reauthToken + "\"}");
                assertEquals("session", socket.next().getString("type"));
                socket.send("{\"type\":\"reauth\",\"access_token\":\"" + forged + "\"}");
                assertEquals("error", socket.next().getString("type"));
                socket.send("not json " + socketToken);
                assertEquals("error", socket.next().getString("type"));
                assertEquals(200, api.post("api/v1/client_messages", bearer(ORG_KEY),
                        "{\"client_id\":\"" + client + "\",\"data\":{\"n\":1}}").status());
                assertEquals("message", socket.next().getString("type"));
                assertEquals(200, api.revoke(reauthToken).status());
                assertEquals(4401, socket.closed().code());
            }
            assertEquals(200, api.revoke(socketToken).status());
            LiveSocket.refused(LiveSocket.uri(base, socketToken), java.util.Map.of()).assertError(401, "Token has been revoked");
            LiveSocket.refused(LiveSocket.uri(base, forged), java.util.Map.of()).assertError(401, "Invalid token format");
            LiveSocket.refused(LiveSocket.uri(base, null), java.util.Map.of("Authorization", "Basic " + token))
                    .assertError(401, "Authorization header must start with Bearer");

            // ambiguous and malformed input quoting credentials
            api.send(api.request("api/v1/client_api", bearer(token)).header("Authorization", bearer(forged)).GET())
                    .assertError(400, "More than one credential: send exactly one");
            LiveSocket.refused(LiveSocket.uri(base, forged), java.util.Map.of("Authorization", bearer(token)))
                    .assertError(400, "More than one credential: send exactly one");
            api.post("api/v1/introspect", bearer(ORG_KEY), "{\"access_token\":\"" + token + "\",\"access_token\":\""
                    + forged + "\"}").assertError(400, "Request body names a member twice: access_token (each member may appear once)");
            api.post("api/v1/revoke_token", bearer(ORG_KEY), "{\"access_token\":\"" + token + "\",\"" + token + "\":1}")
                    .assertError(400, "Unknown field: " + token.substring(0, 64));

            Thread.sleep(1500);
            api.clientApi(expired).assertError(401, "Token has expired");
        });
        StringBuilder everything = new StringBuilder(console);
        try (Stream<Path> files = Files.walk(workDir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.equals(logging)).toList()) {
                if (file.toString().endsWith(".log") || file.toString().contains("log")) {
                    everything.append('\n').append(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1));
                }
            }
        }
        String log = everything.toString();
        assertTrue(log.contains(", database " + printedUrl[0] + ", "),
                "the banner names the database without its credentials:\n" + console.lines().findFirst().orElse(""));
        assertTrue(log.contains("Minted token "), "Latchkey's FINE lines (a mint) are in the log");

        assertTrue(log.contains("Revoked token"), "the scenario's events are logged (by token_id)");
        for (String secret : secrets) {
            assertFalse(log.contains(secret), "a secret reached the log");
        }
        assertFalse(ANY_JWT.matcher(log).find(), () -> "a JWT reached the log: " + find(ANY_JWT, log));
        List<String> privateKeys = privateKeys(database[0], database[1], database[2]);
        assertTrue(privateKeys.size() >= 3, "a current, a next and a retired key: " + privateKeys.size());
        String answered = String.join("\n", answers);
        assertTrue(answered.contains("\"keys\":[{"), answered);
        for (String privateKey : privateKeys) {
            byte[] pkcs8 = Base64.getUrlDecoder().decode(privateKey);
            for (String form : List.of(privateKey, Base64.getEncoder().encodeToString(pkcs8),
                    HexFormat.of().formatHex(pkcs8), Base64.getUrlEncoder().withoutPadding().encodeToString(
                            java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length)))) {
                assertFalse(log.contains(form), "a private key reached the log");
                assertFalse(answered.contains(form), "a private key reached an answer");
            }
        }
        assertFalse(log.contains("PRIVATE KEY"), "no PEM private key in the log");
        assertFalse(answered.contains("\"d\""), "no private JWK member in an answer");
        assertFalse(ANY_ORG_KEY.matcher(log).find(), () -> "an org key reached the log: " + find(ANY_ORG_KEY, log));
        // the access log (on by default) records handshakes with the client_key value redacted, never the value
        assertTrue(log.contains("\"GET /api/v1/client_ws?client_key=[redacted]\""), "handshakes are in the access log");
        java.util.regex.Matcher keys = Pattern.compile("client_key=([^\" &]*)").matcher(log);
        while (keys.find()) {
            assertEquals("[redacted]", keys.group(1), "a client_key value reached the log");
        }
    }

    /** Every stored private key (PKCS#8, base64url), read once the server has stopped. */
    private List<String> privateKeys(String url, String user, String password) throws Exception {
        List<String> keys = new ArrayList<>();
        try (Connection db = connect(url, user, password); Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT private_key FROM signing_key WHERE private_key IS NOT NULL")) {
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
        }
        return keys;
    }

    /** PostgreSQL through its driver; H2 through the h2.jar inside Payara Micro, the version the server wrote with. */
    private Connection connect(String url, String user, String password) throws Exception {
        if (url.startsWith("jdbc:postgresql:")) {
            return DriverManager.getConnection(url, user, password);
        }
        Path h2 = workDir.resolve("h2.jar");
        try (ZipFile micro = new ZipFile(System.getProperty("payara.microJar"));
             InputStream jar = micro.getInputStream(micro.getEntry("MICRO-INF/runtime/h2.jar"))) {
            Files.copy(jar, h2, StandardCopyOption.REPLACE_EXISTING);
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {h2.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        Driver driver = (Driver) Class.forName("org.h2.Driver", true, loader).getDeclaredConstructor().newInstance();
        Properties credentials = new Properties();
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
        return driver.connect(url, credentials);
    }

    private static String find(Pattern pattern, String log) {
        var matcher = pattern.matcher(log);
        return matcher.find() ? log.substring(Math.max(0, matcher.start() - 200), Math.min(log.length(), matcher.end() + 50)) : "";
    }
}
