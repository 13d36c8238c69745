package dev.latchkey.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** LATCHKEY_ALLOWED_ORIGINS: comma-separated exact origins; unset or empty allows any. */
class AllowedOriginsTest {

    private final AllowedOrigins cut = AllowedOrigins.parse(" https://app.example ,http://localhost:3000,,");

    @Test
    void listIsTrimmedAndEmptyEntriesDropped() {
        assertEquals(Set.of("https://app.example", "http://localhost:3000"), cut.origins());
    }

    @Test
    void listedOriginsArePermitted() {
        assertTrue(cut.permits("https://app.example"));
        assertTrue(cut.permits("http://localhost:3000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "http://app.example", "https://app.example/", "https://APP.example",
        "https://app.example:443", "null", "", "https://app.example.evil.example"})
    void anythingElseIsRefused(String origin) {
        assertFalse(cut.permits(origin));
    }

    @Test
    void noOriginHeaderIsNotABrowserPageAndIsPermitted() {
        assertTrue(cut.permits(null));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", ",", " , "})
    void unsetOrEmptyAllowsAny(String setting) {
        AllowedOrigins any = AllowedOrigins.parse(setting);
        assertTrue(any.isAny());
        assertTrue(any.permits("https://whatever.example"));
        assertTrue(any.permits("null"));
    }
}
