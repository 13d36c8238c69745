package dev.latchkey.launcher;

import java.sql.SQLException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Remembers the first SEVERE record logged while Payara Micro boots, as one line: the message of the database
 * driver's own exception when the record carries one (what a failed deployment's stack trace usually comes down
 * to: "Connection to db:5432 refused", "Database may be already in use"), otherwise the record's first line.
 */
final class FirstFailure extends Handler {

    private static final int LONGEST = 300;
    private volatile String reason;
    private volatile boolean detached;

    /**
     * Attached to the root logger, and again after every change of the logging configuration: Payara's runtime
     * resets the handlers when it takes over the logging.
     */
    static FirstFailure attach() {
        FirstFailure handler = new FirstFailure();
        handler.setLevel(Level.SEVERE);
        handler.reattach();
        LogManager.getLogManager().addConfigurationListener(handler::reattach);
        return handler;
    }

    /** Once the application has started: nothing more to remember. */
    void detach() {
        detached = true;
        Logger.getLogger("").removeHandler(this);
    }

    private void reattach() {
        if (detached) {
            return;
        }
        Logger root = Logger.getLogger("");
        for (Handler present : root.getHandlers()) {
            if (present == this) {
                return;
            }
        }
        root.addHandler(this);
    }

    /** The first SEVERE record's reason, or null if there was none. */
    String reason() {
        return reason;
    }

    @Override
    public void publish(LogRecord record) {
        if (reason != null || record == null || record.getLevel().intValue() < Level.SEVERE.intValue()) {
            return;
        }
        String found = reasonOf(record.getThrown());
        if (found == null && record.getMessage() != null) {
            found = firstLine(record.getMessage());
        }
        if (found != null && !found.isEmpty()) {
            reason = found;
        }
    }

    /** The innermost SQLException's message, else the innermost message; null without a throwable. */
    static String reasonOf(Throwable thrown) {
        String sql = null;
        String any = null;
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                any = t.getMessage();
                if (t instanceof SQLException) {
                    sql = t.getMessage();
                }
            }
        }
        String chosen = sql != null ? sql : any;
        return chosen == null ? null : firstLine(chosen);
    }

    static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("").strip();
        return line.length() > LONGEST ? line.substring(0, LONGEST) + "..." : line;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
