package dev.latchkey.tokens.control;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.json.JsonBodies;
import dev.latchkey.tokens.control.TokenRequests.Cursor;
import dev.latchkey.tokens.control.TokenRequests.Mint;
import dev.latchkey.tokens.control.TokenRequests.Page;
import dev.latchkey.tokens.control.TokenRequests.Revoke;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The org endpoints' input rules. TokenRequests and JsonBodies are static utilities, so the
 * unit under test is called through their static functions.
 */
class TokenRequestsTest {

    private static final long MAX = 86_400;

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static String quoted(String text) {
        return Json.createValue(text).toString();
    }

    /** Runs {@code call}, expects a 400 and returns its detail. */
    private static String badRequest(Executable call) {
        ApiError error = assertThrows(ApiError.class, call);
        assertEquals(400, error.status(), () -> "status for detail: " + error.detail());
        return error.detail();
    }

    private static void assertBadRequestNaming(String field, Executable call) {
        String detail = badRequest(call);
        assertTrue(detail.contains(field), () -> "detail should name " + field + ": " + detail);
    }

    private static Mint mint(String body) {
        return TokenRequests.mint(json(body), MAX);
    }

    private static String mintBody(String metadataJson) {
        return "{\"client_id\":\"client-1\",\"duration_secs\":60,\"metadata\":" + metadataJson + "}";
    }

    /** {"a":{"a":...{}...}} with {@code levels} objects. */
    private static String nested(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }

    @Nested
    class MintDuration {

        @ParameterizedTest
        @ValueSource(strings = {"1.5", "\"60\"", "true", "false", "null", "0", "-1", "86401", "1e309", "60.0",
            "6e1", "99999999999999999999999", "-99999999999999999999999", "[60]", "{\"secs\":60}"})
        void invalidDurationIsABadRequestNamingIt(String duration) {
            assertBadRequestNaming("duration_secs",
                    () -> mint("{\"client_id\":\"client-1\",\"duration_secs\":" + duration + "}"));
        }

        @Test
        void missingDurationIsABadRequestNamingIt() {
            assertBadRequestNaming("duration_secs", () -> mint("{\"client_id\":\"client-1\"}"));
        }

        @Test
        void maximumIsTheConfiguredOne() {
            assertAll(
                    () -> assertBadRequestNaming("duration_secs",
                            () -> TokenRequests.mint(json("{\"client_id\":\"c\",\"duration_secs\":601}"), 600)),
                    () -> assertEquals(600,
                            TokenRequests.mint(json("{\"client_id\":\"c\",\"duration_secs\":600}"), 600).durationSecs()));
        }

        @ParameterizedTest
        @ValueSource(longs = {1, 60, MAX})
        void integerWithinOneAndMaximumIsAccepted(long duration) {
            Mint request = mint("{\"client_id\":\"client-1\",\"duration_secs\":" + duration + "}");

            assertAll(
                    () -> assertEquals(duration, request.durationSecs()),
                    () -> assertEquals("client-1", request.clientId()),
                    () -> assertEquals("{}", request.metadataJson()));
        }
    }

    @Nested
    class MintClientId {

        @ParameterizedTest
        @ValueSource(strings = {"42", "\"\"", "true", "null", "[\"c\"]", "{\"id\":\"c\"}",
            "\"a\\u0001b\"", "\"a\\nb\"", "\"\\u0000\"", "\"a\\u007fb\"", "\"a\\u0085b\"", "\"tab\\there\""})
        void invalidClientIdIsABadRequestNamingIt(String clientId) {
            assertBadRequestNaming("client_id", () -> mint("{\"client_id\":" + clientId + ",\"duration_secs\":60}"));
        }

        @Test
        void missingClientIdIsABadRequestNamingIt() {
            assertBadRequestNaming("client_id", () -> mint("{\"duration_secs\":60}"));
        }

        @Test
        void clientIdOf256CharactersIsABadRequest() {
            assertBadRequestNaming("client_id",
                    () -> mint("{\"client_id\":" + quoted("c".repeat(256)) + ",\"duration_secs\":60}"));
        }

        @Test
        void clientIdOf255CharactersIsAccepted() {
            String clientId = "c".repeat(255);

            assertEquals(clientId, mint("{\"client_id\":" + quoted(clientId) + ",\"duration_secs\":60}").clientId());
        }

