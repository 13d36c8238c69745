package dev.latchkey.platform.http;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static dev.latchkey.platform.json.JsonFactory.JSON;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The one error shape of the whole service: {@code {"detail": "..."}} as application/json. */
public final class ErrorBodies {

    private ErrorBodies() {
    }

    public static String json(String detail) {
        return JSON.createObjectBuilder().add("detail", detail).build().toString();
    }

    public static Response response(int status, String detail) {
        Response.ResponseBuilder builder = Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(json(detail));
        if (status == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return builder.build();
    }

    /**
     * Writes the error as a servlet answer, for what runs outside JAX-RS (the handshake filter, the container's
     * error page, the upstream relay): the status, {@code application/json} (UTF-8, without a {@code charset}
     * parameter, as JAX-RS answers it: RFC 8259 section 11 defines none) with its length, {@code no-store}, and
     * {@code WWW-Authenticate: Bearer} on a 401.
     */
    public static void write(HttpServletResponse response, int status, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (status == 401) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        byte[] body = json(detail).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Fixed texts for the statuses the framework itself produces. */
    public static String forStatus(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable: this endpoint produces application/json";
            case 413 -> "Request body too large";
            case 415 -> "Unsupported media type: send application/json";
            default -> status >= 500 ? "Internal server error" : "Request failed";
        };
    }
}
