package dev.latchkey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class FirstFailureTest {

    @Test
    void theDriversMessageIsTheReason() {
        Throwable chain = new IllegalStateException("Exception [EclipseLink-4002]\nInternal Exception: ...",
                new SQLException("Error in allocating a connection. Cause: refused",
                        new SQLException("Connection to db:5432 refused. Check that the hostname and port are correct",
                                new java.net.ConnectException("Connection refused"))));
        assertEquals("Connection to db:5432 refused. Check that the hostname and port are correct",
                FirstFailure.reasonOf(chain));
    }

    @Test
    void withoutASqlExceptionTheInnermostMessageOnItsFirstLine() {
        assertEquals("first line", FirstFailure.reasonOf(
                new RuntimeException("outer", new IllegalStateException("  first line\nsecond line"))));
        assertNull(FirstFailure.reasonOf(null));
        assertEquals(303, FirstFailure.firstLine("x".repeat(400)).length());
    }
}
