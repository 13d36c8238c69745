package dev.latchkey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BannerTest {

    private static final Path FOLDER = Path.of("/srv/latchkey");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://127.0.0.1:25999/x?user=a&password=hunter2|jdbc:postgresql://127.0.0.1:25999/x",
        "jdbc:postgresql://a:hunter2@db.internal:5432/latchkey|jdbc:postgresql://db.internal:5432/latchkey",
        "jdbc:postgresql://a:hun@ter2@db/latchkey?sslmode=require|jdbc:postgresql://db/latchkey",
        "jdbc:postgresql://db1:5432,db2:5432/latchkey?password=hunter2|jdbc:postgresql://db1:5432,db2:5432/latchkey",
        "jdbc:h2:file:./data/x;USER=sa;PASSWORD=hunter2|jdbc:h2:file:./data/x",
        "jdbc:h2:tcp://db/~/x;PASSWORD=hunter2?password=hunter2|jdbc:h2:tcp://db/~/x",
        "jdbc:h2:file:/srv/latchkey/data/latchkey|jdbc:h2:file:/srv/latchkey/data/latchkey",
        "jdbc:postgresql://db/latchkey|jdbc:postgresql://db/latchkey"})
    void theDatabaseUrlIsPrintedWithoutCredentialsOrParameters(String url, String printed) {
        String banner = Banner.text(List.of(), Map.of("LATCHKEY_DB_URL", " " + url + " ")::get, false, FOLDER);
        assertEquals("Latchkey: HTTP on port 8080 (all interfaces), database " + printed + ", not clustered", banner);
        assertFalse(banner.contains("hunter2"), banner);
    }

    @Test
    void theEmbeddedDatabaseIsNamedByItsFolder() {
        assertEquals("Latchkey: HTTP on port 9090 (all interfaces), data in /srv/latchkey/data (embedded H2, relative"
                + " to the working folder), not clustered",
                Banner.text(List.of("--port", "9090"), name -> null, false, FOLDER));
    }

    @Test
    void theBindAddressIsNamed() {
        assertEquals("Latchkey: HTTP on port 8080 (127.0.0.1 only), database jdbc:postgresql://db/latchkey,"
                + " clustered with db-a:5900,db-b:5900",
                Banner.text(List.of("--port=8080"), Map.of("LATCHKEY_BIND_ADDRESS", "127.0.0.1",
                        "LATCHKEY_DB_URL", "jdbc:postgresql://db/latchkey",
                        "LATCHKEY_CLUSTER_MEMBERS", "db-a:5900,db-b:5900")::get, true, FOLDER));
    }
}
