package dev.latchkey.gateway.control;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which upstream answers the proxy holds whole: a single, valid {@code Content-Length} up to the bound, nothing else. */
class AnswerBodyTest {

    private static HttpResponse.ResponseInfo answer(Map<String, List<String>> headers) {
        return new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return 200;
            }

            @Override
            public HttpHeaders headers() {
                return HttpHeaders.of(headers, (name, value) -> true);
            }

            @Override
            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
    }

    @Test
    void onlyAKnownSmallLengthIsHeldWhole() {
        String bound = String.valueOf(AnswerBody.HELD_BYTES);
        String above = String.valueOf(AnswerBody.HELD_BYTES + 1);
        assertAll(
                () -> assertTrue(AnswerBody.isSmall(answer(Map.of("Content-Length", List.of("0"))))),
                () -> assertTrue(AnswerBody.isSmall(answer(Map.of("Content-Length", List.of(bound))))),
                () -> assertFalse(AnswerBody.isSmall(answer(Map.of("Content-Length", List.of(above))))),
                () -> assertFalse(AnswerBody.isSmall(answer(Map.of())), "no length: it may be a stream"),
                () -> assertFalse(AnswerBody.isSmall(answer(Map.of("Content-Length", List.of("10"),
                        "Transfer-Encoding", List.of("chunked")))), "a length beside a coding bounds nothing"),
                () -> assertFalse(AnswerBody.isSmall(answer(Map.of("Content-Length", List.of("10", "10"))))),
                () -> assertFalse(AnswerBody.isSmall(answer(Map.of("Content-Length", List.of("-1"))))),
                () -> assertFalse(AnswerBody.isSmall(answer(Map.of("Content-Length", List.of("1e3"))))));
    }
}
