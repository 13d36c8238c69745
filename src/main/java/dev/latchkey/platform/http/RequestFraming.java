package dev.latchkey.platform.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.Locale;

/**
 * Requests that two HTTP readers could frame or route differently, refused before anything reads them: the
 * container in front of Latchkey, Latchkey itself and an upstream behind it must never disagree on where a
 * request ends, which host it is for, or which path it names (request smuggling, RFC 9112 section 11.2).
 * Checked by {@link EdgeFilter} for every request; a refusal is answered with {@code Connection: close}, and
 * whatever follows on that connection is never read as another request ({@link ClosedConnections}). A chunked
 * request is answered, then its connection closed the same way: Payara Micro's HTTP layer drops a
 * {@code Content-Length} sent with {@code Transfer-Encoding: chunked} before the application sees the request,
 * reading the body as chunked (which RFC 9112 section 6.3 allows); closing is what keeps the bytes after that body
 * from being read as a request.
 * <ul>
 *   <li>{@code Content-Length} together with {@code Transfer-Encoding} (RFC 9112 section 6.1: "ought to be
 *       handled as an error"), a {@code Transfer-Encoding} other than exactly {@code chunked} (section 6.3: a
 *       final coding that is not chunked leaves the length undetermined), and more than one
 *       {@code Content-Length} (section 6.3, item 5): 400.</li>
 *   <li>More than one {@code Host}, or one listing several (RFC 9112 section 3.2: 400).</li>
 *   <li>A {@code #} in the request-target: a fragment is never part of it (RFC 9112 section 3.2, RFC 3986
 *       section 3.5): 400. Traefik forwarded it as {@code %23} (CVE-2023-47106).</li>
 *   <li>{@code TRACE} (it would reflect the request's credentials, RFC 9110 section 9.3.8) and {@code CONNECT}:
 *       405, as JSON like every other refusal.</li>
 * </ul>
 */
public final class RequestFraming {

    /** Why a request was refused: its status and {@code detail}. */
    public record Refusal(int status, String detail) {
    }

    static final Refusal LENGTH_AND_CHUNKED = new Refusal(400,
            "Ambiguous request framing: Content-Length and Transfer-Encoding together");
    static final Refusal NOT_CHUNKED = new Refusal(400,
            "Ambiguous request framing: Transfer-Encoding must be exactly chunked");
    static final Refusal TWO_LENGTHS = new Refusal(400, "Ambiguous request framing: more than one Content-Length");
    static final Refusal TWO_HOSTS = new Refusal(400, "More than one Host header: send exactly one");
    static final Refusal FRAGMENT = new Refusal(400, "Invalid request target: a fragment (#) is never sent");
    static final Refusal METHOD = new Refusal(405, ErrorBodies.forStatus(405));
    static final Refusal AFTER_CLOSE = new Refusal(400,
            "Request after a closing answer on the same connection: open a new connection");

    private RequestFraming() {
    }

    /** The reason to refuse the request, or {@code null} when its framing, host and target are unambiguous. */
    public static Refusal check(HttpServletRequest request) {
        String method = request.getMethod();
        if (method.equals("TRACE") || method.equals("CONNECT")) {
            return METHOD;
        }
        Enumeration<String> lengths = request.getHeaders("Content-Length");
        boolean length = lengths.hasMoreElements();
        if (length && (lengths.nextElement().indexOf(',') >= 0 || lengths.hasMoreElements())) {
            return TWO_LENGTHS;
        }
        Enumeration<String> codings = request.getHeaders("Transfer-Encoding");
        if (codings.hasMoreElements()) {
            if (length) {
                return LENGTH_AND_CHUNKED;
            }
            String coding = codings.nextElement();
            if (codings.hasMoreElements() || !coding.trim().toLowerCase(Locale.ROOT).equals("chunked")) {
                return NOT_CHUNKED;
            }
        }
        Enumeration<String> hosts = request.getHeaders("Host");
        if (hosts.hasMoreElements() && (hosts.nextElement().indexOf(',') >= 0 || hosts.hasMoreElements())) {
            return TWO_HOSTS;
        }
        String query = request.getQueryString();
        if (request.getRequestURI().indexOf('#') >= 0 || (query != null && query.indexOf('#') >= 0)) {
            return FRAGMENT;
        }
        return null;
    }
}
