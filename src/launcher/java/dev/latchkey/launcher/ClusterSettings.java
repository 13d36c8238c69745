package dev.latchkey.launcher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns the LATCHKEY_CLUSTER_ variables, LATCHKEY_BIND_ADDRESS and the user's command line into Payara Micro's
 * arguments, or into the one line that says why the node must not start. Pure: the caller supplies the variables,
 * the command line and the test for "is this an address of this machine", so every rule is unit tested without
 * starting anything.
 */
public final class ClusterSettings {

    public static final String MEMBERS = "LATCHKEY_CLUSTER_MEMBERS";
    public static final String PORT = "LATCHKEY_CLUSTER_PORT";
    public static final String NAME = "LATCHKEY_CLUSTER_NAME";
    public static final String INTERFACE = "LATCHKEY_CLUSTER_INTERFACE";
    public static final String DB_URL = "LATCHKEY_DB_URL";

    public static final int DEFAULT_PORT = 5900;
    public static final String DEFAULT_NAME = "latchkey";

    /** The pre-boot command that makes a taken cluster port an error instead of a silent move to the next port. */
    public static final String NO_PORT_AUTO_INCREMENT = "set hazelcast-runtime-configuration.auto-increment-port=false";

    /**
     * Payara Micro has no flag for the HTTP listener's address; its two listeners (https-listener is enabled only by
     * {@code --sslport}) take LATCHKEY_BIND_ADDRESS through these pre-boot commands, the address appended.
     */
    static final List<String> LISTENER_ADDRESS = List.of(
            "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=",
            "set configs.config.server-config.network-config.network-listeners.network-listener.https-listener.address=");

    /**
     * A node that joins no cluster runs without Hazelcast, so it opens no cluster port at all ({@code --nocluster}
     * keeps an unclustered Hazelcast member listening on 6900 or the next free port, on every interface). Payara
     * then gives the EJB timer service its "Dummy" store, which only persistent timers need; Latchkey's timers are
     * all {@code persistent = false}.
     */
    static final String NO_HAZELCAST = "--nohazelcast";

    static final String NEEDS_POSTGRESQL = "LATCHKEY_CLUSTER_MEMBERS is set, so clustering needs PostgreSQL:"
            + " set LATCHKEY_DB_URL to a jdbc:postgresql: URL";

    /** Payara Micro's own clustering flags (lower case; Payara reads its options case-insensitively). */
    private static final List<String> PAYARA_CLUSTER_FLAGS = List.of("--clustermode", "--clustername", "--interfaces",
            "--hzpublicaddress", "--startport", "--nocluster", NO_HAZELCAST, "--hzconfigfile");
    /** The flags with which the user configures Payara's clustering without Latchkey's variables. */
    private static final List<String> PAYARA_CLUSTERING = List.of("--clustermode", "--hzconfigfile");
    private static final String PRE_BOOT_FILE = "--prebootcommandfile";

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
    private static final Pattern NUMERIC_HOST = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern NAME_SHAPE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ClusterSettings() {
    }

    /** Why the node must not start: one line, safe to print (it never holds the database URL). */
    public static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;

