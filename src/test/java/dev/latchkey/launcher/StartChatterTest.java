package dev.latchkey.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class StartChatterTest {

    private final StartChatter filter = new StartChatter();

    private static LogRecord record(Level level, String logger, String message, Object... parameters) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(logger);
        record.setParameters(parameters.length == 0 ? null : parameters);
        return record;
    }

    @Test
    void dropsPayaraMicrosInstanceDescriptorAndEndpointList() {
        assertFalse(filter.isLoggable(record(Level.INFO, "PayaraMicro",
                "{\n    \"Instance Configuration\": {\n        \"Host\": \"node\"\n    }\n}")));
        assertFalse(filter.isLoggable(record(Level.INFO, "PayaraMicro",
                "\nPayara Micro URLs:\nhttp://192.0.2.2:8080/\n\n'ROOT' REST Endpoints:\nGET\t/api/v1/client_api\n")));
    }

    @Test
    void keepsTheReadyLineWarningsAndEveryOtherLogger() {
        assertTrue(filter.isLoggable(record(Level.INFO, "PayaraMicro", "{0} ready in {1} (ms)",
                "Payara Micro 6.2025.10 (build 42)", 9_900L)), "a format with parameters is not a JSON document");
        assertTrue(filter.isLoggable(record(Level.INFO, "PayaraMicro", "Deployed 1 archive(s)")));
        assertTrue(filter.isLoggable(record(Level.WARNING, "PayaraMicro", "{ not JSON, but a warning")));
        for (String logger : List.of("dev.latchkey.orgs.control.OrgBootstrap", "jakarta.enterprise.web")) {
            assertTrue(filter.isLoggable(record(Level.INFO, logger, "{\"field\": 1}")), logger);
        }
    }
}
