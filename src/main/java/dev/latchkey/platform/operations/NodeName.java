package dev.latchkey.platform.operations;

import dev.latchkey.platform.config.Settings;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Which node answered: the {@value #HEADER} response header of every org-key and admin answer whose key was accepted
 * ({@code docs/api.md}, {@code docs/clustering.md}), so that an operator behind a load balancer can tell the nodes'
 * answers apart. Its value is {@code LATCHKEY_NODE_NAME} when set, otherwise this machine's host name and the HTTP
 * port the request came in on ({@code latchkey-2.internal:8080}). Never sent on the client surfaces
 * ({@code /client_api}, the proxy, forward auth, the WebSocket), whose callers are the organizations' users, nor
 * with a refused key: no one without an accepted key learns a host name. Costs nothing on the session path.
 */
@ApplicationScoped
public class NodeName {

    /** The response header's name (no {@code X-} prefix: RFC 6648). */
    public static final String HEADER = "Latchkey-Node";

    /** The longest {@code LATCHKEY_NODE_NAME}, in characters. */
    public static final int MAX_LENGTH = 64;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    @Inject
    Settings settings;

    /** The host name, looked up once, at the first answer that needs it (never at start-up). */
    private volatile String host;

    /** Whether {@code name} may be a node's name: 1 to {@value #MAX_LENGTH} letters, digits, '.', '-', '_', ':'. */
    public static boolean isValid(String name) {
        return VALID.matcher(name).matches();
    }

    /**
     * This node's name.
     *
     * @param localPort the local TCP port the request arrived on, used when {@code LATCHKEY_NODE_NAME} is unset
     */
    public String of(int localPort) {
        return settings.nodeName().orElseGet(() -> host() + ":" + localPort);
    }

    /**
     * Notes this node's name on a request whose key a filter has just accepted; {@link #answer} then names it on the
     * answer, whatever the answer is.
     */
    public void accepted(ContainerRequestContext request, int localPort) {
        request.setProperty(HEADER, of(localPort));
    }

    /** Names the node on the answer to a request {@link #accepted} (a response filter's work), and only then. */
    public static void answer(ContainerRequestContext request, ContainerResponseContext response) {
        Object node = request.getProperty(HEADER);
        if (node != null) {
            response.getHeaders().putSingle(HEADER, node);
        }
    }

    private String host() {
        String known = host;
        if (known == null) {
            try {
                known = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                known = "localhost"; // a machine whose own name does not resolve
            }
            host = known;
        }
        return known;
    }
}
