package dev.latchkey.platform.http;

import dev.latchkey.platform.database.DatabaseBreakers;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The exception mappers that turn every failure into the one JSON error shape. */
public final class ErrorMappers {

    private ErrorMappers() {
    }

    @Provider
    public static class ApiErrorMapper implements ExceptionMapper<ApiError> {
        @Override
        public Response toResponse(ApiError error) {
            return ErrorBodies.response(error.status(), error.detail());
        }
    }

    /** Framework answers (404 unknown path, 405, 406, 415...) keep their status and get a JSON body. */
    @Provider
    public static class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException exception) {
            int status = exception.getResponse().getStatus();
            if (status >= 500) {
                LOG.log(Level.SEVERE, "Request failed", exception);
            }
            Response json = ErrorBodies.response(status, ErrorBodies.forStatus(status));
            String allow = exception.getResponse().getHeaderString("Allow");
            return allow == null ? json : Response.fromResponse(json).header("Allow", allow).build();
        }
    }

    /**
     * A database circuit breaker is open ({@link DatabaseBreakers}): the contract's 500, and one short log line,
     * since during an outage every request that needs the database ends here.
     */
    @Provider
    public static class BreakerOpenMapper implements ExceptionMapper<CircuitBreakerOpenException> {
        @Override
        public Response toResponse(CircuitBreakerOpenException exception) {
            LOG.warning("The database is failing: answered 500 without trying it (" + exception.getMessage() + ")");
            return ErrorBodies.response(500, ErrorBodies.forStatus(500));
        }
    }

    /** The last resort: log the cause for the operator, show the caller nothing of it. */
    @Provider
    public static class FallbackMapper implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable throwable) {
            LOG.log(Level.SEVERE, "Unexpected failure while serving a request", throwable);
            return ErrorBodies.response(500, ErrorBodies.forStatus(500));
        }
    }

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class.getName());
}
