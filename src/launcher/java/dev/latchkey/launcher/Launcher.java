package dev.latchkey.launcher;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Main-Class of latchkey-micro.jar: checks the application's LATCHKEY_ settings ({@link SettingsCheck}), decides
 * the clustering from the LATCHKEY_CLUSTER_ variables and the HTTP listener's address from LATCHKEY_BIND_ADDRESS (a
 * system property of the same name wins over the environment), then boots Payara Micro with the user's arguments and
 * the flags and pre-boot commands these ask for. A setting that can't be honoured stops the start before Payara boots: one line on stderr, exit 2.
 */
public final class Launcher {

    static final int REFUSED = 2;
    /** The exit status when Payara Micro booted but the application did not start. */
    static final int FAILED = 1;
    /** Set by the application (platform.operations.Lifecycle) once it has started. */
    static final String STARTED_PROPERTY = "latchkey.started";
    /** Set by the application (platform.operations.StartupFailure) to the first line of what stopped its start. */
    static final String FAILURE_PROPERTY = "latchkey.startup.failure";
    /** Set when Payara Micro will cluster; read by the application as a MicroProfile Config property. */
    static final String CLUSTERED_PROPERTY = "latchkey.clustered";
    private static final String PAYARA_MICRO = "fish.payara.micro.PayaraMicro";

    private Launcher() {
    }

    public static void main(String[] args) throws Throwable {
        asyncPoolOfThreads();
        List<String> arguments;
        try {
            SettingsCheck.check(Launcher::setting, Launcher::isLocal);
            ClusterSettings.Plan plan = ClusterSettings.plan(List.of(args), Launcher::setting, Launcher::isLocal);
            if (plan.clustered()) {
                checkPortFree(plan);
                plan.bindAddress().ifPresent(address -> {
                    // Hazelcast binds every interface unless told otherwise; LATCHKEY_CLUSTER_INTERFACE means this one
                    if (System.getProperty("hazelcast.socket.bind.any") == null) {
                        System.setProperty("hazelcast.socket.bind.any", "false");
                    }
                });
            }
            if (plan.payaraClusters()) {
                // the application reads this (Settings.clustered()): with Payara's own discovery flags there is no
                // LATCHKEY_CLUSTER_MEMBERS, yet the node is one of several and must keep revocations exact
                System.setProperty(CLUSTERED_PROPERTY, "true");
            }
            arguments = plan.arguments(preBootFile(plan));
        } catch (ClusterSettings.Refusal refusal) {
            System.err.println(refusal.getMessage());
            System.exit(REFUSED);
            return;
        }
        boolean clustered;
        boolean json;
        try {
            json = Logs.json(Launcher::setting);
            clustered = ClusterSettings.plan(List.of(args), Launcher::setting, Launcher::isLocal).payaraClusters();
            arguments = Logs.arguments(arguments, Launcher::setting);
        } catch (ClusterSettings.Refusal refusal) {
            System.err.println(refusal.getMessage());
            System.exit(REFUSED);
            return;
        }
        ConsoleLines.install(json);
        Banner.print(List.of(args), Launcher::setting, clustered);
        Shutdown.handleSignals();
        FirstFailure firstFailure = FirstFailure.attach();
        try {
            Class.forName(PAYARA_MICRO).getMethod("main", String[].class)
                    .invoke(null, (Object) arguments.toArray(String[]::new));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        failUnlessStarted(firstFailure);
    }

    /**
     * Payara Micro's main returns once it has booted and deployed, and it prints "ready" even when the deployment
     * failed, then answers 404 to everything. The application sets {@value #STARTED_PROPERTY} when it has started,
     * and {@value #FAILURE_PROPERTY} to the first line of what stopped one of its start-up beans: without the
     * first, the process says why on one line (that, or the first SEVERE record of the boot, such as the persistence
     * unit's failure to reach the database) and exits with status {@value #FAILED}.
     */
    private static void failUnlessStarted(FirstFailure firstFailure) {
        if (Boolean.getBoolean(STARTED_PROPERTY)) {
            firstFailure.detach();
            return;
        }
        String reason = System.getProperty(FAILURE_PROPERTY);
        if (reason == null || reason.isBlank()) {
            reason = firstFailure.reason();
        }
        System.err.println("Latchkey did not start: " + (reason == null || reason.isBlank()
                ? "the application failed to deploy (the SEVERE lines above say why)" : reason));
        System.exit(FAILED);
    }

    /** As MicroProfile Config orders them: the system property, then the environment variable. */
    private static String setting(String name) {
        String property = System.getProperty(name);
        return property != null ? property : System.getenv(name);
    }

    private static boolean isLocal(InetAddress address) {
        try {
            return address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /** Payara is told not to move to the next port; this says so in one line instead of a boot failure's traces. */
    private static void checkPortFree(ClusterSettings.Plan plan) throws ClusterSettings.Refusal {
        try (ServerSocket socket = new ServerSocket()) {
            InetSocketAddress address = plan.bindAddress()
                    .map(host -> new InetSocketAddress(host, plan.port()))
                    .orElseGet(() -> new InetSocketAddress(plan.port()));
            socket.bind(address);
        } catch (IOException e) {
            throw new ClusterSettings.Refusal(ClusterSettings.PORT + ": port " + plan.port()
                    + plan.bindAddress().map(host -> " on " + host).orElse("") + " is already in use");
        }
    }

    /** Latchkey's pre-boot commands, then the user's own --prebootcommandfile, in one file for Payara. */
    private static Path preBootFile(ClusterSettings.Plan plan) throws ClusterSettings.Refusal {
        if (plan.preBootCommands().isEmpty()) {
            return null;
        }
        List<String> lines = new ArrayList<>(plan.preBootCommands());
        if (plan.userPreBootFile().isPresent()) {
            try {
                lines.addAll(Files.readAllLines(Path.of(plan.userPreBootFile().get()), StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                throw new ClusterSettings.Refusal("--prebootcommandfile: cannot read "
                        + ClusterSettings.quoted(plan.userPreBootFile().get()));
            }
        }
        try {
            Path file = Files.createTempFile("latchkey-pre-boot-", ".asadmin");
            file.toFile().deleteOnExit();
            Files.write(file, lines, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new ClusterSettings.Refusal("cannot write Latchkey's pre-boot commands to a temporary file: "
                    + e.getClass().getSimpleName());
        }
    }

    /** The system property that sizes the JDK's common fork-join pool (see {@link #asyncPoolOfThreads()}). */
    static final String COMMON_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    /**
     * Gives the JDK's common pool at least two threads, before anything in this JVM creates it. With fewer than
     * three processors its parallelism defaults to 1, and {@code CompletableFuture}'s default executor is then a
     * new thread per task (about 0.5 ms of CPU each; the JDK's {@code HttpClient}, the gateway's client until it
     * moved to Apache HttpClient 5, completed every call there). Kept for whatever in the server still uses that
     * executor. A value set by the operator ({@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=N}) is
     * kept.
     */
    static void asyncPoolOfThreads() {
        if (System.getProperty(COMMON_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() < 3) {
            System.setProperty(COMMON_PARALLELISM, "2");
        }
    }
}
