package dev.latchkey.platform.http;

import jakarta.ejb.ApplicationException;
import jakarta.ws.rs.core.Response.Status;

/**
 * A failure the caller should see as {@code {"detail": "..."}} with the given status.
 * Carries no stack trace: it is an answer, not a fault.
 */
@ApplicationException(rollback = true) // an answer for the caller: EJBs pass it on unwrapped and unlogged
public class ApiError extends RuntimeException {

    private final int status;

    public ApiError(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public static ApiError badRequest(String detail) {
        return new ApiError(Status.BAD_REQUEST.getStatusCode(), detail);
    }

    public static ApiError notFound(String detail) {
        return new ApiError(Status.NOT_FOUND.getStatusCode(), detail);
    }

    public int status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }
}