        @Test
        void clientIdOfOneCharacterAndUnicodeIsAccepted() {
            assertAll(
                    () -> assertEquals("c", mint("{\"client_id\":\"c\",\"duration_secs\":60}").clientId()),
                    () -> assertEquals("user é 42", mint("{\"client_id\":\"user é 42\",\"duration_secs\":60}").clientId()));
        }
    }

    @Nested
    class MintMetadata {

        @ParameterizedTest
        @ValueSource(strings = {"[]", "[{\"a\":1}]", "\"text\"", "\"{}\"", "42", "true"})
        void metadataThatIsNotAnObjectIsABadRequestNamingIt(String metadata) {
            assertBadRequestNaming("metadata", () -> mint(mintBody(metadata)));
        }

        @Test
        void nullOrAbsentMetadataIsAnEmptyObject() {
            assertAll(
                    () -> assertEquals("{}", mint(mintBody("null")).metadataJson()),
                    () -> assertEquals("{}", mint("{\"client_id\":\"c\",\"duration_secs\":60}").metadataJson()));
        }

        @Test
        void objectMetadataIsKeptAsItsJson() {
            String metadata = "{\"plan\":\"pro\",\"seats\":3,\"tags\":[\"a\",\"b\"],\"nested\":{\"x\":null}}";

            Mint request = mint(mintBody(metadata));

            assertEquals(json(metadata), json(request.metadataJson()));
        }

        @Test
        void metadataOfExactly16KiBIsAccepted() {
            String metadata = "{\"k\":\"" + "x".repeat(TokenRequests.MAX_METADATA_BYTES - 8) + "\"}";
            assertEquals(16_384, metadata.getBytes(StandardCharsets.UTF_8).length);

            Mint request = mint(mintBody(metadata));

            assertAll(
                    () -> assertEquals(16_384, request.metadataJson().getBytes(StandardCharsets.UTF_8).length),
                    () -> assertEquals(json(metadata), json(request.metadataJson())));
        }

        @Test
        void metadataOneByteOver16KiBIsABadRequest() {
            String metadata = "{\"k\":\"" + "x".repeat(TokenRequests.MAX_METADATA_BYTES - 7) + "\"}";
            assertEquals(16_385, metadata.getBytes(StandardCharsets.UTF_8).length);

            assertBadRequestNaming("metadata", () -> mint(mintBody(metadata)));
        }

        @Test
        void metadataLimitCountsUtf8BytesNotCharacters() {
            // 'é' is one character and two bytes: 8 + 2 * 8188 = 16384 bytes, 8 + 2 * 8189 = 16386 bytes
            String atLimit = "{\"k\":\"" + "é".repeat(8188) + "\"}";
            String overLimit = "{\"k\":\"" + "é".repeat(8189) + "\"}";

            assertAll(
                    () -> assertEquals(json(atLimit), json(mint(mintBody(atLimit)).metadataJson())),
                    () -> assertBadRequestNaming("metadata", () -> mint(mintBody(overLimit))));
        }

        @Test
        void metadataOver16KiBSpreadOverManyKeysIsABadRequest() {
            StringBuilder metadata = new StringBuilder("{");
            for (int i = 0; i < 2_000; i++) {
                metadata.append(i == 0 ? "" : ",").append("\"key").append(i).append("\":").append(i);
            }
            metadata.append('}');
            assertTrue(metadata.length() > 16_384);

            assertBadRequestNaming("metadata", () -> mint(mintBody(metadata.toString())));
        }

        @Test
        void metadataNested40DeepIsABadRequest() {
            assertBadRequestNaming("metadata", () -> mint(mintBody(nested(40))));
        }

        @Test
        void metadataNestedInArraysTooDeepIsABadRequest() {
            String deepArrays = "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}";

            assertBadRequestNaming("metadata", () -> mint(mintBody(deepArrays)));
        }

        @Test
        void metadataNestingLimitIsInclusive() {
            assertAll(
                    () -> assertEquals(json(nested(TokenRequests.MAX_METADATA_DEPTH)),
                            json(mint(mintBody(nested(TokenRequests.MAX_METADATA_DEPTH))).metadataJson())),
                    () -> assertBadRequestNaming("metadata",
                            () -> mint(mintBody(nested(TokenRequests.MAX_METADATA_DEPTH + 1)))));
        }
    }

