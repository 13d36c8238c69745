package dev.latchkey.access.control;

import dev.latchkey.tokens.control.ClientPrincipal;
import dev.latchkey.tokens.control.TokenFailure;
import dev.latchkey.tokens.control.TokenLookup;
import dev.latchkey.tokens.control.TokenMeters;
import dev.latchkey.tokens.control.TokenRecord;
import dev.latchkey.tokens.control.TokenValidator;
import dev.latchkey.tokens.control.Verdict;
import dev.latchkey.tokens.control.Revocation;
import jakarta.json.JsonValue;
import jakarta.websocket.Session;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps every open {@code /client_ws} connection of this node authorized for its whole life: the session
 * message on open, ping, reauth, the expiry warning and the expiry close, closing on revocation, and pushing
 * the org's messages. Revocations ({@link #revoke}) and pushes ({@link #deliver}) are the node-local end of
 * their signals: whatever spreads them across nodes calls these two methods on every node.
 *
 * <p>Logs name connections by token_id only.
 */
public final class LiveConnections {

    /** The close of a socket over the client's {@code max_sockets} ({@code close_oldest}). */
    public static final int TOO_MANY_SOCKETS_CODE = 4429;
    public static final String TOO_MANY_SOCKETS = "Too many connections for this client";
    /** The contract's answer to a socket message over the client's rate (nothing is forwarded). */
    public static final String RATE_EXCEEDED = "Rate limit exceeded";
    private static final Logger LOG = Logger.getLogger(LiveConnections.class.getName());
    static final int GOING_AWAY = 1001;
    static final String TOO_MANY_SENDS = "Too many messages in flight: at most "
            + LiveConnection.MAX_SENDS_IN_FLIGHT + " unanswered";
    static final String MESSAGES_DISABLED = "Messages are not enabled for this organization";
    static final String SEND_FAILED = "Internal server error while forwarding the message";
    static final String TOO_BIG_REASON = "Message too big: at most " + SocketMessages.MAX_MESSAGE_BYTES + " bytes";

    private final TokenValidator validator;
    private final TokenLookup lookup;
    private final Clock clock;
    private final long warningMillis;
    private final ScheduledExecutorService scheduler;
    private final LiveConnectionRegistry registry = new LiveConnectionRegistry();
    private TokenMeters.Validations reauths = TokenMeters.none().validations(TokenMeters.Surface.REAUTH);
    private SocketMeters meters = SocketMeters.none();
    /** The {@code rate} check of socket messages: true admits; none without the limits feature wired in. */
    private BiPredicate<String, String> rate = (orgId, clientId) -> true;
    private final Consumer<ClientSend> sends;
    private final long pongWaitMillis;

    /**
     * @param validator the one validator, for reauth
     * @param lookup    the token rows, to catch a revocation that committed while a connection was registering
     * @param warningSecs how long before expiry {@code token_expiring} is sent
     * @param scheduler runs the timers and the closes caused by revocations
     */
    public LiveConnections(TokenValidator validator, TokenLookup lookup, Clock clock, long warningSecs,
                           ScheduledExecutorService scheduler) {
        this(validator, lookup, clock, warningSecs, scheduler, send -> { });
    }

    /** @param sends where a client's {@code send} messages go (the CDI event); a send nobody takes is refused */
    public LiveConnections(TokenValidator validator, TokenLookup lookup, Clock clock, long warningSecs,
                           ScheduledExecutorService scheduler, Consumer<ClientSend> sends) {
        this(validator, lookup, clock, warningSecs, scheduler, sends, LiveConnection.PONG_WAIT_MILLIS);
    }

    /** @param pongWaitMillis how long a server-side close waits for the client's pong (tests wait longer) */
    LiveConnections(TokenValidator validator, TokenLookup lookup, Clock clock, long warningSecs,
                    ScheduledExecutorService scheduler, Consumer<ClientSend> sends, long pongWaitMillis) {
        this.pongWaitMillis = pongWaitMillis;
        this.sends = sends;
        this.validator = validator;
        this.lookup = lookup;
        this.clock = clock;
        this.warningMillis = TimeUnit.SECONDS.toMillis(warningSecs);
        this.scheduler = scheduler;
    }

    /** Counts reauth validations and revocation closes; call once, before the first connection. */
    public LiveConnections metered(TokenMeters.Validations reauths, SocketMeters meters) {
        this.reauths = reauths;
        this.meters = meters;
        return this;
    }

    /**
     * Counts every message against the client's {@code rate} ({@code docs/limits.md}): {@code admits} answers
     * whether one more message of the organization's client is allowed.
     */
    public LiveConnections rateLimited(BiPredicate<String, String> admits) {
        this.rate = admits;
        return this;
    }

    /** Registers a connection whose handshake passed validation, greets it and arms its timers. */
    public LiveConnection open(Session session, ClientPrincipal principal) {
        LiveConnection connection = new LiveConnection(session, principal);
        registry.add(connection);
        connection.send(SocketMessages.session(principal, clock.millis()));
        arm(connection, principal);
        recheck(connection, principal);
        LOG.fine(() -> "Opened a live connection for token " + principal.tokenId());
        return connection;
    }

