package dev.latchkey.platform.http;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The first two checks of every credential: it must be present, then "Bearer", one space and a token. */
class BearerCredentialsTest {

    /** BearerCredentials is a static utility; its one operation is the unit under test. */
    private final Function<String, BearerCredentials.Extracted> cut = BearerCredentials::extract;

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "   ", "\t", " \n "})
    void absentOrBlankCredentialIsMissing(String credential) {
        BearerCredentials.Extracted extracted = cut.apply(credential);

        assertAll(
                () -> assertEquals(BearerCredentials.Problem.MISSING, extracted.problem()),
                () -> assertNull(extracted.token()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Basic abc",
        "Token abc",
        "Bearer",
        "Bearer ",
        "Bearer  abc",
        "Bearerabc",
        "Bearer\tabc",
        " Bearer abc",
        "Bearer   ",
        "Bear abc",
        "abc",
        "Bearer: abc",
        "Bearer\u00a0abc"
    })
    void anythingButBearerSpaceTokenIsNotBearer(String credential) {
        BearerCredentials.Extracted extracted = cut.apply(credential);

        assertAll(
                () -> assertEquals(BearerCredentials.Problem.NOT_BEARER, extracted.problem()),
                () -> assertNull(extracted.token()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer x", "bearer x", "BEARER x", "bEaReR x"})
    void schemeWordIsCaseInsensitive(String credential) {
        BearerCredentials.Extracted extracted = cut.apply(credential);

        assertAll(
                () -> assertEquals("x", extracted.token()),
                () -> assertNull(extracted.problem()));
    }

    @Test
    void tokenIsEverythingAfterTheSingleSpace() {
        String token = "eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.c2ln";

        BearerCredentials.Extracted extracted = cut.apply("Bearer " + token);

        assertAll(
                () -> assertEquals(token, extracted.token()),
                () -> assertNull(extracted.problem()));
    }
}
