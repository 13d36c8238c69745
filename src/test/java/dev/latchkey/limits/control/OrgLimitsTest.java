package dev.latchkey.limits.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.latchkey.platform.http.ApiError;
import jakarta.json.Json;
import java.io.StringReader;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing the admin's body and the {@code LATCHKEY_LIMIT_*} variables. */
class OrgLimitsTest {

    private static OrgLimits parse(String json) {
        return OrgLimits.parse(Json.createReader(new StringReader(json)).readObject());
    }

    private static String refusal(String json) {
        return assertThrows(ApiError.class, () -> parse(json)).detail();
    }

    @Test
    void everyMemberIsOptional() {
        assertEquals(OrgLimits.NONE, parse("{}"));
        assertEquals(OrgLimits.NONE, parse("{\"rate\": null}"));
        OrgLimits all = parse("{\"max_active_tokens\": {\"limit\": 3, \"on_limit\": \"revoke_oldest\"},"
                + " \"max_sockets\": {\"limit\": 2, \"on_limit\": \"close_oldest\"}, \"rate\": {\"per_second\": 5, \"burst\": 9}}");
        assertEquals(new OrgLimits.Cap(3, OrgLimits.Action.REVOKE_OLDEST), all.tokens());
        assertEquals(new OrgLimits.Cap(2, OrgLimits.Action.CLOSE_OLDEST), all.sockets());
        assertEquals(new OrgLimits.Rate(5, 9), all.rate());
        assertEquals(all, parse(all.toJson().build().toString()));
    }

    @Test
    void badMembersAreNamed() {
        assertEquals("Unknown field: max", refusal("{\"max\": {}}"));
        assertEquals("rate must be an object", refusal("{\"rate\": 5}"));
        assertEquals("rate.per_second must be an integer between 1 and 1000000",
                refusal("{\"rate\": {\"per_second\": 1e9, \"burst\": 1}}"));
        assertEquals("rate.burst must be an integer between 1 and 1000000",
                refusal("{\"rate\": {\"per_second\": 1, \"burst\": -1}}"));
        assertEquals("max_sockets.limit is required", refusal("{\"max_sockets\": {\"on_limit\": \"refuse\"}}"));
        assertEquals("max_sockets.on_limit must be a string",
                refusal("{\"max_sockets\": {\"limit\": 1, \"on_limit\": 1}}"));
    }

    @Test
    void theDefaultOrganizationsVariables() {
        assertEquals(OrgLimits.NONE, DefaultLimits.parse(Optional.empty(), "refuse", Optional.of(" "), "refuse",
                Optional.empty(), Optional.empty()));
        OrgLimits limits = DefaultLimits.parse(Optional.of("10"), "revoke_oldest", Optional.of("3"), "refuse",
                Optional.of("20"), Optional.empty());
        assertEquals(new OrgLimits.Cap(10, OrgLimits.Action.REVOKE_OLDEST), limits.tokens());
        assertEquals(new OrgLimits.Cap(3, OrgLimits.Action.REFUSE), limits.sockets());
        assertEquals(new OrgLimits.Rate(20, 20), limits.rate(), "the burst defaults to the rate");
        assertEquals("LATCHKEY_LIMIT_MAX_SOCKETS must be an integer between 1 and 1000000",
                assertThrows(IllegalStateException.class, () -> DefaultLimits.parse(Optional.empty(), "refuse",
                        Optional.of("many"), "refuse", Optional.empty(), Optional.empty())).getMessage());
        assertEquals("LATCHKEY_LIMIT_ variables: max_active_tokens.on_limit must be one of [refuse, revoke_oldest]",
                assertThrows(IllegalStateException.class, () -> DefaultLimits.parse(Optional.of("1"), "close_oldest",
                        Optional.empty(), "refuse", Optional.empty(), Optional.empty())).getMessage());
    }
}
