package dev.latchkey.it;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs {@code target/latchkey-micro.jar} as a user would: in a folder of its own, on a port, with some environment. */
final class MicroJar {

    private MicroJar() {
    }

    interface Session {
        void use(Api api, URL base) throws Exception;
    }

    /** A session that also sees the server's process (its listening sockets, say). */
    interface ProcessSession {
        void use(Api api, URL base, ProcessHandle process) throws Exception;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Starts the jar in {@code workDir}, waits until it serves on {@code port}, runs the session, stops it, and
     * returns everything it printed (kept in {@code workDir/<name>.log}).
     */
    static String run(Path workDir, String name, int port, Consumer<Map<String, String>> environment, Session session)
            throws Exception {
        return run(workDir, name, port, environment, List.of(), session);
    }

    /** As {@link #run(Path, String, int, Consumer, Session)}, with further command line arguments for the jar. */
    static String run(Path workDir, String name, int port, Consumer<Map<String, String>> environment,
            List<String> args, Session session) throws Exception {
        return run(workDir, name, port, environment, args, (ProcessSession) (api, base, process) -> session.use(api, base));
    }

    /** As {@link #run(Path, String, int, Consumer, List, Session)}, the session given the server's process too. */
    static String run(Path workDir, String name, int port, Consumer<Map<String, String>> environment,
            List<String> args, ProcessSession session) throws Exception {
        Path log = workDir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", new File("target/latchkey-micro.jar").getAbsolutePath(),
                "--port", String.valueOf(port)));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        environment.accept(builder.environment());
        Process process = builder.start();
        try {
            awaitReady(process, log);
            awaitListening(port, process, log);
            URL base = new URL("http://localhost:" + port + "/");
            try {
                session.use(new Api(base), base, process.toHandle());
            } catch (Exception | AssertionError e) {
                throw new AssertionError(name + " failed; the server printed:\n" + Files.readString(log), e);
            }
        } finally {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        return Files.readString(log);
    }

    /** How a start that is expected to end on its own ended. */
    record Exit(int status, String out, String err, Duration took) {
    }

    /**
     * Starts the jar in {@code workDir} with {@code args} and waits at most {@code within} for it to exit on its own
     * (it is killed, and the test fails, if it doesn't). Java's own notes about JAVA_TOOL_OPTIONS and
     * JDK_JAVA_OPTIONS are kept out of stderr by removing those variables.
     */
    static Exit exit(Path workDir, String name, Duration within, Consumer<Map<String, String>> environment,
            String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", new File("target/latchkey-micro.jar").getAbsolutePath()));
        command.addAll(List.of(args));
        Path out = workDir.resolve(name + ".out");
        Path err = workDir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        environment.accept(builder.environment());
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + ": latchkey-micro.jar still runs after " + within + "; stderr:\n"
                        + Files.readString(err) + "\nstdout:\n" + Files.readString(out));
            }
            return new Exit(process.exitValue(), Files.readString(out), Files.readString(err),
                    Duration.ofNanos(System.nanoTime() - start));
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitReady(Process process, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            String text = Files.readString(log);
            if (text.contains(" ready in ")) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("latchkey-micro.jar exited early:\n" + text);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("latchkey-micro.jar did not become ready:\n" + Files.readString(log));
    }

    /** Waits until the port accepts connections, in case "ready" is printed a moment before. */
    private static void awaitListening(int port, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket socket = new Socket("localhost", port)) {
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError("latchkey-micro.jar does not listen on " + port + ":\n"
                            + Files.readString(log), notYet);
                }
                Thread.sleep(200);
            }
        }
    }
}