        Refusal(String line) {
            super(line, null, false, false);
        }
    }

    /** What Payara Micro is started with. */
    public static final class Plan {
        private final List<String> userArguments;
        private final List<String> clusterArguments;
        private final boolean clustered;
        private final boolean userClustering;
        private final String userPreBootFile;
        private final int port;
        private final String bindAddress;
        private final String httpAddress;

        Plan(List<String> userArguments, List<String> clusterArguments, boolean clustered, boolean userClustering,
                String userPreBootFile, int port, String bindAddress, String httpAddress) {
            this.userArguments = List.copyOf(userArguments);
            this.clusterArguments = List.copyOf(clusterArguments);
            this.clustered = clustered;
            this.userClustering = userClustering;
            this.userPreBootFile = userPreBootFile;
            this.port = port;
            this.bindAddress = bindAddress;
            this.httpAddress = httpAddress;
        }

        /** True when LATCHKEY_CLUSTER_MEMBERS makes this node a cluster member. */
        public boolean clustered() {
            return clustered;
        }

        /**
         * True when Payara Micro will cluster at all: through LATCHKEY_CLUSTER_MEMBERS, or through the user's own
         * {@code --clustermode}/{@code --hzconfigfile}. Latchkey must then keep its revocations exact across nodes.
         */
        public boolean payaraClusters() {
            return clustered || userClustering;
        }

        /** The cluster port this node must be able to bind (only meaningful when {@link #clustered()}). */
        public int port() {
            return port;
        }

        /** LATCHKEY_CLUSTER_INTERFACE, if set. */
        public Optional<String> bindAddress() {
            return Optional.ofNullable(bindAddress);
        }

        /** The user's own {@code --prebootcommandfile}, whose commands must run after Latchkey's. */
        public Optional<String> userPreBootFile() {
            return Optional.ofNullable(userPreBootFile);
        }

        /** LATCHKEY_BIND_ADDRESS, if set: the one address the HTTP listener binds. */
        public Optional<String> httpAddress() {
            return Optional.ofNullable(httpAddress);
        }

        /** The pre-boot commands Latchkey adds; the file holding them is passed as {@code --prebootcommandfile}. */
        public List<String> preBootCommands() {
            List<String> commands = new ArrayList<>();
            if (clustered) {
                commands.add(NO_PORT_AUTO_INCREMENT);
            }
            if (httpAddress != null) {
                LISTENER_ADDRESS.forEach(command -> commands.add(command + httpAddress));
            }
            return List.copyOf(commands);
        }

        /**
         * Payara Micro's arguments: the user's (less a {@code --prebootcommandfile}, merged into {@code preBootFile})
         * and the cluster flags. {@code preBootFile} is only used when {@link #preBootCommands()} is not empty;
         * otherwise the user's own file, if any, is passed on as it was given.
         */
        public List<String> arguments(Path preBootFile) {
            List<String> arguments = new ArrayList<>(userArguments);
            arguments.addAll(clusterArguments);
            if (!preBootCommands().isEmpty()) {
                arguments.add(PRE_BOOT_FILE);
                arguments.add(preBootFile.toString());
            } else if (userPreBootFile != null) {
                arguments.add(PRE_BOOT_FILE);
                arguments.add(userPreBootFile);
            }
            return arguments;
        }
    }

    /**
     * @param args          the command line the user gave the jar
     * @param setting       a variable's value, system property first, then environment (null when unset)
     * @param isLocalAddress whether an address belongs to this machine
     */
    public static Plan plan(List<String> args, Function<String, String> setting, Predicate<InetAddress> isLocalAddress)
            throws Refusal {
        Objects.requireNonNull(args);
        String members = setting.apply(MEMBERS);
        int port = port(setting.apply(PORT));
        String name = name(setting.apply(NAME));
        InetAddress bind = bindAddress(setting.apply(INTERFACE), isLocalAddress);
        String httpAddress = SettingsCheck.bindAddress(setting.apply(SettingsCheck.BIND_ADDRESS), isLocalAddress)
                .orElse(null);
        Optional<String> userClusterFlag = args.stream()
                .filter(arg -> PAYARA_CLUSTER_FLAGS.contains(flagName(arg)))
                .findFirst();

        if (members == null || members.isBlank()) {
            UserArguments user = UserArguments.of(args);
            boolean userClustering = args.stream().anyMatch(arg -> PAYARA_CLUSTERING.contains(flagName(arg)));
            if (userClustering && !postgres(setting.apply(DB_URL))) {
                throw new Refusal(flagName(userClusterFlagOf(args)) + " asks Payara Micro to cluster, and clustering"
                        + " needs PostgreSQL: set LATCHKEY_DB_URL to a jdbc:postgresql: URL");
            }
            if (userClustering) {
                for (String variable : List.of(PORT, NAME, INTERFACE)) {
                    if (setting.apply(variable) != null) {
                        throw new Refusal(variable + " only applies with " + MEMBERS + "; with "
                                + flagName(userClusterFlagOf(args)) + " use Payara Micro's own flags"
                                + " (--startport, --clustername, --interfaces)");
                    }
                }
            }
            // a user's own --nocluster or --noHazelcast is kept, alone (Payara ignores --noHazelcast next to
            // --nocluster); with --nocluster, Hazelcast runs and joins nothing
            boolean userChoseGrid = args.stream().map(ClusterSettings::flagName)
                    .anyMatch(flag -> "--nocluster".equals(flag) || NO_HAZELCAST.equals(flag));
            List<String> clusterArguments = userClustering || userChoseGrid ? List.of() : List.of(NO_HAZELCAST);
            return new Plan(user.arguments(), clusterArguments, false, userClustering, user.preBootFile(), port, null,
                    httpAddress);
        }

        List<String> addresses = members(members);
        if (userClusterFlag.isPresent()) {
            throw new Refusal(MEMBERS + " is set and the command line also has " + flagName(userClusterFlag.get())
                    + ": configure clustering in one place only");
        }
        UserArguments user = UserArguments.of(args);
        if (!postgres(setting.apply(DB_URL))) {
            throw new Refusal(NEEDS_POSTGRESQL);
        }
        List<String> clusterArguments = new ArrayList<>(List.of(
                "--clustermode", "tcpip:" + String.join(",", addresses),
                "--clustername", name,
                "--startport", String.valueOf(port)));
        if (bind != null) {
            clusterArguments.addAll(List.of("--interfaces", bind.getHostAddress(),
                    "--hzPublicAddress", bind.getHostAddress()));
        }
        return new Plan(user.arguments(), clusterArguments, true, false, user.preBootFile(), port,
                bind == null ? null : bind.getHostAddress(), httpAddress);
    }

    /** The user's command line less its {@code --prebootcommandfile}, and that file (null if none). */
    private record UserArguments(List<String> arguments, String preBootFile) {

        static UserArguments of(List<String> args) throws Refusal {
            List<String> arguments = new ArrayList<>();
            String preBootFile = null;
            for (int i = 0; i < args.size(); i++) {
                if (PRE_BOOT_FILE.equals(flagName(args.get(i))) && i + 1 < args.size()) {
                    if (preBootFile != null) {
                        throw new Refusal("the command line has --prebootcommandfile twice");
                    }
                    preBootFile = args.get(++i);
                } else {
                    arguments.add(args.get(i));
                }
            }
            return new UserArguments(arguments, preBootFile);
        }
    }

    private static String userClusterFlagOf(List<String> args) {
        return args.stream().filter(arg -> PAYARA_CLUSTERING.contains(flagName(arg))).findFirst().orElseThrow();
    }

    /** {@code --startPort=1} and {@code --startport} alike become {@code --startport}; other arguments stay. */
    private static String flagName(String arg) {
        if (!arg.startsWith("--")) {
            return arg;
        }
        int equals = arg.indexOf('=');
        return (equals < 0 ? arg : arg.substring(0, equals)).toLowerCase(Locale.ROOT);
    }

    private static boolean postgres(String url) {
        return url != null && url.strip().regionMatches(true, 0, "jdbc:postgresql:", 0, "jdbc:postgresql:".length());
    }

    private static int port(String value) throws Refusal {
        if (value == null) {
            return DEFAULT_PORT;
        }
        Integer port = portNumber(value);
        if (port == null) {
            throw new Refusal(PORT + ": " + quoted(value) + " is not a port number from 1 to 65535");
        }
        return port;
    }

    private static Integer portNumber(String value) {
        if (!DIGITS.matcher(value).matches()) {
            return null;
        }
        int port = Integer.parseInt(value);
        return port >= 1 && port <= 65535 ? port : null;
    }

    private static String name(String value) throws Refusal {
        if (value == null) {
            return DEFAULT_NAME;
        }
        if (!NAME_SHAPE.matcher(value).matches()) {
            throw new Refusal(NAME + ": " + quoted(value)
                    + " is not a cluster name (1 to 64 letters, digits, '.', '_' or '-')");
        }
        return value;
    }

    private static InetAddress bindAddress(String value, Predicate<InetAddress> isLocalAddress) throws Refusal {
        if (value == null) {
            return null;
        }
        if (!IPV4.matcher(value).matches()) {
            throw new Refusal(INTERFACE + ": " + quoted(value) + " is not an IPv4 address such as 10.0.0.5");
        }
        InetAddress address = literal(value);
        if (!isLocalAddress.test(address)) {
            throw new Refusal(INTERFACE + ": " + value + " is not an address of this machine");
        }
        return address;
    }

    private static List<String> members(String value) throws Refusal {
        String[] entries = value.split(",", -1);
        List<String> members = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < entries.length; i++) {
            int number = i + 1;
            String entry = entries[i].strip();
            if (entry.isEmpty()) {
                throw new Refusal(MEMBERS + ": entry " + number + " is empty (write host:port,host:port)");
            }
            String member = member(entry, number);
            Integer earlier = seen.putIfAbsent(member.toLowerCase(Locale.ROOT), number);
            if (earlier != null) {
                throw new Refusal(MEMBERS + ": entry " + number + " " + quoted(entry) + " repeats entry " + earlier);
            }
            members.add(member);
        }
        return members;
    }

    /** One {@code host:port} entry, as Hazelcast will be given it. */
    private static String member(String entry, int number) throws Refusal {
        String prefix = MEMBERS + ": entry " + number + " " + quoted(entry);
        int colon = entry.lastIndexOf(':');
        boolean bracketed = entry.startsWith("[");
        if (colon < 0 || (bracketed && colon < entry.indexOf(']'))) {
            throw new Refusal(prefix + " has no port (write host:port)");
        }
        String host = entry.substring(0, colon);
        String portText = entry.substring(colon + 1);
        if (portText.isEmpty()) {
            throw new Refusal(prefix + " has no port (write host:port)");
        }
        Integer port = portNumber(portText);
        if (port == null) {
            throw new Refusal(prefix + " has a port that is not a number from 1 to 65535");
        }
        if (!host(host)) {
            throw new Refusal(prefix + " does not start with a hostname, an IPv4 address or an [IPv6] literal");
        }
        return host + ":" + port;
    }

    private static boolean host(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            String inside = host.substring(1, host.length() - 1);
            return inside.contains(":") && IPV6_CHARACTERS.matcher(inside).matches() && ipv6(host);
        }
        if (NUMERIC_HOST.matcher(host).matches()) {
            return IPV4.matcher(host).matches();
        }
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        for (String label : host.split("\\.", -1)) {
            if (!HOST_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** A bracketed literal is parsed by the JDK without any name lookup. */
    private static boolean ipv6(String bracketed) {
        try {
            InetAddress.getByName(bracketed);
            return true;
        } catch (UnknownHostException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The address, when {@code text} is an IPv4 literal (parsed without any name lookup); else null. */
    static InetAddress ipv4(String text) {
        return IPV4.matcher(text).matches() ? literal(text) : null;
    }

    /** An address already checked to be an IPv4 literal: parsed without any name lookup. */
    private static InetAddress literal(String ipv4) {
        try {
            return InetAddress.getByName(ipv4);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not a literal", e);
        }
    }

    /** The user's value, quoted, shortened and with control characters replaced, so the refusal stays one line. */
    static String quoted(String value) {
        StringBuilder text = new StringBuilder("\"");
        value.codePoints().limit(80).forEach(c -> text.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        if (value.codePointCount(0, value.length()) > 80) {
            text.append("...");
        }
        return text.append('"').toString();
    }
}
