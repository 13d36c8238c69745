package dev.latchkey.platform;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.eclipse.microprofile.metrics.Counter;

/**
 * The access log: one line per request, {@code <address> "<method> <path>[?<query>]" <status> <ms> ms}, written to
 * the console (standard error, beside the server's records) by an {@link AccessLogWriter}, off the request thread,
 * in the server's text or JSON format ({@code LATCHKEY_LOG_FORMAT}). On by default; {@code LATCHKEY_ACCESS_LOG=off}
 * turns it off.
 *
 * <p>Never a secret: the value of every {@code client_key} parameter becomes {@value #REDACTED}, and anything
 * else in the line that looks like a JWT or an org key (a client that put one in its path) is replaced too. No
 * header is logged, so never an {@code Authorization} value. (Payara's own access log writes the raw request
 * line, query string included: it stays off.)
 *
 * <p>It also counts the requests in flight for a graceful shutdown ({@link Lifecycle}), so it runs for every
 * request even with the log off: two {@code LongAdder} updates. Declared in {@code web.xml}, not by annotation,
 * so that it wraps every other filter (a handshake the WebSocket filter refuses is logged with its status).
 */
public class AccessLogFilter extends HttpFilter {

    /** What a redacted value reads as. */
    public static final String REDACTED = "[redacted]";
    private static final String CLIENT_KEY = "client_key";
    private static final Pattern SECRET = Pattern.compile("eyJ[A-Za-z0-9_%-]*(?:\\.[A-Za-z0-9_%-]*)*|fl-[A-Za-z0-9_-]+");

    @Inject
    Lifecycle lifecycle;

    @Inject
    Settings settings;

    @Inject
    Meters meters;

    private AccessLogWriter writer;

    @Override
    public void init(FilterConfig config) throws ServletException {
        super.init(config);
        // registered with the log off too, so that the series is always there (and stays 0)
        Counter dropped = meters.counter("latchkey_access_log_dropped_lines",
                "Access log lines dropped because " + AccessLogWriter.CAPACITY + " lines were waiting to be written");
        if (settings.accessLog()) {
            writer = new AccessLogWriter(settings.jsonLogs(), System.err, dropped);
        }
    }

    @Override
    public void destroy() {
        if (writer != null) {
            writer.close();
        }
        super.destroy();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long start = System.nanoTime();
        lifecycle.requestStarted();
        try {
            chain.doFilter(request, response);
        } finally {
            lifecycle.requestEnded();
            if (writer != null) {
                writer.add(line(request, response.getStatus(), System.nanoTime() - start));
            }
        }
    }

    private static String line(HttpServletRequest request, int status, long nanos) {
        StringBuilder line = new StringBuilder(96)
                .append(request.getRemoteAddr()).append(" \"").append(request.getMethod()).append(' ')
                .append(redact(request.getRequestURI()));
        String query = request.getQueryString();
        if (query != null) {
            line.append('?').append(redactQuery(query));
        }
        long tenthsOfMs = nanos / 100_000;
        line.append("\" ").append(status).append(' ')
                .append(tenthsOfMs / 10).append('.').append(tenthsOfMs % 10).append(" ms");
        return line.toString();
    }

    /** The text with every JWT-like or org-key-like run replaced; untouched (no copy) when it holds none. */
    static String redact(String text) {
        if (text.indexOf("eyJ") < 0 && text.indexOf("fl-") < 0) {
            return text;
        }
        return SECRET.matcher(text).replaceAll(REDACTED);
    }

    /**
     * The query string as it is logged: each parameter is decoded as the server decodes it, and the value of
     * {@code client_key} (in any case or escaping of its name), or any value that decodes to something holding a
     * JWT or an org key, is replaced by {@value #REDACTED}. A parameter that does not decode is redacted whole.
     */
    static String redactQuery(String query) {
        StringBuilder out = new StringBuilder(query.length());
        for (String pair : query.split("&", -1)) {
            if (out.length() > 0) {
                out.append('&');
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            String decodedName;
            String decodedValue;
            try {
                decodedName = URLDecoder.decode(name, StandardCharsets.UTF_8);
                decodedValue = URLDecoder.decode(value, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException undecodable) {
                out.append(REDACTED);
                continue;
            }
            boolean secret = CLIENT_KEY.equalsIgnoreCase(decodedName) || SECRET.matcher(decodedValue).find();
            out.append(redact(name));
            if (equals >= 0) {
                out.append('=').append(secret ? REDACTED : redact(value));
            }
        }
        return out.toString();
    }
}
