package dev.latchkey.launcher;

import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Drops the two multi-line INFO records Payara Micro prints once it has booted: its instance descriptor (a JSON
 * document of about 25 lines) and its list of URLs and REST endpoints (one line per method and path). Latchkey's
 * banner already says where it listens, and {@code /openapi} lists the API; without them the org key printed at the
 * first start is a few lines above the end of the start-up output, not sixty. Payara's one-line {@code ready in}
 * record, and every WARNING and SEVERE record, pass. Installed as the console handler's {@code filter} in the
 * logging configuration {@link Logs} writes.
 */
public final class StartChatter implements Filter {

    private static final String LOGGER = "PayaraMicro";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record.getLevel().intValue() > Level.INFO.intValue() || !LOGGER.equals(record.getLoggerName())) {
            return true;
        }
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        if (message == null || parameters != null && parameters.length > 0) {
            return true; // "{0} ready in {1} (ms)" is a format with parameters, not a JSON document
        }
        String start = message.stripLeading();
        return !start.startsWith("{") && !start.startsWith("Payara Micro URLs:");
    }
}
