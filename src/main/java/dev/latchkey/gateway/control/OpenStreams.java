package dev.latchkey.gateway.control;

import dev.latchkey.tokens.control.ClientPrincipal;
import dev.latchkey.tokens.control.Revocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.Closeable;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.logging.Logger;

/**
 * The proxied requests in flight on this node, so that a revocation cuts them: a request still waiting for the
 * upstream is cancelled, an answer being streamed (server-sent events, a download) stops at once. Whatever spreads
 * revocations across nodes calls {@link #cut} on every node.
 */
@ApplicationScoped
public class OpenStreams {

    private static final Logger LOG = Logger.getLogger(OpenStreams.class.getName());

    private final Set<Stream> open = ConcurrentHashMap.newKeySet();

    /** Registers a proxied request of this client; {@link #close} it when it ends, however it ends. */
    public Stream open(ClientPrincipal client) {
        Stream stream = new Stream(client);
        open.add(stream);
        return stream;
    }

    public void close(Stream stream) {
        open.remove(stream);
    }

    void revoked(@Observes Revocation revocation) {
        cut(revocation);
    }

    /** Cuts this node's proxied requests of the revoked token, or of every token of the client. */
    public int cut(Revocation revocation) {
        int cut = 0;
        for (Stream stream : open) {
            ClientPrincipal client = stream.client;
            boolean concerned = client.orgId().equals(revocation.orgId()) && (revocation.isWholeClient()
                    ? client.clientId().equals(revocation.clientId())
                    : client.tokenId().equals(revocation.tokenId()));
            if (concerned) {
                stream.cut();
                open.remove(stream);
                cut++;
            }
        }
        if (cut > 0) {
            int count = cut;
            LOG.fine(() -> "Revocation cut " + count + " proxied requests");
        }
        return cut;
    }

    /** How many proxied requests are in flight on this node. */
    public int size() {
        return open.size();
    }

    /** One proxied request: first the pending upstream call, then the upstream's body being streamed. */
    public static final class Stream {

        private final ClientPrincipal client;
        private volatile boolean cut;
        private volatile Future<?> pending;
        private volatile Closeable body;

        Stream(ClientPrincipal client) {
            this.client = client;
        }

        public boolean isCut() {
            return cut;
        }

        /** The upstream call, cancelled if the token is revoked before the upstream answers. */
        public void attach(Future<?> call) {
            pending = call;
            if (cut) {
                call.cancel(true);
            }
        }

        /** The upstream's body, closed if the token is revoked while it streams. */
        public void attach(Closeable upstreamBody) {
            body = upstreamBody;
            if (cut) {
                closeQuietly(upstreamBody);
            }
        }

        void cut() {
            cut = true;
            Future<?> call = pending;
            if (call != null) {
                call.cancel(true);
            }
            Closeable stream = body;
            if (stream != null) {
                closeQuietly(stream);
            }
        }

        private static void closeQuietly(Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                LOG.fine("Closing an upstream body failed: " + e.getClass().getName());
            }
        }
    }
}
