package dev.latchkey.gateway.control;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;

/** What the gateway's HTTP client sends twice (almost nothing), and which failures are 504 rather than 502. */
class UpstreamCallsTest {

    private final UpstreamCalls.StaleConnectionRetry cut = new UpstreamCalls.StaleConnectionRetry();

    private boolean retried(String method, java.io.IOException failure, int execCount, boolean answered) {
        HttpClientContext context = HttpClientContext.create();
        if (answered) {
            context.setResponse(new BasicHttpResponse(200));
        }
        return cut.retryRequest(new BasicHttpRequest(method, "/x"), failure, execCount, context);
    }

    @Test
    void onlyAGetOrHeadOnAConnectionClosedBeforeAnyAnswerIsSentOnceMore() {
        ConnectionClosedException closed = new ConnectionClosedException();
        assertAll(
                () -> assertTrue(retried("GET", closed, 1, false)),
                () -> assertTrue(retried("HEAD", new SocketException("Connection reset"), 1, false)),
                () -> assertFalse(retried("POST", closed, 1, false), "a POST is never sent twice"),
                () -> assertFalse(retried("PUT", closed, 1, false)),
                () -> assertFalse(retried("DELETE", closed, 1, false)),
                () -> assertFalse(retried("PATCH", closed, 1, false)),
                () -> assertFalse(retried("GET", closed, 2, false), "once only"),
                () -> assertFalse(retried("GET", closed, 1, true), "not once the upstream began to answer"),
                () -> assertFalse(retried("GET", new ConnectException("refused"), 1, false)),
                () -> assertFalse(retried("GET", new SocketTimeoutException("silent"), 1, false)),
                () -> assertFalse(retried("GET", new InterruptedIOException(), 1, false), "a cancelled call"));
        assertFalse(cut.retryRequest(new BasicHttpResponse(503), 1, HttpClientContext.create()),
                "an upstream's status is passed back, never retried");
    }

    @Test
    void aSilentUpstreamIs504AndOneThatCannotBeReachedIs502() {
        assertAll(
                () -> assertEquals(UpstreamCalls.TIMED_OUT, UpstreamCalls.detail(new SocketTimeoutException())),
                () -> assertEquals(UpstreamCalls.TIMED_OUT, UpstreamCalls.detail(
                        new ExecutionException(new TimeoutException()))),
                () -> assertEquals(UpstreamCalls.UNAVAILABLE, UpstreamCalls.detail(new ConnectTimeoutException("slow"))),
                () -> assertEquals(UpstreamCalls.UNAVAILABLE, UpstreamCalls.detail(
                        new HttpHostConnectException("refused"))),
                () -> assertEquals(UpstreamCalls.UNAVAILABLE, UpstreamCalls.detail(new ConnectionClosedException())));
    }
}
