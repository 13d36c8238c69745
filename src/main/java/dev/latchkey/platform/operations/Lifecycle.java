package dev.latchkey.platform.operations;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Where this node is in its life: starting, serving, or draining before it stops. Readiness reads it.
 *
 * <p><b>Graceful shutdown.</b> A JVM runs its shutdown hooks all at once, so a hook of the application could not
 * finish its work before Payara's own hook stops the HTTP listener. latchkey-micro.jar's launcher therefore
 * handles SIGTERM itself: it calls {@link #drain()} through the platform MBean server (the launcher and the
 * application have no class in common but the JDK's), and only then lets the JVM exit. Draining turns the node
 * not-ready, fires {@link ShuttingDown} (the live connections close with 1001), and waits for the requests in
 * flight to finish, for at most {@link #DRAIN_MILLIS} ms.
 */
@ApplicationScoped
public class Lifecycle {

    /** The MBean the launcher invokes on SIGTERM; its one operation is {@code drain}. */
    public static final String MBEAN = "dev.latchkey:type=Lifecycle";
    /** The longest a drain waits for requests in flight: the node exits within 30 s of SIGTERM. */
    public static final long DRAIN_MILLIS = 20_000;
    private static final Logger LOG = Logger.getLogger(Lifecycle.class.getName());

    /** Set once the application has started; latchkey-micro.jar's launcher exits with an error when it isn't. */
    public static final String STARTED_PROPERTY = "latchkey.started";

    /** What the launcher sees of this class through JMX. */
    public interface Drainable {
        void drain();
    }

    @Inject
    Event<ShuttingDown> shuttingDown;

    private final LongAdder inFlight = new LongAdder();
    private volatile boolean started;
    private volatile boolean draining;
    private volatile ClassLoader applicationLoader;
    private ObjectName registered;

    /** The application has started (every startup bean ran): from now on it may be ready. */
    void started(@Observes @Initialized(ApplicationScoped.class) Object application) {
        applicationLoader = Thread.currentThread().getContextClassLoader();
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(MBEAN);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name); // a redeployment in the same JVM
            }
            server.registerMBean(new StandardMBean((Drainable) this::drain, Drainable.class), name);
            registered = name;
        } catch (JMException e) {
            LOG.log(Level.WARNING, "SIGTERM will stop this node without draining it: " + e);
        }
        started = true;
        System.setProperty(STARTED_PROPERTY, "true");
    }

    @PreDestroy
    void stopped() {
        draining = true;
        if (registered != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
            } catch (JMException e) {
                LOG.log(Level.FINE, "Lifecycle MBean already gone", e);
            }
        }
    }

    /** Whether the application has started and is not draining. */
    public boolean isServing() {
        return started && !draining;
    }

    public boolean isDraining() {
        return draining;
    }

    /**
     * The count of requests in flight: the edge filter increments it when a request enters the application and
     * decrements it when the request leaves, on the counter itself (no call through this bean's proxy per request).
     */
    public LongAdder requestsInFlight() {
        return inFlight;
    }

    /** Requests in flight right now (an estimate while they change). */
    public long inFlight() {
        return inFlight.sum();
    }

    /** Not ready, live connections closed, requests in flight finished (or {@link #DRAIN_MILLIS} passed). */
    public void drain() {
        if (draining) {
            return;
        }
        draining = true;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(applicationLoader);
        try {
            LOG.info("Shutting down: not ready any more; closing live connections and finishing requests in flight");
            try {
                shuttingDown.fire(new ShuttingDown());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Closing live connections at shutdown failed", e);
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
            while (inFlight.sum() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    thread.interrupt();
                    return;
                }
            }
            long left = inFlight.sum();
            LOG.info(left > 0 ? "Stopping with " + left + " requests still in flight" : "Drained: stopping");
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
