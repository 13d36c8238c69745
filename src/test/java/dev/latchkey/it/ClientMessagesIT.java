package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code POST /client_messages}: the org's push to the open {@code /client_ws} connections of one client. */
class ClientMessagesIT extends BlackBoxTest {

    private static final String PATH = "api/v1/client_messages";

    private Api.Reply push(String clientId, String dataJson) {
        return api.post(PATH, Api.bearer(Api.ORG_KEY), "{\"client_id\":" + Json.createValue(clientId) + ",\"data\":" + dataJson + "}");
    }

    private static JsonValue json(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }

    @Test
    void pushReachesEverySocketOfTheClientAndNoOther() {
        String client = Api.uniqueClient();
        try (LiveSocket first = LiveSocket.open(base, api.mintToken(client, 600));
             LiveSocket second = LiveSocket.open(base, api.mintToken(client, 600));
             LiveSocket other = LiveSocket.open(base, api.mintToken(Api.uniqueClient(), 600))) {
            for (LiveSocket socket : List.of(first, second, other)) {
                socket.next("session");
            }
            String data = "{\"order\":42,\"items\":[\"a\",\"b\"],\"note\":\"h\u00e9llo\"}";
            Api.Reply reply = push(client, data);
            assertEquals(200, reply.status(), reply.body());
            assertEquals(Json.createObjectBuilder().add("delivered", 2).build(), reply.json());
            for (LiveSocket socket : List.of(first, second)) {
                JsonObject message = socket.next("message");
                assertEquals(2, message.size());
                assertEquals(json(data), message.get("data"));
            }
            // anything pushed to the other client would have been queued before this pong
            other.assertAlive();
        }
    }

    @Test
    void dataMayBeAnyJsonValue() {
        String client = Api.uniqueClient();
        try (LiveSocket socket = LiveSocket.open(base, api.mintToken(client, 600))) {
            socket.next("session");
            for (String data : List.of("\"text\"", "7", "1.5", "false", "[1,{\"a\":null}]", "{}")) {
                Api.Reply reply = push(client, data);
                assertEquals(200, reply.status(), reply.body());
                assertEquals(1, reply.json().getInt("delivered"));
                assertEquals(json(data), socket.next("message").get("data"));
            }
        }
    }

    @Test
    void noOpenConnectionDeliversNothing() {
        Api.Reply reply = push(Api.uniqueClient(), "{\"x\":1}");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(0, reply.json().getInt("delivered"));
    }

    @Test
    void closedConnectionsAreNotCounted() {
        String client = Api.uniqueClient();
        String token = api.mintToken(client, 600);
        try (LiveSocket socket = LiveSocket.open(base, token)) {
            socket.next("session");
            assertEquals(200, api.revoke(token).status());
            socket.closed();
            assertEquals(0, push(client, "{\"x\":1}").json().getInt("delivered"));
        }
    }

    @Test
    void bodyIsValidatedStrictly() {
        String key = Api.bearer(Api.ORG_KEY);
        api.post(PATH, key, "{\"client_id\":\"c\"}").assertError(400, "data is required");
        api.post(PATH, key, "{\"client_id\":\"c\",\"data\":null}").assertError(400, "data is required");
        api.post(PATH, key, "{\"data\":1}").assertError(400, "client_id is required");
        api.post(PATH, key, "{\"client_id\":7,\"data\":1}").assertError(400, "client_id must be a string");
        api.post(PATH, key, "{\"client_id\":\"\",\"data\":1}").assertError(400, "client_id must be 1 to 255 characters");
        api.post(PATH, key, "{\"client_id\":\"c\",\"data\":1,\"org_id\":\"x\"}").assertError(400, "Unknown field: org_id");
        api.post(PATH, key, "[1]").assertError(400, "Request body must be a JSON object");
        api.post(PATH, key, "not json").assertError(400, "Request body is not valid JSON");
    }

    @Test
    void needsTheOrgKey() {
        String body = "{\"client_id\":\"c\",\"data\":1}";
        api.post(PATH, null, body).assertError(401, "Authorization header is missing");
        api.post(PATH, Api.bearer(api.mintToken(Api.uniqueClient(), 60)), body).assertError(401, "Invalid API key");
    }
}
