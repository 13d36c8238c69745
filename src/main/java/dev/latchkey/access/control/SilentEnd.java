package dev.latchkey.access.control;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends a WebSocket connection without sending a close frame, for a client that has not answered the close's ping
 * (decision D7 of the {@code access} package). A client that gets no close frame has nothing to answer, so no
 * answer of it can be read while the server ends the socket: the race of Payara Micro 6 described in
 * {@code docs/websocket.md} ("Server-side closes") needs that answer.
 *
 * <p>The standard API cannot do it: {@link Session#close} and every end through Tyrus or the servlet connection
 * send a close frame first while Tyrus counts the socket as connected. So this is the one place Latchkey reaches
 * into the runtime (Tyrus 2.1.5, as in Payara Micro 6.2025.10): through the session's remote endpoint to its
 * {@code TyrusWebSocket}, it moves the socket from {@code CONNECTED} to {@code CLOSING} (from then on Tyrus sends
 * no close frame of its own) and calls {@code TyrusWebSocket.onClose} as if a close had been received. That runs
 * the endpoint's {@code @OnClose} with code 1006 (RFC 6455 7.1.5: the connection was closed without a close
 * frame; 7.4.1: 1006 is never sent in one), marks the socket closed and ends the servlet connection, which ends
 * the TCP connection. Where any of this is not there (another runtime, a test's session), {@link #end} answers
 * false before changing anything, and the caller closes as usual.
 */
final class SilentEnd {

    private static final Logger LOG = Logger.getLogger(SilentEnd.class.getName());
    private static final String CLOSE_FRAME = "org.glassfish.tyrus.core.frame.CloseFrame";

    private SilentEnd() {
    }

    /**
     * Ends the connection without a close frame and reports {@code reported} to the endpoint's {@code @OnClose}.
     *
     * @return true when the connection is ended, or was already being closed by another path; false when nothing
     *         was done because this runtime is not the one expected (the caller then closes with
     *         {@link Session#close})
     */
    static boolean end(Session session, CloseReason reported) {
        Object webSocket;
        AtomicReference<Object> state;
        Object connected;
        Object closing;
        Method onClose;
        Object frame;
        try {
            Object remote = session.getAsyncRemote();
            Field socketField = field(remote.getClass(), "webSocket");
            if (socketField == null) {
                return false;
            }
            socketField.setAccessible(true);
            webSocket = socketField.get(remote);
            Field stateField = webSocket == null ? null : field(webSocket.getClass(), "state");
            if (stateField == null || stateField.getType() != AtomicReference.class) {
                return false;
            }
            stateField.setAccessible(true);
            @SuppressWarnings("unchecked")
            AtomicReference<Object> socketState = (AtomicReference<Object>) stateField.get(webSocket);
            state = socketState;
            Object current = state.get();
            if (!(current instanceof Enum<?> value)) {
                return false;
            }
            connected = constant(value.getDeclaringClass(), "CONNECTED");
            closing = constant(value.getDeclaringClass(), "CLOSING");
            Class<?> frameType = Class.forName(CLOSE_FRAME, true, webSocket.getClass().getClassLoader());
            Constructor<?> frameOfReason = frameType.getConstructor(CloseReason.class);
            onClose = webSocket.getClass().getMethod("onClose", frameType);
            if (connected == null || closing == null) {
                return false;
            }
            frame = frameOfReason.newInstance(reported);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "No end without a close frame here: {0}", e.getClass().getName());
            return false;
        }
        if (!state.compareAndSet(connected, closing)) {
            return true; // closing or closed already, by the client or another path of the server
        }
        try {
            onClose.invoke(webSocket, frame);
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException target ? target.getCause() : e;
            LOG.log(Level.WARNING, "Ending a live connection without a close frame failed: {0}",
                    cause == null ? e.getClass().getName() : cause.getClass().getName());
        }
        return true;
    }

    private static Object constant(Class<?> enumType, String name) {
        for (Object value : enumType.getEnumConstants()) {
            if (((Enum<?>) value).name().equals(name)) {
                return value;
            }
        }
        return null;
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