    /**
     * A text message from the client. On a connection that waits for a pong to close, any message read counts as
     * the pong: the close is sent at once, on this (the socket's read) thread (decision D7).
     */
    public void receive(LiveConnection connection, String text) {
        if (connection.ponged() || connection.isEnded()) {
            return;
        }
        if (SocketMessages.isTooBig(text)) {
            // normally refused by the endpoint's maxMessageSize already; this counts UTF-8 bytes exactly
            if (registry.end(connection, null) != null) {
                connection.close(LiveConnection.TOO_BIG, TOO_BIG_REASON);
            }
            return;
        }
        SocketMessages.Incoming message = SocketMessages.read(text);
        ClientPrincipal principal = connection.principal();
        if (!rate.test(principal.orgId(), principal.clientId())) {
            connection.send(message.id() != null ? SocketMessages.error(message.id(), RATE_EXCEEDED)
                    : SocketMessages.error(RATE_EXCEEDED));
            return;
        }
        switch (message.kind()) {
            case PING -> connection.send(SocketMessages.pong());
            case REAUTH -> reauth(connection, message.accessToken());
            case SEND -> send(connection, message.id(), message.data());
            default -> connection.send(SocketMessages.error(message.detail()));
        }
    }

    /**
     * A binary message: not part of the protocol, answered like any other invalid message; on a connection that
     * waits for a pong to close, it counts as the pong, as in {@link #receive}.
     */
    public void receiveBinary(LiveConnection connection) {
        if (!connection.ponged() && !connection.isEnded()) {
            connection.send(SocketMessages.error(SocketMessages.NOT_TEXT));
        }
    }

    /** The socket closed (either side) or failed: forget it. Safe to call more than once. */
    public void closed(LiveConnection connection) {
        ClientPrincipal principal = registry.end(connection, null);
        if (principal != null) {
            LOG.fine(() -> "Live connection of token " + principal.tokenId() + " closed");
        }
    }

    /**
     * Closes this node's connections governed by the revoked token, or every connection of the client, with
     * 4401 "Token has been revoked". They leave the registry at once (no push reaches them any more); the close
     * frames are sent by the scheduler so that the caller never waits on a client's socket.
     *
     * @return how many connections are being closed
     */
    public int revoke(Revocation revocation) {
        long revokedAt = System.nanoTime();
        List<LiveConnection> affected = revocation.isWholeClient()
                ? registry.ofClient(revocation.orgId(), revocation.clientId())
                : registry.governedBy(revocation.tokenId());
        String expectedTokenId = revocation.isWholeClient() ? null : revocation.tokenId();
        int closing = 0;
        for (LiveConnection connection : affected) {
            if (!connection.principal().orgId().equals(revocation.orgId())) {
                continue;
            }
            ClientPrincipal ended = registry.end(connection, expectedTokenId);
            if (ended != null) {
                closeSoon(connection, ended, revokedAt);
                closing++;
            }
        }
        return closing;
    }

    /**
     * Pushes {@code {"type": "message", "data": ...}} to every open connection of the client on this node.
     *
     * @return how many connections it was handed to
     */
    public int deliver(String orgId, String clientId, JsonValue data) {
        String text = SocketMessages.message(data);
        int delivered = 0;
        for (LiveConnection connection : registry.ofClient(orgId, clientId)) {
            if (!connection.isEnded() && connection.send(text)) {
                delivered++;
            }
        }
        return delivered;
    }

    /**
     * Closes one of the client's connections on this node with 4429 (its {@code max_sockets}, {@code close_oldest}),
     * as a revocation closes (decision D7); nothing when it is already gone.
     */
    public void closeForLimit(String orgId, String clientId, String socketId) {
        for (LiveConnection connection : registry.ofClient(orgId, clientId)) {
            if (connection.id().equals(socketId)) {
                ClientPrincipal principal = registry.end(connection, null);
                if (principal != null) { // from the scheduler, as a revocation closes (closeSoon)
                    Runnable close = () -> {
                        LOG.info(() -> "Closing the live connection of token " + principal.tokenId() + ": "
                                + TOO_MANY_SOCKETS);
                        connection.closeAfterPong(TOO_MANY_SOCKETS_CODE, TOO_MANY_SOCKETS, scheduler, pongWaitMillis,
                                () -> { });
                    };
                    try {
                        scheduler.execute(close);
                    } catch (RejectedExecutionException e) {
                        close.run();
                    }
                }
            }
        }
    }

    /** How many connections are open on this node. */
    public int size() {
        return registry.size();
    }

    boolean isEmpty() {
        return registry.isEmpty();
    }

    /**
     * Hands a client's message to the organization (through {@link #sends}) unless the connection already has
     * {@link LiveConnection#MAX_SENDS_IN_FLIGHT} unanswered; the answer reaches the socket only while the
     * connection is still authorized.
     */
    private void send(LiveConnection connection, String id, JsonValue data) {
        if (!connection.startSend()) {
            connection.send(SocketMessages.error(id, TOO_MANY_SENDS));
            return;
        }
        AtomicBoolean answered = new AtomicBoolean();
        ClientSend send = new ClientSend(connection.principal(), id, data, text -> {
            if (answered.compareAndSet(false, true)) {
                connection.endSend();
                if (!connection.isEnded()) {
                    connection.send(text);
                }
            }
        });
        try {
            sends.accept(send);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Forwarding a client message failed: " + e.getClass().getName());
            if (send.take()) {
                send.fail(SEND_FAILED);
            }
        }
        if (send.take()) {
            send.fail(MESSAGES_DISABLED);
        }
    }

