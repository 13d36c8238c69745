package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Several {@code target/latchkey-micro.jar} processes on loopback, clustered exactly as the docs say: each gets
 * {@code LATCHKEY_CLUSTER_MEMBERS} (every node's cluster address), its own {@code LATCHKEY_CLUSTER_PORT}, one
 * {@code LATCHKEY_CLUSTER_NAME} of its own (so no other run's nodes can join) and {@code LATCHKEY_CLUSTER_INTERFACE},
 * on one PostgreSQL database. Each node lives in a folder of its own with its log. {@link #close()} stops every
 * process it started; pausing ({@code SIGSTOP}) and killing ({@code SIGKILL}) are real signals.
 */
final class ClusterNodes implements AutoCloseable {

    private static final long READY_SECONDS = 480; // three JVMs starting together on a loaded 2-core machine took over 240 s

    private final Path dir;
    private final Map<String, String> environment;
    private final int[] httpPorts;
    private final int[] clusterPorts;
    private final Process[] processes;
    private final int[] starts;

    ClusterNodes(Path dir, int count, Map<String, String> environment) throws IOException {
        this.dir = dir;
        this.httpPorts = new int[count];
        this.clusterPorts = new int[count];
        this.processes = new Process[count];
        this.starts = new int[count];
        StringJoiner members = new StringJoiner(",");
        for (int i = 0; i < count; i++) {
            httpPorts[i] = MicroJar.freePort();
            clusterPorts[i] = MicroJar.freePort();
            members.add("127.0.0.1:" + clusterPorts[i]);
        }
        this.environment = new java.util.HashMap<>(environment);
        this.environment.put("LATCHKEY_CLUSTER_MEMBERS", members.toString());
        this.environment.put("LATCHKEY_CLUSTER_NAME", "latchkey-it-" + UUID.randomUUID().toString().substring(0, 8));
        this.environment.put("LATCHKEY_CLUSTER_INTERFACE", "127.0.0.1");
    }

    int size() {
        return processes.length;
    }

    /** Starts every node at the same moment and waits until each serves. */
    void startAll() throws Exception {
        for (int i = 0; i < processes.length; i++) {
            launch(i);
        }
        for (int i = 0; i < processes.length; i++) {
            awaitServing(i);
        }
    }

    /** Starts node {@code i} again (after {@link #kill}) on the same ports and waits until it serves. */
    void restart(int i) throws Exception {
        launch(i);
        awaitServing(i);
    }

    URL base(int i) throws IOException {
        return new URL("http://127.0.0.1:" + httpPorts[i] + "/");
    }

    String log(int i) throws IOException {
        return Files.readString(logFile(i));
    }

    /** Every log every node has written so far, for failure messages and scans. */
    String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                all.append("==== ").append(file.getFileName()).append('\n').append(Files.readString(file));
            }
        }
        return all.toString();
    }

    void pause(int i) throws Exception {
        signal(i, "STOP");
    }

    void resume(int i) throws Exception {
        signal(i, "CONT");
    }

    /** {@code kill -9}: the node dies without a word. */
    void kill(int i) throws Exception {
        processes[i].destroyForcibly();
        assertTrue(processes[i].waitFor(30, TimeUnit.SECONDS), "node " + i + " died");
    }

    @Override
    public void close() throws Exception {
        // every node is stopped whatever fails on the way; the first failure is thrown at the end
        Throwable failure = null;
        for (Process process : processes) {
            if (process != null && process.isAlive()) {
                try {
                    signal(process, "CONT"); // a paused process cannot act on SIGTERM
                } catch (Exception | AssertionError e) {
                    failure = failure == null ? e : failure;
                }
                process.destroy();
            }
        }
        for (Process process : processes) {
            if (process != null && !process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL ends a paused process too
            }
        }
        if (failure instanceof Exception e) {
            throw e;
        } else if (failure != null) {
            throw (AssertionError) failure;
        }
    }

    private void launch(int i) throws IOException {
        starts[i]++;
        Path home = Files.createDirectories(dir.resolve("node-" + i));
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Payara Micro unpacks its runtime (about 100 MB) under java.io.tmpdir and deletes it on a normal
                // exit only: a node killed with SIGKILL leaves it in the test's folder, which JUnit removes
                "-Djava.io.tmpdir=" + home,
                "-jar", new File("target/latchkey-micro.jar").getAbsolutePath(),
                "--port", String.valueOf(httpPorts[i])))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile(i).toFile());
        Map<String, String> env = builder.environment();
        // the failsafe run's own settings are for its single test server, not for these nodes
        env.keySet().removeIf(name -> name.startsWith("LATCHKEY_"));
        env.putAll(environment);
        env.put("LATCHKEY_CLUSTER_PORT", String.valueOf(clusterPorts[i]));
        processes[i] = builder.start();
    }

    private Path logFile(int i) {
        return dir.resolve("node-" + i + "-start-" + starts[i] + ".log");
    }

    private void awaitServing(int i) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        Api api = new Api(base(i), null);
        while (true) {
            if (!processes[i].isAlive()) {
                throw new AssertionError("node " + i + " exited early:\n" + log(i));
            }
            if (log(i).contains(" ready in ")) {
                try {
                    // Latchkey's own JSON answer, not Payara's page of the startup window
                    if (api.get("api/v1/client_api", null).status() == 401) {
                        return;
                    }
                } catch (RuntimeException notYet) {
                    // not listening yet
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node " + i + " did not serve within " + READY_SECONDS + " s:\n" + log(i));
            }
            Thread.sleep(250);
        }
    }

    private void signal(int i, String signal) throws Exception {
        signal(processes[i], signal);
    }

    private static void signal(Process process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -" + signal);
        assertEquals(0, kill.exitValue(), "kill -" + signal + " " + process.pid());
    }

    static List<Integer> others(int count, int except) {
        List<Integer> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i != except) {
                result.add(i);
            }
        }
        return result;
    }
}
