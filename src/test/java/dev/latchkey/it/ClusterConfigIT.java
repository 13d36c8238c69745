package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built latchkey-micro.jar's launcher, run as a process: the LATCHKEY_CLUSTER_ variables decide the clustering
 * before Payara Micro boots. A setting it can't honour ends the start at once with one line on stderr and status 2;
 * without LATCHKEY_CLUSTER_MEMBERS a node runs alone and never joins a data grid.
 */
class ClusterConfigIT {

    private static final Duration QUICKLY = Duration.ofSeconds(20);
    private static final String NEEDS_POSTGRESQL = "LATCHKEY_CLUSTER_MEMBERS is set, so clustering needs PostgreSQL:"
            + " set LATCHKEY_DB_URL to a jdbc:postgresql: URL\n";
    private static final Pattern DATA_GRID = Pattern.compile("DG Name: (\\S+) DG Size: (\\d+)");

    @TempDir
    java.nio.file.Path workDir;

    @Test
    void malformedMembersStopTheStartWithOneLine() throws Exception {
        MicroJar.Exit exit = MicroJar.exit(workDir, "malformed", QUICKLY, environment(Map.of(
                "LATCHKEY_CLUSTER_MEMBERS", "127.0.0.1:5901,,127.0.0.1:5903",
                "LATCHKEY_DB_URL", "jdbc:postgresql://127.0.0.1:1/latchkey")), "--port", "8081");
        assertRefused(exit, "LATCHKEY_CLUSTER_MEMBERS: entry 2 is empty (write host:port,host:port)\n");
    }

    @Test
    void aSystemPropertyWinsOverTheEnvironment() throws Exception {
        // a good port in the environment, a malformed one as -D (through JDK_JAVA_OPTIONS, which java notes on stderr)
        MicroJar.Exit exit = MicroJar.exit(workDir, "property-wins", QUICKLY, environment(Map.of(
                "LATCHKEY_CLUSTER_MEMBERS", "127.0.0.1:5901",
                "LATCHKEY_CLUSTER_PORT", "5901",
                "JDK_JAVA_OPTIONS", "-DLATCHKEY_CLUSTER_PORT=99999",
                "LATCHKEY_DB_URL", "jdbc:postgresql://127.0.0.1:1/latchkey")), "--port", "8081");
        assertEquals(2, exit.status(), exit.err());
        assertTrue(exit.err().endsWith("\nLATCHKEY_CLUSTER_PORT: \"99999\" is not a port number from 1 to 65535\n"),
                exit.err());
    }

    @Test
    void membersWithTheEmbeddedH2Refuse() throws Exception {
        MicroJar.Exit unset = MicroJar.exit(workDir, "h2-default", QUICKLY, environment(Map.of(
                "LATCHKEY_CLUSTER_MEMBERS", "127.0.0.1:5901,127.0.0.1:5902")), "--port", "8081");
        assertRefused(unset, NEEDS_POSTGRESQL);

        String h2 = "jdbc:h2:file:./data/latchkey;CIPHER=AES;FILE_PASSWORD=it-only-secret";
        MicroJar.Exit explicit = MicroJar.exit(workDir, "h2-url", QUICKLY, environment(Map.of(
                "LATCHKEY_CLUSTER_MEMBERS", "127.0.0.1:5901,127.0.0.1:5902",
                "LATCHKEY_DB_URL", h2)), "--port", "8081");
        assertRefused(explicit, NEEDS_POSTGRESQL);
        assertFalse(explicit.err().contains("it-only-secret"), "the URL is never printed");
    }

    @Test
    void aTakenClusterPortIsAnError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            MicroJar.Exit exit = MicroJar.exit(workDir, "taken", QUICKLY, environment(Map.of(
                    "LATCHKEY_CLUSTER_MEMBERS", "127.0.0.1:" + port,
                    "LATCHKEY_CLUSTER_PORT", String.valueOf(port),
                    "LATCHKEY_CLUSTER_INTERFACE", "127.0.0.1",
                    "LATCHKEY_DB_URL", "jdbc:postgresql://127.0.0.1:1/latchkey")), "--port", "8081");
            assertRefused(exit, "LATCHKEY_CLUSTER_PORT: port " + port + " on 127.0.0.1 is already in use\n");
        }
    }

    /**
     * The jar's quiet start hides Payara's boot commands and data-grid state; this start asks for them at INFO with
     * a logging file of its own (the launcher keeps a user's {@code --logproperties}), so the log shows what Payara
     * was told: no Hazelcast at all, so no data grid, no discovery and no cluster port.
     */
    @Test
    void withoutMembersANodeJoinsNoCluster() throws Exception {
        int port = MicroJar.freePort();
        Path verbose = workDir.resolve("verbose-logging.properties");
        Files.writeString(verbose, "handlers=java.util.logging.ConsoleHandler\n.level=INFO\n"
                + "java.util.logging.ConsoleHandler.level=INFO\n");
        String log = MicroJar.run(workDir, "alone", port, environment -> {
            environment.keySet().removeIf(name -> name.startsWith("LATCHKEY_CLUSTER_"));
            if (!"postgres".equals(System.getProperty("latchkey.it.database"))) {
                environment.remove("LATCHKEY_DB_URL"); // the embedded H2 under this test's own ./data
            }
        }, List.of("--logproperties", verbose.toString()),
                (api, base) -> api.get("api/v1/client_api", null).assertError(401, "Authorization header is missing"));
        assertTrue(log.contains("not clustered"), "the banner says so:\n" + log);

        assertTrue(log.contains("hazelcast-config-specific-configuration.enabled=false"),
                "the launcher passed --nohazelcast:\n" + log);
        assertFalse(log.contains("discovery-mode="), "no discovery mode (multicast or other) is set:\n" + log);
        assertFalse(DATA_GRID.matcher(log).find(), "no data grid starts:\n" + log);
        assertFalse(log.contains("com.hazelcast.instance.AddressPicker"), "Hazelcast binds no address:\n" + log);
    }

    /** The test's environment, with no LATCHKEY_ variable but for {@code settings}. */
    private static Consumer<Map<String, String>> environment(Map<String, String> settings) {
        return environment -> {
            environment.keySet().removeIf(name -> name.startsWith("LATCHKEY_"));
            environment.putAll(settings);
        };
    }

    private static void assertRefused(MicroJar.Exit exit, String line) {
        assertEquals(2, exit.status(), () -> "exit status; stderr: " + exit.err() + " stdout: " + exit.out());
        assertEquals(line, exit.err(), "exactly one line on stderr");
        assertEquals("", exit.out(), "nothing on stdout");
        assertTrue(exit.took().compareTo(Duration.ofSeconds(10)) < 0, "refused within seconds: " + exit.took());
    }
}