    @Nested
    class MintUnknownFields {

        @ParameterizedTest
        @ValueSource(strings = {"token_id", "exp", "iat", "iss", "org_id", "expires_at", "Client_Id"})
        void extraFieldIsABadRequestNamingIt(String field) {
            String body = "{\"client_id\":\"c\",\"duration_secs\":60,\"" + field + "\":\"x\"}";

            assertBadRequestNaming(field, () -> mint(body));
        }

        @Test
        void extraFieldIsRefusedBeforeOtherFieldsAreChecked() {
            assertBadRequestNaming("token_id", () -> mint("{\"token_id\":\"t\"}"));
        }
    }

    @Nested
    class RevokeRequest {

        @Test
        void accessTokenAndReasonAreRead() {
            Revoke request = TokenRequests.revoke(json("{\"access_token\":\"a.b.c\",\"reason\":\"lost device\"}"));

            assertAll(
                    () -> assertEquals("a.b.c", request.accessToken()),
                    () -> assertEquals("lost device", request.reason()));
        }

        @Test
        void reasonIsOptional() {
            assertAll(
                    () -> assertNull(TokenRequests.revoke(json("{\"access_token\":\"a.b.c\"}")).reason()),
                    () -> assertNull(TokenRequests.revoke(json("{\"access_token\":\"a.b.c\",\"reason\":null}")).reason()));
        }

        @Test
        void missingAccessTokenIsABadRequestNamingIt() {
            assertAll(
                    () -> assertBadRequestNaming("access_token", () -> TokenRequests.revoke(json("{}"))),
                    () -> assertBadRequestNaming("access_token",
                            () -> TokenRequests.revoke(json("{\"access_token\":null}"))));
        }

        @ParameterizedTest
        @ValueSource(strings = {"42", "true", "[\"a.b.c\"]", "{\"t\":\"a.b.c\"}"})
        void accessTokenThatIsNotAStringIsABadRequestNamingIt(String value) {
            assertBadRequestNaming("access_token",
                    () -> TokenRequests.revoke(json("{\"access_token\":" + value + "}")));
        }

        @ParameterizedTest
        @ValueSource(strings = {"42", "true", "[\"r\"]", "{\"r\":1}"})
        void reasonThatIsNotAStringIsABadRequestNamingIt(String value) {
            assertBadRequestNaming("reason",
                    () -> TokenRequests.revoke(json("{\"access_token\":\"a.b.c\",\"reason\":" + value + "}")));
        }

        @Test
        void reasonOver1024CharactersIsABadRequest() {
            String body = "{\"access_token\":\"a.b.c\",\"reason\":" + quoted("r".repeat(1025)) + "}";

            assertBadRequestNaming("reason", () -> TokenRequests.revoke(json(body)));
        }

        @Test
        void reasonOf1024CharactersIsAccepted() {
            String reason = "r".repeat(1024);

            assertEquals(reason, TokenRequests.revoke(
                    json("{\"access_token\":\"a.b.c\",\"reason\":" + quoted(reason) + "}")).reason());
        }

        @Test
        void unknownFieldIsABadRequestNamingIt() {
            assertBadRequestNaming("token_id",
                    () -> TokenRequests.revoke(json("{\"access_token\":\"a.b.c\",\"token_id\":\"t\"}")));
        }
    }

    @Nested
    class RevokeClientRequest {

        @Test
        void clientIdFollowsTheClientIdRules() {
            assertAll(
                    () -> assertEquals("c", TokenRequests.revokeClient(json("{\"client_id\":\"c\"}")).clientId()),
                    () -> assertBadRequestNaming("client_id", () -> TokenRequests.revokeClient(json("{}"))),
                    () -> assertBadRequestNaming("client_id",
                            () -> TokenRequests.revokeClient(json("{\"client_id\":\"\"}"))),
                    () -> assertBadRequestNaming("client_id",
                            () -> TokenRequests.revokeClient(json("{\"client_id\":1}"))),
                    () -> assertBadRequestNaming("reason",
                            () -> TokenRequests.revokeClient(json("{\"client_id\":\"c\",\"reason\":1}"))));
        }
    }

    @Nested
    class IntrospectRequest {

