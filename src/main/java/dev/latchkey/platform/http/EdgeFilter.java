package dev.latchkey.platform.http;

import dev.latchkey.platform.config.Settings;
import dev.latchkey.platform.operations.Lifecycle;
import dev.latchkey.platform.operations.Meters;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.metrics.Counter;

/**
 * The one servlet filter of Latchkey's own that every request passes, first (declared in {@code web.xml}, so it
 * wraps every filter mapped by annotation, and sees the answers they give themselves, such as a refused WebSocket
 * handshake). It hands the upstream proxy's requests ({@link #isProxied}) to the gateway's relay servlet by name,
 * so that they skip JAX-RS (decision G3 of the {@code gateway} package). Four jobs, in one filter because each servlet filter costs every request the container's
 * bookkeeping around it (decision D6 in the {@code access} package):
 * <ul>
 *   <li><b>Unambiguous requests</b>: a request whose framing, {@code Host} or target two HTTP readers could read
 *       differently is refused before anything else reads it ({@link RequestFraming}), and nothing sent after it on
 *       that connection is read as a request ({@link ClosedConnections}).</li>
 *   <li><b>Security headers</b>, after the OWASP Secure Headers Project. Every answer carries
 *       {@code X-Content-Type-Options: nosniff}, so a browser never reads a JSON error or a token as HTML or
 *       script. The org console ({@code /console/}, a page that holds an org key in memory) and the browser helper
 *       {@code /latchkey-client.js} also carry a strict {@code Content-Security-Policy} (scripts, styles and
 *       connections from this origin only, no inline code, no framing) and {@code Referrer-Policy: no-referrer}.</li>
 *   <li><b>Requests in flight</b>, counted for a graceful shutdown ({@link Lifecycle#drain()}): also with the
 *       access log off.</li>
 *   <li><b>The access log</b>: on by default, {@code LATCHKEY_ACCESS_LOG=off} turns it off. The request thread
 *       only hands the request's parts to the {@link AccessLogWriter}, which redacts, formats and writes them on a
 *       thread of its own. No header is ever logged, so never an {@code Authorization} value. (Payara's own access
 *       log writes the raw request line, query string included: it stays off.)</li>
 * </ul>
 */
public class EdgeFilter extends HttpFilter {

    /** The console's policy: nothing but this origin's own files and API, never inline code, never in a frame. */
    public static final String CONSOLE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /** The servlet that relays proxied requests, by its name in {@code web.xml} (the gateway's upstream relay). */
    static final String PROXY = "upstream-relay";
    private static final String API = "/api/v1";

    @Inject
    Lifecycle lifecycle;

    @Inject
    Settings settings;

    @Inject
    Meters meters;

    private final ClosedConnections closedConnections = new ClosedConnections();
    private LongAdder inFlight;
    private AccessLogWriter accessLog;

    @Override
    public void init(FilterConfig config) throws ServletException {
        super.init(config);
        inFlight = lifecycle.requestsInFlight();
        // registered with the log off too, so that the series is always there (and stays 0)
        Counter dropped = meters.counter("latchkey_access_log_dropped_lines",
                "Access log lines dropped because " + AccessLogWriter.CAPACITY + " lines were waiting to be written");
        if (settings.accessLog()) {
            accessLog = new AccessLogWriter(settings.jsonLogs(), System.err, dropped);
        }
    }

    @Override
    public void destroy() {
        if (accessLog != null) {
            accessLog.close();
        }
        super.destroy();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long start = System.nanoTime();
        inFlight.increment();
        try {
            securityHeaders(request, response);
            RequestFraming.Refusal refusal = closedConnections.isClosed(request)
                    ? RequestFraming.AFTER_CLOSE : RequestFraming.check(request);
            if (refusal != null) {
                // the bytes after this request may be a smuggled one: never read them
                closeAfter(request, response);
                ErrorBodies.write(response, refusal.status(), refusal.detail());
                return;
            }
            if (request.getHeader("Transfer-Encoding") != null) {
                // it may also have carried a Content-Length the container dropped on reading chunked (Grizzly
                // does): answered, but what follows its body on this connection is never read as a request
                closeAfter(request, response);
            }
            if (isProxied(request)) {
                request.getServletContext().getNamedDispatcher(PROXY).forward(request, response);
            } else {
                chain.doFilter(request, response);
            }
        } finally {
            inFlight.decrement();
            if (accessLog != null) {
                accessLog.add(request.getRemoteAddr(), request.getMethod(), request.getRequestURI(),
                        request.getQueryString(), response.getStatus(), System.nanoTime() - start);
            }
        }
    }

    /**
     * Whether the request is for the upstream proxy: a path below {@code /api/v1/client_api/}, not
     * {@code /api/v1/client_api} itself, either as the container mapped it (decoded, {@code ;} parameters dropped,
     * {@code .} and {@code ..} resolved) or as the client sent it. The sent target counts too because the container
     * resolves {@code ..;} and {@code ..} before it maps a path: {@code /api/v1/client_api/a/..;/..;/admin} maps to
     * {@code /api/v1/admin}, and must reach the relay to be refused ({@code Invalid path}), never another resource.
     */
    static boolean isProxied(HttpServletRequest request) {
        String mapped = request.getPathInfo();
        if (mapped != null && API.equals(request.getServletPath()) && ClientApiPaths.isBelowClientApi(mapped, 0)) {
            return true;
        }
        String sent = request.getRequestURI();
        int api = request.getContextPath().length();
        return sent.startsWith(API, api) && sent.startsWith("/", api + API.length())
                && ClientApiPaths.isBelowClientApi(sent, api + API.length());
    }

    private void closeAfter(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Connection", "close");
        closedConnections.close(request);
    }

    private static void securityHeaders(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        // the servlet path, kept by the container: no string is built per request (the API's is "/api/v1")
        String path = request.getServletPath();
        if (path.equals("/console") || path.startsWith("/console/") || path.equals("/latchkey-client.js")) {
            response.setHeader("Content-Security-Policy", CONSOLE_POLICY);
            response.setHeader("Referrer-Policy", "no-referrer");
        }
    }
}
