package dev.latchkey.access.control;

import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A close frame handed to the socket without ending it, for a client that has not answered the close's ping
 * (decision D7 of the {@code access} package). {@link Session#close} sends the frame and ends the socket on the
 * calling thread, which raced with the container's read of the client's answer; a frame sent alone leaves the end
 * to Tyrus, which ends the socket when it reads that answer, on the socket's read thread.
 *
 * <p>The one shortcut into the runtime: the standard API has no way to send a close frame by itself, so this
 * reaches Tyrus's {@code TyrusWebSocket.sendRawFrame} through the session's remote endpoint. Where that is not
 * there (another runtime, a test's session), {@link #send} answers false and the caller closes as usual.
 */
final class CloseFrame {

    private static final Logger LOG = Logger.getLogger(CloseFrame.class.getName());
    /** RFC 6455 5.5: a control frame's payload is at most 125 bytes, two of them the code. */
    static final int MAX_REASON_BYTES = 123;

    private CloseFrame() {
    }

    /** The unmasked close frame a server sends (RFC 6455 5.5.1): FIN and opcode 8, length, code, UTF-8 reason. */
    static byte[] bytes(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        if (text.length > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("close reason over " + MAX_REASON_BYTES + " bytes");
        }
        byte[] frame = new byte[4 + text.length];
        frame[0] = (byte) 0x88;
        frame[1] = (byte) (2 + text.length);
        frame[2] = (byte) (code >>> 8);
        frame[3] = (byte) code;
        System.arraycopy(text, 0, frame, 4, text.length);
        return frame;
    }

    /**
     * Hands the close frame to the socket and leaves the socket open; false when that is not possible here (the
     * caller then closes with {@link Session#close}).
     */
    static boolean send(Session session, int code, String reason) {
        try {
            Object remote = session.getAsyncRemote();
            Field field = field(remote.getClass(), "webSocket");
            if (field == null) {
                return false;
            }
            field.setAccessible(true);
            Object webSocket = field.get(remote);
            Method sendRawFrame = webSocket.getClass().getMethod("sendRawFrame", ByteBuffer.class);
            sendRawFrame.invoke(webSocket, ByteBuffer.wrap(bytes(code, reason)));
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "No close frame sent alone: {0}", e.getClass().getName());
            return false;
        }
    }

    private static Field field(Class<?> type, String name) {
        for (Class<?> at = type; at != null; at = at.getSuperclass()) {
            try {
                return at.getDeclaredField(name);
            } catch (NoSuchFieldException notHere) {
                // look in the superclass
            }
        }
        return null;
    }
}
