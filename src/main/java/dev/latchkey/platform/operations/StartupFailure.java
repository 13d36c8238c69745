package dev.latchkey.platform.operations;

import jakarta.annotation.PostConstruct;
import jakarta.interceptor.InvocationContext;

/**
 * A lifecycle interceptor for Latchkey's start-up beans ({@code @Interceptors(StartupFailure.class)}): when one fails,
 * the first line of its failure is kept in the system property {@value #PROPERTY}, where latchkey-micro.jar's
 * launcher reads it once Payara Micro has booted and finds the application not started. It then prints that line
 * and exits non-zero, instead of leaving a server that answers 404 to everything. The first failure wins: later
 * ones are its consequences.
 */
public class StartupFailure {

    /** Read by the launcher (it shares no class with the application, only the JVM's system properties). */
    public static final String PROPERTY = "latchkey.startup.failure";

    @PostConstruct
    Object record(InvocationContext context) throws Exception {
        try {
            return context.proceed();
        } catch (RuntimeException | Error e) {
            String reason = reason(e);
            synchronized (StartupFailure.class) {
                if (System.getProperty(PROPERTY) == null) {
                    System.setProperty(PROPERTY, reason);
                }
            }
            throw e;
        }
    }

    /** The failure's own message (the innermost one that has a message when it has none), on one line. */
    static String reason(Throwable failure) {
        Throwable shown = failure;
        while (shown.getMessage() == null && shown.getCause() != null) {
            shown = shown.getCause();
        }
        String message = shown.getMessage() == null ? shown.getClass().getName() : shown.getMessage();
        String firstLine = message.strip().lines().findFirst().orElse("").strip();
        return firstLine.length() > 300 ? firstLine.substring(0, 300) + "..." : firstLine;
    }
}
