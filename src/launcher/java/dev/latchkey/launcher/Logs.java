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
 * one line per record ({@code LATCHKEY_LOG_FORMAT=text}, the default; {@code json} is refused for now), and Payara's start-up chatter turned down to warnings:
 * the expired root certificates of its bundled trust store (one warning with a hex dump each), the EJB JNDI names,
 * the library banners. Latchkey's own lines, the org key among them, keep INFO.
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

    private Logs() {
    }

    static List<String> arguments(List<String> arguments, UnaryOperator<String> settings)
            throws ClusterSettings.Refusal {
        String format = settings.apply(FORMAT);
        String chosen = format == null || format.isBlank() ? "text" : format.trim().toLowerCase(Locale.ROOT);
        if (chosen.equals("json")) {
            // Payara's JSONLogFormatter, set as the console formatter this way, stopped every line after the
            // runtime's own logging configuration took over (tried here): refuse rather than start half-logged.
            throw new ClusterSettings.Refusal(FORMAT + "=json is not supported yet: use text, or your own --logproperties");
        }
        if (!chosen.equals("text")) {
            throw new ClusterSettings.Refusal(FORMAT + ": must be text, not " + ClusterSettings.quoted(format));
        }
        if (arguments.stream().anyMatch(arg -> arg.toLowerCase(Locale.ROOT).startsWith(LOG_PROPERTIES))) {
            return arguments; // the user's own logging configuration wins
        }
        List<String> lines = new ArrayList<>(List.of(
                "handlers=java.util.logging.ConsoleHandler",
                "java.util.logging.ConsoleHandler.level=ALL",
                ".level=INFO"));
        if (chosen.equals("json")) {
            lines.add("java.util.logging.ConsoleHandler.formatter=fish.payara.enterprise.server.logging.JSONLogFormatter");
        } else {
            lines.add("java.util.logging.ConsoleHandler.formatter=java.util.logging.SimpleFormatter");
            lines.add("java.util.logging.SimpleFormatter.format=%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        }
        lines.addAll(QUIET);
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
