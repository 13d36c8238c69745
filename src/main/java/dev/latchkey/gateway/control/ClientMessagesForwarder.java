package dev.latchkey.gateway.control;

import static dev.latchkey.platform.json.JsonFactory.JSON;

import dev.latchkey.access.control.ClientSend;
import dev.latchkey.tokens.control.ClientAccess;
import dev.latchkey.tokens.control.ClientPrincipal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;

/**
 * Clients' WebSocket messages to their organization: a {@code {"type": "send", "id", "data"}} is POSTed to the
 * organization's messages URL as {@code {"client_id", "token_id", "org_id", "data"}} with the identity headers and
 * signature of the proxy; a 2xx JSON answer of at most {@link #MAX_REPLY_BYTES} returns as the reply's
 * {@code data}, anything else as an error naming what went wrong. The call never blocks the socket's thread, and no
 * thread waits for the answer: it is read as it arrives on the HTTP client's thread ({@link UpstreamCalls}). The
 * upstream may stay silent for {@code LATCHKEY_UPSTREAM_TIMEOUT_SECS} at most, and the whole call lasts twice that
 * at most ("Upstream timed out").
 */
@ApplicationScoped
public class ClientMessagesForwarder {

    /** The largest upstream answer passed back, in bytes: what fits in one WebSocket message. */
    public static final int MAX_REPLY_BYTES = 64 * 1024 - 256;
    static final String DISABLED = "Messages are not enabled for this organization";
    static final String NOT_JSON = "Upstream answer is not JSON";
    static final String TOO_LARGE = "Upstream answer is too large: at most " + MAX_REPLY_BYTES + " bytes";
    private static final Logger LOG = Logger.getLogger(ClientMessagesForwarder.class.getName());

    @Inject
    Upstreams upstreams;

    @Inject
    UpstreamCalls calls;

    @Inject
    TokenMetadata metadata;

    @Inject
    UpstreamMeters meters;

    @Inject
    Clock clock;

    @Inject
    ClientAccess access;

    void forward(@Observes ClientSend send) {
        if (!send.take()) {
            return;
        }
        ClientPrincipal client = send.from();
        URI target = upstreams.of(client.orgId()).map(UpstreamTarget::messagesUrl).orElse(null);
        if (target == null) {
            send.fail(DISABLED);
            return;
        }
        String secret = upstreams.of(client.orgId()).get().secret();
        String body = JSON.createObjectBuilder()
                .add("client_id", client.clientId())
                .add("token_id", client.tokenId())
                .add("org_id", client.orgId())
                .add("data", send.data())
                .build().toString();
        BasicHttpRequest request = new BasicHttpRequest("POST", target);
        request.addHeader("Content-Type", "application/json");
        request.addHeader("Accept", "application/json");
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        for (String[] header : Signing.signedHeaders(secret, clock.millis() / 1000, "POST", path, client,
                metadata.of(client))) {
            request.addHeader(header[0], header[1]);
        }
        String assertion = access.assertion(client, "POST", path);
        if (assertion != null) {
            request.addHeader(Signing.ASSERTION, assertion);
        }
        // the upstream may stay silent for the timeout at most; the whole call takes twice that at most
        Reply reply = new Reply(System.nanoTime());
        CompletableFuture<Consumer<ClientSend>> outcome = reply.outcome;
        Future<Void> exchange = calls.call(request, AsyncEntityProducers.create(body.getBytes(StandardCharsets.UTF_8),
                        (ContentType) null), reply, Timeout.of(calls.timeout()), outcome);
        // answered off the HTTP client's thread: parsing and the socket's send are no work for it
        outcome.orTimeout(calls.timeout().toMillis() * 2, TimeUnit.MILLISECONDS)
                .whenCompleteAsync((result, failure) -> {
                    UpstreamCalls.abort(exchange); // a reply too large is decided before its end: the rest is not read
                    if (!reply.answered) {
                        meters.failed(UpstreamMeters.Route.CLIENT_MESSAGES, UpstreamCalls.isTimeout(failure));
                    }
                    if (failure == null) {
                        result.accept(send);
                        return;
                    }
                    LOG.fine(() -> "Client message of token " + client.tokenId() + " not answered: "
                            + failure.getClass().getName());
                    send.fail(UpstreamCalls.detail(failure));
                }, calls.bodyReaders());
    }

    /**
     * The organization's answer, read as it arrives (never on a thread that waits): the status, then at most one byte
     * more than allowed; {@code outcome} completes with what the client gets as soon as that is known.
     */
    private final class Reply implements AsyncResponseConsumer<Void> {

        final CompletableFuture<Consumer<ClientSend>> outcome = new CompletableFuture<>();
        private final long sentAt;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        volatile boolean answered;
        private volatile int status;
        private volatile FutureCallback<Void> result;

        Reply(long sentAt) {
            this.sentAt = sentAt;
        }

        @Override
        public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context,
                                    FutureCallback<Void> resultCallback) {
            status = response.getCode();
            answered = true;
            meters.answered(UpstreamMeters.Route.CLIENT_MESSAGES, status, sentAt);
            if (entity == null) {
                resultCallback.completed(null);
                outcome.complete(answerFor(status, new byte[0]));
            } else {
                result = resultCallback;
            }
        }

        @Override
        public void informationResponse(HttpResponse response, HttpContext context) {
            // 1xx: the answer follows
        }

        @Override
        public void updateCapacity(CapacityChannel channel) throws IOException {
            channel.update(MAX_REPLY_BYTES + 1); // what goes beyond the bound ends the call (consume)
        }

        @Override
        public void consume(ByteBuffer src) {
            int n = src.remaining();
            synchronized (bytes) {
                if (bytes.size() <= MAX_REPLY_BYTES) {
                    byte[] piece = new byte[Math.min(n, MAX_REPLY_BYTES + 1 - bytes.size())];
                    src.get(piece);
                    bytes.write(piece, 0, piece.length);
                }
                src.position(src.limit());
                if (bytes.size() > MAX_REPLY_BYTES) {
                    outcome.complete(answerFor(status, bytes.toByteArray()));
                }
            }
        }

        @Override
        public void streamEnd(List<? extends Header> trailers) {
            FutureCallback<Void> done = result;
            if (done != null) {
                done.completed(null);
            }
            synchronized (bytes) {
                outcome.complete(answerFor(status, bytes.toByteArray()));
            }
        }

        @Override
        public void failed(Exception cause) {
            outcome.completeExceptionally(cause);
        }

        @Override
        public void releaseResources() {
            // nothing held but the bytes, which the outcome has taken
        }
    }

    /** What the client gets for the upstream's answer: its status first, then its size, then whether it is JSON. */
    private static Consumer<ClientSend> answerFor(int status, byte[] bytes) {
        if (status < 200 || status > 299) {
            return send -> send.fail("Upstream answered with status " + status);
        }
        if (bytes.length > MAX_REPLY_BYTES) {
            return send -> send.fail(TOO_LARGE);
        }
        return send -> { // parsed on the thread that answers, not on the HTTP client's
            JsonValue data = parse(bytes);
            if (data == null) {
                send.fail(NOT_JSON);
            } else {
                send.reply(data);
            }
        };
    }

    /** The one JSON value of the answer, or null when it is not exactly one. */
    private static JsonValue parse(byte[] bytes) {
        try (JsonParser parser = JSON.createParser(new ByteArrayInputStream(bytes))) {
            parser.next();
            JsonValue value = parser.getValue();
            return parser.hasNext() ? null : value;
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        }
    }
}
