package dev.latchkey.gateway.control;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * An upstream's answer body as the proxy takes it from the HTTP client: held whole ({@link #whole}) when the
 * upstream announced a length of at most {@value #HELD_BYTES} bytes, streamed ({@link #stream}) otherwise, and
 * neither after {@code HEAD}, 204 and 304 (which have none; what arrives is discarded).
 *
 * <p>Why hold small bodies: the proxy's request thread waits for the upstream's answer anyway; with the whole body
 * in hand it writes the answer itself and the request ends as any other, without the asynchronous mode, the
 * non-blocking output and the hand-offs between threads a streamed body needs ({@link RelayedAnswer}). Most API
 * answers are small JSON bodies. A body without a length (chunked: server-sent events, a download as it is made) or
 * a longer one streams as before, so nothing waits for a stream to end. A {@code Content-Length} sent together with
 * {@code Transfer-Encoding} is not trusted as a bound: that body streams too.
 */
public record AnswerBody(byte[] whole, Flow.Publisher<List<ByteBuffer>> stream) {

    /** The longest body held whole, in bytes: a few of these per request in flight is little memory. */
    public static final int HELD_BYTES = 16 * 1024;

    private static final AnswerBody NONE = new AnswerBody(new byte[0], null);

    /**
     * The body handler of one proxied call.
     *
     * @param bodiless the request was a {@code HEAD}: its answer has no body whatever its headers say
     */
    public static HttpResponse.BodyHandler<AnswerBody> handler(boolean bodiless) {
        return info -> {
            if (bodiless || info.statusCode() == 204 || info.statusCode() == 304) {
                return HttpResponse.BodySubscribers.replacing(NONE);
            }
            if (isSmall(info)) {
                return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(),
                        bytes -> new AnswerBody(bytes, null));
            }
            return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofPublisher(),
                    publisher -> new AnswerBody(null, publisher));
        };
    }

    /** Whether the answer announced a length of at most {@link #HELD_BYTES}, and no transfer coding. */
    static boolean isSmall(HttpResponse.ResponseInfo info) {
        if (info.headers().firstValue("Transfer-Encoding").isPresent()) {
            return false;
        }
        List<String> lengths = info.headers().allValues("Content-Length");
        if (lengths.size() != 1) {
            return false;
        }
        try {
            long length = Long.parseLong(lengths.get(0).trim());
            return length >= 0 && length <= HELD_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether the body was held whole (or there is none). */
    public boolean isWhole() {
        return whole != null;
    }
}
