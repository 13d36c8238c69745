package dev.latchkey.tokens.boundary;

import dev.latchkey.platform.http.ErrorBodies;
import dev.latchkey.tokens.control.SigningKeys;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /.well-known/jwks.json} at the server's root, outside the JAX-RS application (which lives at
 * {@code /api/v1}): the public keys that verify client tokens and upstream assertions, as an RFC 7517 JWK Set,
 * without a credential. Cacheable for {@value #MAX_AGE_SECS} s: the next key is in the set before it signs
 * anything, so a cached set survives a rotation; a verifier that meets an unknown {@code kid} fetches it again.
 * Any other method than GET or HEAD: 405 with the JSON error shape.
 */
@WebServlet("/.well-known/jwks.json")
public class KeySetServlet extends HttpServlet {

    /** How long a verifier may keep the set ({@code Cache-Control: max-age}). */
    static final int MAX_AGE_SECS = 300;

    @Inject
    SigningKeys signingKeys;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.setHeader("Allow", "GET, HEAD");
            ErrorBodies.write(response, 405, ErrorBodies.forStatus(405));
            return;
        }
        byte[] body = signingKeys.keySet().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType(MediaType.APPLICATION_JSON);
        response.setHeader("Cache-Control", "public, max-age=" + MAX_AGE_SECS);
        response.setContentLength(body.length);
        if (method.equals("GET")) {
            response.getOutputStream().write(body);
        }
    }
}
