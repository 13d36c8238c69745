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
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Clients' WebSocket messages to their organization: a {@code {"type": "send", "id", "data"}} is POSTed to the
 * organization's messages URL as {@code {"client_id", "token_id", "org_id", "data"}} with the identity headers and
 * signature of the proxy; a 2xx JSON answer of at most {@link #MAX_REPLY_BYTES} returns as the reply's
 * {@code data}, anything else as an error naming what went wrong. The call never blocks the socket's thread.
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
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(calls.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        for (String[] header : Signing.signedHeaders(secret, clock.millis() / 1000, "POST", path, client,
                metadata.of(client))) {
            request.header(header[0], header[1]);
        }
        String assertion = access.assertion(client, "POST", path);
        if (assertion != null) {
            request.header(Signing.ASSERTION, assertion);
        }
        // the request's timeout bounds the wait for the status; this one also bounds reading the answer
        AtomicReference<InputStream> answerBody = new AtomicReference<>();
        long sentAt = System.nanoTime();
        calls.http().sendAsync(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofInputStream())
                .whenComplete((answer, failure) -> {
                    if (answer != null) {
                        meters.answered(UpstreamMeters.Route.CLIENT_MESSAGES, answer.statusCode(), sentAt);
                    } else {
                        meters.failed(UpstreamMeters.Route.CLIENT_MESSAGES, UpstreamCalls.isTimeout(failure));
                    }
                })
                .thenApplyAsync(answer -> { // reading blocks: never on the HTTP client's thread (UpstreamCalls)
                    answerBody.set(answer.body());
                    return read(answer);
                }, calls.bodyReaders())
                .orTimeout(calls.timeout().toMillis() * 2, TimeUnit.MILLISECONDS)
                .whenComplete((outcome, failure) -> {
                    if (failure == null) {
                        outcome.accept(send);
                        return;
                    }
                    closeQuietly(answerBody.get());
                    LOG.fine(() -> "Client message of token " + client.tokenId() + " not answered: "
                            + failure.getClass().getName());
                    send.fail(UpstreamCalls.detail(failure));
                });
    }

    /** Reads the upstream's answer (at most one byte more than allowed) into what the client gets. */
    private static Consumer<ClientSend> read(HttpResponse<InputStream> answer) {
        byte[] bytes;
        try (InputStream in = answer.body()) {
            bytes = in.readNBytes(MAX_REPLY_BYTES + 1);
        } catch (IOException e) {
            return send -> send.fail(UpstreamCalls.UNAVAILABLE);
        }
        if (answer.statusCode() < 200 || answer.statusCode() > 299) {
            return send -> send.fail("Upstream answered with status " + answer.statusCode());
        }
        if (bytes.length > MAX_REPLY_BYTES) {
            return send -> send.fail(TOO_LARGE);
        }
        JsonValue data = parse(bytes);
        return data == null ? send -> send.fail(NOT_JSON) : send -> send.reply(data);
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                LOG.fine("Closing an upstream answer failed");
            }
        }
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