    private void reauth(LiveConnection connection, String accessToken) {
        ClientPrincipal current = connection.principal();
        Verdict verdict = validator.validateToken(accessToken);
        reauths.count(verdict);
        if (!verdict.isAccepted()) {
            connection.send(SocketMessages.error(verdict.failure().detail()));
            return;
        }
        ClientPrincipal next = verdict.principal();
        if (!next.orgId().equals(current.orgId()) || !next.clientId().equals(current.clientId())) {
            LOG.info(() -> "Reauth of the connection of token " + current.tokenId() + " refused: token "
                    + next.tokenId() + " belongs to another client");
            connection.send(SocketMessages.error(TokenFailure.CLIENT_MISMATCH.detail()));
            return;
        }
        if (!registry.replace(connection, next)) {
            return; // ended meanwhile
        }
        connection.send(SocketMessages.session(next, clock.millis()));
        arm(connection, next);
        recheck(connection, next);
        LOG.info(() -> "Live connection of token " + current.tokenId() + " now governed by token " + next.tokenId());
    }

    /** Schedules the expiry warning and the expiry close of the governing token. */
    private void arm(LiveConnection connection, ClientPrincipal principal) {
        long untilExpiry = Math.max(0, principal.expiresAt() - clock.millis());
        long untilWarning = Math.max(0, untilExpiry - warningMillis);
        try {
            ScheduledFuture<?> warning = scheduler.schedule(
                    () -> warn(connection, principal), untilWarning, TimeUnit.MILLISECONDS);
            ScheduledFuture<?> expiry = scheduler.schedule(
                    () -> expire(connection, principal), untilExpiry, TimeUnit.MILLISECONDS);
            connection.replaceTimers(principal.tokenId(), List.of(warning, expiry));
        } catch (RejectedExecutionException e) {
            // shutting down: the server closes every socket itself
            LOG.fine("Timers not armed: the scheduler is shut down");
        }
    }

    private void warn(LiveConnection connection, ClientPrincipal principal) {
        if (connection.isGovernedBy(principal.tokenId())) {
            connection.send(SocketMessages.tokenExpiring(principal, clock.millis()));
        }
    }

    private void expire(LiveConnection connection, ClientPrincipal principal) {
        ClientPrincipal ended = registry.end(connection, principal.tokenId());
        if (ended != null) {
            closeNow(connection, ended, TokenFailure.DATABASE_EXPIRED);
        }
    }

    /**
     * Closes the gap between validating a token and registering its connection: a revocation that committed in
     * between found nothing to close, so the row is read once more after registering.
     */
    private void recheck(LiveConnection connection, ClientPrincipal principal) {
        Optional<TokenRecord> row;
        try {
            row = lookup.find(principal.tokenId());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not re-read token " + principal.tokenId() + " after registering: " + e);
            return;
        }
        TokenFailure failure = row.isEmpty() ? TokenFailure.NOT_IN_DATABASE
                : row.get().revoked() ? TokenFailure.REVOKED : null;
        if (failure != null) {
            ClientPrincipal ended = registry.end(connection, principal.tokenId());
            if (ended != null) {
                closeNow(connection, ended, failure);
            }
        }
    }

    private void closeSoon(LiveConnection connection, ClientPrincipal principal, long revokedAt) {
        Runnable close = () -> closeNow(connection, principal, TokenFailure.REVOKED,
                () -> meters.revokeClosed(revokedAt));
        try {
            scheduler.execute(close);
        } catch (RejectedExecutionException e) {
            close.run();
        }
    }

    /**
     * Closes every connection of this node with 1001 "going away" (the node is shutting down; clients reconnect,
     * to another node when there is one). Returns how many were closed.
     */
    public int closeAll(String reason) {
        int closed = 0;
        for (LiveConnection connection : registry.all()) {
            if (registry.end(connection, null) != null) {
                connection.close(GOING_AWAY, reason);
                closed++;
            }
        }
        return closed;
    }

    /** A pong from the client: a close that waited for it is sent now, on the socket's read thread. */
    public void pong(LiveConnection connection) {
        connection.ponged();
    }

    private void closeNow(LiveConnection connection, ClientPrincipal principal, TokenFailure failure) {
        closeNow(connection, principal, failure, () -> { });
    }

    /** @param sent runs once the close frame has been handed to the socket */
    private void closeNow(LiveConnection connection, ClientPrincipal principal, TokenFailure failure, Runnable sent) {
        LOG.info(() -> "Closing the live connection of token " + principal.tokenId() + ": " + failure.detail());
        connection.closeAfterPong(LiveConnection.TOKEN_INVALID, failure.detail(), scheduler, pongWaitMillis, sent);
    }
}
