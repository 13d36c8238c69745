package dev.latchkey.access.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CloseFrameTest {

    @Test
    void aServersCloseFrameIsUnmaskedWithCodeAndReason() {
        byte[] reason = "Token has been revoked".getBytes(StandardCharsets.UTF_8);
        byte[] expected = new byte[4 + reason.length];
        expected[0] = (byte) 0x88; // FIN, opcode 8
        expected[1] = (byte) (2 + reason.length); // no mask bit
        expected[2] = (byte) 0x11; // 4401 = 0x1131
        expected[3] = (byte) 0x31;
        System.arraycopy(reason, 0, expected, 4, reason.length);

        assertArrayEquals(expected, CloseFrame.bytes(4401, "Token has been revoked"));
    }

    @Test
    void aReasonLongerThanAControlFrameAllowsIsRefused() {
        CloseFrame.bytes(4401, "é".repeat(61) + "a"); // 123 bytes
        assertThrows(IllegalArgumentException.class, () -> CloseFrame.bytes(4401, "é".repeat(62)));
    }

    @Test
    void outsideTyrusNothingIsSentAndTheCallerClosesAsUsual() {
        FakeSession session = new FakeSession();

        assertFalse(CloseFrame.send(session.session, 4401, "Token has been revoked"));
        assertFalse(session.closed.isDone());
    }
}
