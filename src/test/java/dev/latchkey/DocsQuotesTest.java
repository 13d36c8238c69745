package dev.latchkey;

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

/**
 * Every error text the docs quote after a status ({@code 400 `More than one credential: send exactly one`}, or a
 * whole body {@code 429 `{"detail": "..."}`}) is a text the code can answer: its words are in the sources of
 * {@code src/main}. Three wordings of one refusal had been quoted across the docs (issue 34); the integration tests
 * check what the server answers, this checks that the docs quote that and nothing else. Parts a reader fills in or
 * the code computes ({@code <JWT>}, {@code ...}, numbers) are left out of the comparison; every other fragment of
 * eight characters or more must occur in a Java string literal (literals joined with {@code +} count as one).
 */
class DocsQuotesTest {

    private static final Pattern QUOTED = Pattern.compile("(?<![\\d.])([45]\\d\\d) `([^`\\n]+)`");
    private static final Pattern DETAIL = Pattern.compile("\"detail\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern JOINED = Pattern.compile("\"\\s*\\+\\s*\"");
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^>]*>|\\.\\.\\.|…|\\d+");
    private static final int SHORTEST_CHECKED = 8;

    @Test
    void everyQuotedErrorTextIsOneTheCodeAnswers() throws IOException {
        String sources = literals();
        List<String> docs = new ArrayList<>(List.of("README.md"));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.map(Path::toString).filter(name -> name.endsWith(".md")).sorted().forEach(docs::add);
        }
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (String doc : docs) {
            Matcher quote = QUOTED.matcher(Files.readString(Path.of(doc)));
            while (quote.find()) {
                String text = quote.group(2);
                if (text.startsWith("{")) {
                    Matcher detail = DETAIL.matcher(text);
                    if (!detail.find()) {
                        continue; // a body without a detail: not an error text
                    }
                    text = detail.group(1).replace("\\\"", "\"");
                }
                checked++;
                for (String fragment : PLACEHOLDER.split(text)) {
                    String words = fragment.strip();
                    if (words.length() >= SHORTEST_CHECKED && !sources.contains(words)) {
                        unknown.add(doc + ": " + quote.group(1) + " `" + quote.group(2) + "` (\"" + words + "\")");
                    }
                }
            }
        }
        assertTrue(checked > 20, "the scan found the docs' quoted errors (" + checked + ")");
        assertTrue(unknown.isEmpty(), "quoted in the docs, but no code answers it:\n" + String.join("\n", unknown));
    }

    /** The string literals of src/main, literals joined by {@code +} read as one, one per line. */
    private static String literals() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(Path.of("src/main"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher literal = LITERAL.matcher(JOINED.matcher(Files.readString(file)).replaceAll(""));
                while (literal.find()) {
                    all.append(literal.group(1).replace("\\\"", "\"").replace("\\\\", "\\")).append('\n');
                }
            }
        }
        return all.toString();
    }
}
