package dev.latchkey.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The server log's shape, given to Payara Micro as {@code --logproperties} (unless the user passes their own):
 * one line per record ({@code LATCHKEY_LOG_FORMAT=text}, the default) or one JSON object per record ({@code json},
 * {@link JsonLogFormatter}), and Payara's start-up chatter turned down to warnings:
 * the expired root certificates of its bundled trust store (one warning with a hex dump each), the EJB JNDI names,
 * the library banners, and Payara Micro's multi-line instance descriptor and endpoint list ({@link StartChatter}).
 * Latchkey's own lines, the org key among them, keep INFO.
 */
final class Logs {

    static final String FORMAT = "LATCHKEY_LOG_FORMAT";
    private static final String LOG_PROPERTIES = "--logproperties";

    /** Loggers whose INFO (or WARNING) lines at start-up say nothing an operator acts on. */
    private static final List<String> QUIET = List.of(
            "javax.enterprise.system.security.ssl.level=SEVERE",
            "javax.enterprise.system.core.security.level=WARNING",
            "javax.enterprise.system.core.level=WARNING",
            "javax.enterprise.system.tools.deployment.level=WARNING",
            "javax.enterprise.system.container.web.level=WARNING",
            "javax.enterprise.system.jmx.level=WARNING",
            "jakarta.enterprise.ejb.container.level=WARNING",
            "jakarta.enterprise.web.level=WARNING",
            "jakarta.enterprise.web.util.level=SEVERE",
            "fish.payara.microprofile.healthcheck.level=WARNING",
            "fish.payara.nucleus.level=WARNING",
            "fish.payara.micro.boot.level=WARNING",
            "fish.payara.boot.runtime.BootCommand.level=WARNING",
            "com.hazelcast.level=WARNING",
            "io.opentelemetry.level=WARNING",
            "org.glassfish.ha.level=WARNING",
            "org.hibernate.validator.level=WARNING",
            "org.jboss.weld.level=WARNING",
            "org.glassfish.soteria.level=WARNING",
            "org.glassfish.tyrus.servlet.level=WARNING",
            "org.eclipse.krazo.level=WARNING",
            "fish.payara.microprofile.openapi.level=WARNING");

    /** One JSON object per record in the jar's one schema; a Map among the record's parameters adds its entries. */
    static final String JSON_FORMATTER = JsonLogFormatter.class.getName();

    /**
     * Loggers that stay at INFO whatever the user's file says. Grizzly's HTTP/WebSocket filters dump whole requests
     * at FINE (the client_key query string, Authorization headers), Tyrus the WebSocket handshake's headers. Set here
     * rather than by a post-boot {@code set-log-levels}: that command rewrites the logging configuration at run time,
     * which put the console back on JUL's default formatter and ended JSON logs.
     */
    static final List<String> PINNED = List.of(
            "org.glassfish.grizzly.level=INFO",
            "org.glassfish.tyrus.level=INFO");

    private Logs() {
    }

    /** True for {@code LATCHKEY_LOG_FORMAT=json}; unset or {@code text} is false; anything else is refused. */
    static boolean json(UnaryOperator<String> settings) throws ClusterSettings.Refusal {
        String format = settings.apply(FORMAT);
        String chosen = format == null || format.isBlank() ? "text" : format.trim().toLowerCase(Locale.ROOT);
        if (!chosen.equals("text") && !chosen.equals("json")) {
            throw new ClusterSettings.Refusal(FORMAT + ": must be text or json, not " + ClusterSettings.quoted(format));
        }
        return chosen.equals("json");
    }

    static List<String> arguments(List<String> arguments, UnaryOperator<String> settings)
            throws ClusterSettings.Refusal {
        boolean json = json(settings);
        List<String> withoutUserFile = new ArrayList<>();
        String userFile = null;
        for (int i = 0; i < arguments.size(); i++) {
            String arg = arguments.get(i);
            if (arg.equalsIgnoreCase(LOG_PROPERTIES) && i + 1 < arguments.size()) {
                userFile = arguments.get(++i);
            } else if (arg.toLowerCase(Locale.ROOT).startsWith(LOG_PROPERTIES + "=")) {
                userFile = arg.substring(LOG_PROPERTIES.length() + 1);
            } else {
                withoutUserFile.add(arg);
            }
        }
        List<String> lines = new ArrayList<>();
        if (userFile != null) {
            // the user's logging configuration wins, except for the pinned loggers appended after it
            try {
                lines.addAll(Files.readAllLines(Path.of(userFile), StandardCharsets.ISO_8859_1));
            } catch (IOException | RuntimeException e) {
                throw new ClusterSettings.Refusal(LOG_PROPERTIES + ": cannot read " + ClusterSettings.quoted(userFile));
            }
        } else {
            lines.addAll(List.of(
                    "handlers=java.util.logging.ConsoleHandler",
                    "java.util.logging.ConsoleHandler.level=ALL",
                    "java.util.logging.ConsoleHandler.filter=" + StartChatter.class.getName(),
                    ".level=INFO"));
            if (json) {
                lines.add("java.util.logging.ConsoleHandler.formatter=" + JSON_FORMATTER);
            } else {
                lines.add("java.util.logging.ConsoleHandler.formatter=java.util.logging.SimpleFormatter");
                lines.add("java.util.logging.SimpleFormatter.format=%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
            }
            lines.addAll(QUIET);
        }
        lines.addAll(PINNED);
        arguments = withoutUserFile;
        try {
            Path file = Files.createTempFile("latchkey-logging-", ".properties");
            file.toFile().deleteOnExit();
            Files.write(file, lines, StandardCharsets.ISO_8859_1);
            List<String> withLogs = new ArrayList<>(arguments);
            withLogs.add(LOG_PROPERTIES);
            withLogs.add(file.toString());
            return withLogs;
        } catch (IOException e) {
            throw new ClusterSettings.Refusal("cannot write the logging configuration to a temporary file: "
                    + e.getClass().getSimpleName());
        }
    }
}
