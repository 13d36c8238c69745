package dev.latchkey.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/** The first line latchkey-micro.jar prints: where its data lives, where it listens, whether it clusters. */
final class Banner {

    private Banner() {
    }

    static void print(List<String> args, UnaryOperator<String> settings, boolean clustered) {
        System.out.println(text(args, settings, clustered, Path.of("").toAbsolutePath()));
    }

    static String text(List<String> args, UnaryOperator<String> settings, boolean clustered, Path workingFolder) {
        String port = value(args, "--port", "8080");
        String address = settings.apply(SettingsCheck.BIND_ADDRESS);
        String listens = address == null || address.isBlank() ? "all interfaces" : address.strip() + " only";
        String url = settings.apply(ClusterSettings.DB_URL);
        String data = url == null || url.isBlank()
                ? "data in " + workingFolder.resolve("data") + " (embedded H2, relative to the working folder)"
                : "database " + withoutCredentials(url.strip());
        String members = settings.apply(ClusterSettings.MEMBERS);
        String cluster = !clustered ? "not clustered"
                : members == null || members.isBlank() ? "clustered" : "clustered with " + members;
        return "Latchkey: HTTP on port " + port + " (" + listens + "), " + data + ", " + cluster;
    }

    /**
     * A JDBC URL as it may be printed: without its parameters, which may carry credentials (PostgreSQL's
     * {@code ?user=..&password=..}, H2's {@code ;USER=..;PASSWORD=..}), and without a {@code user:password@} after
     * {@code //}. What is left names the driver, the host and the database.
     */
    static String withoutCredentials(String url) {
        int parameters = url.length();
        for (char separator : new char[] {'?', ';'}) {
            int at = url.indexOf(separator);
            if (at >= 0 && at < parameters) {
                parameters = at;
            }
        }
        return url.substring(0, parameters).replaceFirst("//[^/]*@", "//");
    }

    private static String value(List<String> args, String flag, String fallback) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equalsIgnoreCase(flag) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (arg.toLowerCase(java.util.Locale.ROOT).startsWith(flag + "=")) {
                return arg.substring(flag.length() + 1);
            }
        }
        return fallback;
    }
}
