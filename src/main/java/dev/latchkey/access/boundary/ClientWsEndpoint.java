package dev.latchkey.access.boundary;

import dev.latchkey.access.control.LiveConnectionService;
import dev.latchkey.access.control.LiveConnection;
import dev.latchkey.access.control.LiveConnections;
import dev.latchkey.access.control.SocketMessages;
import dev.latchkey.tokens.control.ClientPrincipal;
import dev.latchkey.tokens.control.TokenFailure;
import dev.latchkey.tokens.control.Verdict;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client WebSocket {@code /api/v1/client_ws}: one instance per connection. The handshake was validated
 * by {@link ClientWsFilter} and {@link ClientWsConfigurator}; everything after the upgrade is
 * {@link LiveConnections}' job. Messages over 64 KiB close the connection with 1009 (the runtime enforces
 * {@code maxMessageSize}).
 */
@ServerEndpoint(value = ClientWsEndpoint.PATH, configurator = ClientWsConfigurator.class)
public class ClientWsEndpoint {

    /** The endpoint's path inside the application, which is served at "/". */
    public static final String PATH = "/api/v1/client_ws";

    private static final Logger LOG = Logger.getLogger(ClientWsEndpoint.class.getName());

    @Inject
    LiveConnectionService sockets;

    /** Set on open; the runtime may call the other methods from other threads. */
    private volatile LiveConnection connection;

    @OnOpen
    public void open(Session session) throws IOException {
        Verdict verdict = (Verdict) session.getUserProperties().remove(ClientWsConfigurator.VERDICT);
        if (verdict == null || !verdict.isAccepted()) {
            TokenFailure failure = verdict == null ? TokenFailure.INTERNAL_ERROR : verdict.failure();
            int code = failure == TokenFailure.INTERNAL_ERROR
                    ? CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode() : LiveConnection.TOKEN_INVALID;
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), failure.detail()));
            return;
        }
        connection = sockets.connections().open(session, verdict.principal());
        sockets.socketLimits().opened(verdict.principal().orgId(), verdict.principal().clientId(), connection.id(),
                System.currentTimeMillis());
    }

    @OnMessage(maxMessageSize = SocketMessages.MAX_MESSAGE_BYTES)
    public void text(String message) {
        if (connection != null) {
            sockets.connections().receive(connection, message);
        }
    }

    @OnMessage(maxMessageSize = SocketMessages.MAX_MESSAGE_BYTES)
    public void binary(ByteBuffer message) {
        if (connection != null) {
            sockets.connections().receiveBinary(connection);
        }
    }

    /** A pong, which a server-side close waits for (decision D7 of the {@code access} package). */
    @OnMessage
    public void pong(PongMessage pong) {
        if (connection != null) {
            sockets.connections().pong(connection);
        }
    }

    @OnClose
    public void close(CloseReason reason) {
        sockets.meters().closed(reason.getCloseCode().getCode());
        if (connection != null) {
            sockets.connections().closed(connection);
            ClientPrincipal principal = connection.principal();
            sockets.socketLimits().closed(principal.orgId(), principal.clientId(), connection.id());
        }
    }

    @OnError
    public void error(Session session, Throwable failure) {
        // the class only: messages of runtime exceptions may quote what the client sent
        LOG.log(Level.FINE, "Live connection error: {0}", failure.getClass().getName());
        if (connection != null && !session.isOpen()) {
            sockets.connections().closed(connection);
        }
    }
}
