package dev.latchkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The feature order written down in {@code dev/latchkey/package-info.java}, checked on every import of the sources. */
class LayersTest {

    /** Lowest first: a feature may import the ones before it, never one after it. */
    private static final List<String> FEATURES = List.of("platform", "orgs", "limits", "tokens", "access", "gateway", "cluster");
    private static final List<String> TIERS = List.of("entity", "control", "boundary");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.latchkey\\.(\\w+)(?:\\.(\\w+))?", Pattern.MULTILINE);
    private static final Path SOURCES = Path.of("src/main/java/dev/latchkey");

    @Test
    void everyImportPointsDownward() throws IOException {
        List<String> violations = new ArrayList<>();
        int imports = 0;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // the application class and this package's info sit above every feature
                }
                String feature = relative.getName(0).toString();
                String tier = relative.getNameCount() > 2 ? relative.getName(1).toString() : null;
                assertTrue(FEATURES.contains(feature), "unknown feature " + feature + ": add it to the order");
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    imports++;
                    String target = m.group(1);
                    if (!FEATURES.contains(target)) {
                        violations.add(relative + " imports the unknown feature " + target);
                    } else if (FEATURES.indexOf(target) > FEATURES.indexOf(feature)) {
                        violations.add(relative + " (" + feature + ") imports " + target + ", a feature above it");
                    } else if (target.equals(feature) && tier != null && TIERS.contains(m.group(2))
                            && TIERS.indexOf(m.group(2)) > TIERS.indexOf(tier)) {
                        violations.add(relative + " (" + tier + ") imports its own feature's " + m.group(2));
                    }
                }
            }
        }
        assertTrue(imports > 50, "the scan found the sources' imports (" + imports + ")");
        assertEquals(List.of(), violations);
    }
}
