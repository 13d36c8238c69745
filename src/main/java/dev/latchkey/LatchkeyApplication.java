package dev.latchkey;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/** The REST root: every Latchkey endpoint lives under {@code /api/v1}. */
@ApplicationPath("/api/v1")
public class LatchkeyApplication extends Application {

    @Override
    public Map<String, Object> getProperties() {
        // Errors are always written by our exception mappers, never by the container's HTML error pages.
        return Map.of(
                "jersey.config.server.response.setStatusOverSendError", true,
                "jersey.config.server.wadl.disableWadl", true);
    }
}