        @Test
        void accessTokenIsRequiredAndTheOnlyField() {
            assertAll(
                    () -> assertEquals("a.b.c", TokenRequests.introspect(json("{\"access_token\":\"a.b.c\"}"))),
                    () -> assertBadRequestNaming("access_token", () -> TokenRequests.introspect(json("{}"))),
                    () -> assertBadRequestNaming("access_token",
                            () -> TokenRequests.introspect(json("{\"access_token\":7}"))),
                    () -> assertBadRequestNaming("client_id",
                            () -> TokenRequests.introspect(json("{\"access_token\":\"a.b.c\",\"client_id\":\"c\"}"))));
        }
    }

    @Nested
    class PageRequest {

        @Test
        void withoutAClientOrATokenItListsTheWholeOrganization() {
            Page page = TokenRequests.page(null, null, null, null);

            assertAll(
                    () -> assertNull(page.clientId()),
                    () -> assertNull(page.tokenId()),
                    () -> assertEquals(50, page.limit()));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "a\u0001b"})
        void tokenIdIsALabel(String tokenId) {
            assertBadRequestNaming("token_id", () -> TokenRequests.page(null, tokenId, null, null));
            assertEquals("t-1", TokenRequests.page("c", "t-1", null, null).tokenId());
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "a\u0001b", "a\nb"})
        void clientIdFollowsTheClientIdRules(String clientId) {
            assertBadRequestNaming("client_id", () -> TokenRequests.page(clientId, null, null, null));
        }

        @Test
        void clientIdOf256CharactersIsABadRequest() {
            assertBadRequestNaming("client_id", () -> TokenRequests.page("c".repeat(256), null, null, null));
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "101", "abc", "1.5", "-1", "", " 5", "99999999999"})
        void invalidLimitIsABadRequestNamingIt(String limit) {
            assertBadRequestNaming("limit", () -> TokenRequests.page("c", null, limit, null));
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 50, 100})
        void limitFromOneToOneHundredIsAccepted(int limit) {
            assertEquals(limit, TokenRequests.page("c", null, Integer.toString(limit), null).limit());
        }

        @Test
        void defaultsAreFiftyFromTheStart() {
            Page page = TokenRequests.page("client-1", null, null, null);

            assertAll(
                    () -> assertEquals("client-1", page.clientId()),
                    () -> assertEquals(50, page.limit()),
                    () -> assertEquals(Cursor.START, page.after()));
        }

        @Test
        void emptyCursorIsTheStart() {
            assertEquals(Cursor.START, TokenRequests.page("c", null, null, "").after());
        }

        @ParameterizedTest
        @ValueSource(strings = {"!!!", "garbage", "abc", "%%", "a b"})
        void garbageCursorIsABadRequestNamingIt(String cursor) {
            assertBadRequestNaming("cursor", () -> TokenRequests.page("c", null, null, cursor));
        }

        @ParameterizedTest
        @ValueSource(strings = {"x:tok", ":tok", "no-colon", "12.5:tok"})
        void cursorWithoutANumericPositionIsABadRequestNamingIt(String decoded) {
            String cursor = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(decoded.getBytes(StandardCharsets.UTF_8));

            assertBadRequestNaming("cursor", () -> TokenRequests.page("c", null, null, cursor));
        }

        @Test
        void cursorRoundTripsThroughPage() {
            Cursor cursor = new Cursor(1_900_000_000_123L, "tok-42");

            Page page = TokenRequests.page("c", null, "10", cursor.encode());

            assertAll(
                    () -> assertEquals(cursor, page.after()),
                    () -> assertEquals(10, page.limit()));
        }

        @Test
        void cursorWithAColonInTheTokenIdRoundTrips() {
            Cursor cursor = new Cursor(7, "a:b:c");

            assertEquals(cursor, TokenRequests.page("c", null, null, cursor.encode()).after());
        }

        @Test
        void encodedCursorIsUrlSafe() {
            String encoded = new Cursor(1_900_000_000_123L, "tok/+?é").encode();

            assertTrue(encoded.matches("[A-Za-z0-9_-]+"), encoded);
        }
    }

    @Nested
    class ReadingBodies {

        private JsonObject read(String body) {
            return JsonBodies.readObject(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        }

        private ApiError refused(String body) {
            return assertThrows(ApiError.class, () -> read(body));
        }

        @Test
        void jsonObjectIsRead() {
            assertEquals(json("{\"a\":1}"), read("{\"a\":1}"));
        }

        @Test
        void emptyBodyIsABadRequest() {
            ApiError error = refused("");

            assertAll(
                    () -> assertEquals(400, error.status()),
                    () -> assertEquals("Request body is missing: send a JSON object", error.detail()));
        }

        @Test
        void absentBodyIsABadRequest() {
            ApiError error = assertThrows(ApiError.class, () -> JsonBodies.readObject(null));

            assertEquals(400, error.status());
        }

        @ParameterizedTest
        @ValueSource(strings = {"null", "[]", "[{\"a\":1}]", "\"text\"", "42"})
        void jsonThatIsNotAnObjectIsABadRequest(String body) {
            assertEquals(400, refused(body).status());
        }

        @Test
        void aMemberNamedTwiceIsRefusedByName() {
            assertEquals("Request body names a member twice: client_id (each member may appear once)",
                    refused("{\"client_id\":\"alice\",\"duration_secs\":60,\"client_id\":\"bob\"}").detail());
            assertEquals("Request body names a member twice: metadata.a.b (each member may appear once)",
                    refused("{\"metadata\":{\"a\":{\"b\":1,\"b\":1}}}").detail());
            assertEquals("Request body names a member twice: metadata.[].b (each member may appear once)",
                    refused("{\"metadata\":[{\"b\":1,\"b\":2}]}").detail());
            // the same name in two different objects is no repetition
            assertEquals(json("{\"a\":{\"b\":1},\"c\":{\"b\":2}}"), read("{\"a\":{\"b\":1},\"c\":{\"b\":2}}"));
        }

        @Test
        void nestingPastTheLimitIsNamed() {
            String deep = "{\"metadata\":" + "{\"a\":".repeat(1200) + "1" + "}".repeat(1201);
            assertEquals("Request body is nested too deeply: at most 64 levels of objects and arrays",
                    refused(deep).detail());
            String atLimit = "{\"a\":" + "[".repeat(63) + "]".repeat(63) + "}"; // 64 levels, the object included
            assertEquals(json(atLimit), read(atLimit));
            assertEquals("Request body is nested too deeply: at most 64 levels of objects and arrays",
                    refused("{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}").detail());
        }

        @Test
        void arrayIsRefusedAsNotAnObject() {
            assertEquals("Request body must be a JSON object", refused("[]").detail());
        }

        @ParameterizedTest
        @ValueSource(strings = {"not json", "{", "{\"a\":}", "{'a':1}", "{\"a\":1,}"})
        void textThatIsNotJsonIsABadRequest(String body) {
            ApiError error = refused(body);

            assertAll(
                    () -> assertEquals(400, error.status()),
                    () -> assertEquals("Request body is not valid JSON", error.detail()));
        }

        // One JSON text per body (RFC 8259): anything after the object makes the body invalid.
        @ParameterizedTest
        @ValueSource(strings = {"{\"a\":1} trailing", "{\"a\":1}{\"b\":2}", "{} []"})
        void trailingTextAfterTheObjectIsABadRequest(String body) {
            assertEquals(400, refused(body).status());
        }

        @Test
        void bodyOf70KiBIsTooLarge() {
            String body = "{\"a\":\"" + "x".repeat(70 * 1024) + "\"}";

            ApiError error = refused(body);

            assertEquals(413, error.status());
        }

        @Test
        void bodyOfExactly64KiBIsRead() {
            String body = "{\"a\":\"" + "x".repeat(JsonBodies.MAX_BODY_BYTES - 8) + "\"}";
            assertEquals(JsonBodies.MAX_BODY_BYTES, body.getBytes(StandardCharsets.UTF_8).length);

            assertEquals(JsonBodies.MAX_BODY_BYTES - 8, read(body).getString("a").length());
        }

        @Test
        void bodyOneByteOver64KiBIsTooLarge() {
            String body = "{\"a\":\"" + "x".repeat(JsonBodies.MAX_BODY_BYTES - 7) + "\"}";

            assertEquals(413, refused(body).status());
        }

        // Parsson refuses nesting deeper than 1000 levels with a plain RuntimeException: still a 400, not a 500.
        @Test
        void deeplyNestedBodyIsABadRequestNotACrash() {
            String body = "{\"a\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}";

            assertEquals(400, refused(body).status());
        }
    }
}
