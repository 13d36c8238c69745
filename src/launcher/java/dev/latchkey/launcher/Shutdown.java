package dev.latchkey.launcher;

import java.lang.management.ManagementFactory;
import javax.management.InstanceNotFoundException;
import javax.management.ObjectName;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT drain the node before the JVM exits: the application's {@code dev.latchkey:type=Lifecycle}
 * MBean turns the node not-ready, closes its WebSockets with 1001 and waits for requests in flight (at most 20 s);
 * then the JVM exits with status 0 and Payara's shutdown hook stops the server. Without this handler the JVM
 * would run Payara's hook at once, which stops the HTTP listener under the requests in flight. A watchdog halts
 * the process {@value #EXIT_WITHIN_MILLIS} ms after the signal whatever happens.
 */
final class Shutdown {

    static final String LIFECYCLE_MBEAN = "dev.latchkey:type=Lifecycle";
    static final long EXIT_WITHIN_MILLIS = 29_000;

    private Shutdown() {
    }

    static void handleSignals() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> start());
            } catch (IllegalArgumentException unsupported) {
                // a platform without this signal keeps the JVM's default
            }
        }
    }

    private static boolean started;

    private static synchronized void start() {
        if (started) {
            return; // a second signal while draining changes nothing
        }
        started = true;
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(EXIT_WITHIN_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("Latchkey: still stopping " + EXIT_WITHIN_MILLIS + " ms after the signal; halting");
            Runtime.getRuntime().halt(1);
        }, "latchkey-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Thread drain = new Thread(Shutdown::drainThenExit, "latchkey-shutdown");
        drain.start();
    }

    private static void drainThenExit() {
        try {
            ManagementFactory.getPlatformMBeanServer()
                    .invoke(new ObjectName(LIFECYCLE_MBEAN), "drain", new Object[0], new String[0]);
        } catch (InstanceNotFoundException notDeployed) {
            // the application has not started (or already stopped): nothing to drain
        } catch (Exception e) {
            System.err.println("Latchkey: draining before shutdown failed: " + e);
        }
        System.exit(0);
    }
}
