package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts that cannot succeed end on their own, with one line saying why and a non-zero status, instead of a server
 * that prints "ready" with nothing deployed.
 */
class StartupIT {

    /** Payara's boot and the database pool's wait (10 s), on a busy machine. */
    private static final Duration WITHIN = Duration.ofSeconds(150);

    @TempDir
    Path workDir;

    @Test
    void aMalformedSettingStopsTheStartBeforePayaraBoots() throws Exception {
        MicroJar.Exit exit = MicroJar.exit(workDir, "malformed", Duration.ofSeconds(20),
                environment(Map.of("LATCHKEY_MAX_DURATION_SECS", "1h")), "--port", "8081");
        assertEquals(2, exit.status(), () -> "exit status; stderr: " + exit.err() + " stdout: " + exit.out());
        assertEquals("LATCHKEY_MAX_DURATION_SECS: \"1h\" is not a whole number from 1 to 315360000\n", exit.err());
        assertEquals("", exit.out(), "nothing on stdout");
        assertTrue(exit.took().compareTo(Duration.ofSeconds(10)) < 0, "refused within seconds: " + exit.took());
    }

    @Test
    void aSecondJarOnTheSameEmbeddedDatabaseExitsSayingWhy() throws Exception {
        assumeFalse("postgres".equals(System.getProperty("latchkey.it.database")),
                "the embedded H2 database is the one a second process cannot open");
        MicroJar.run(workDir, "first", MicroJar.freePort(), environment(Map.of()), (api, base) -> {
            MicroJar.Exit second = MicroJar.exit(workDir, "second", WITHIN, environment(Map.of()),
                    "--port", String.valueOf(MicroJar.freePort()));
            assertDidNotStart(second, "already in use");
            assertEquals(200, api.get("health/ready", null).status(), "the first node is unharmed");
        });
    }

    @Test
    void anUnreachableDatabaseAtStartExitsSayingWhy() throws Exception {
        int closed = MicroJar.freePort();
        MicroJar.Exit exit = MicroJar.exit(workDir, "unreachable", WITHIN, environment(Map.of(
                "LATCHKEY_DB_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/latchkey",
                "LATCHKEY_DB_USER", "latchkey", "LATCHKEY_DB_PASSWORD", "not-used")),
                "--port", String.valueOf(MicroJar.freePort()));
        assertDidNotStart(exit, "refused");
    }

    private static void assertDidNotStart(MicroJar.Exit exit, String because) {
        assertEquals(1, exit.status(), () -> "exit status; stderr: " + exit.err() + " stdout: " + exit.out());
        List<String> said = exit.err().lines().filter(line -> line.startsWith("Latchkey did not start: ")).toList();
        assertEquals(1, said.size(), () -> "one line says why; stderr:\n" + exit.err());
        assertTrue(said.get(0).contains(because), said.get(0));
    }

    /** The test's environment, with no LATCHKEY_ variable but for {@code settings}. */
    static Consumer<Map<String, String>> environment(Map<String, String> settings) {
        return environment -> {
            environment.keySet().removeIf(name -> name.startsWith("LATCHKEY_"));
            environment.putAll(settings);
        };
    }
}
