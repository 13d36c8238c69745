package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latchkey.access.control.LiveConnection;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client on a raw socket that never answers pings (RFC 6455 5.5.2 says it must, "as soon as
 * practical") and would answer a close frame at once, with the same code (RFC 6455 5.5.1): the one kind of client
 * that still made server-side closes race with the container when the close was sent from the server's timer
 * (decision D7 of the {@code access} package). Optionally it keeps sending text messages meanwhile
 * ({@link #startChatter()}), so that the server reads from the socket while it ends it. Every read has a timeout;
 * the chatter is bounded.
 */
final class NoPongSocket implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Every read's timeout, in milliseconds: the server's wait for a pong, and {@link LiveSocket#WAIT} more. */
    static final int TIMEOUT_MILLIS = (int) (LiveConnection.PONG_WAIT_MILLIS + LiveSocket.WAIT.toMillis());

    /** A frame from the server. */
    record Frame(int opcode, byte[] payload) {

        boolean isClose() {
            return opcode == 0x8;
        }

        int code() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        String reason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    /** The server's close, answered: its code, reason, and when it arrived ({@link System#nanoTime()}). */
    record Closed(int code, String reason, long atNanos) {
    }

    /**
     * How the connection ended: when ({@link System#nanoTime()}), the close frame the server sent before the end if
     * any (null when none), and how many frames other than pings and that close came after the server's first
     * ping.
     */
    record Ended(long atNanos, Closed close, int otherFrames) {
    }

    /** At most this many messages from {@link #startChatter()}, one every {@value #CHATTER_PAUSE_MILLIS} ms. */
    static final int CHATTER_LIMIT = 5_000;
    static final long CHATTER_PAUSE_MILLIS = 2;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** How many pings the server sent that this client left unanswered. */
    volatile int pingsIgnored;
    private volatile Thread chatter;

    private NoPongSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects with {@code ?client_key=Bearer%20<token>}; fails the test unless the server answers 101. */
    static NoPongSocket open(URL base, String token) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        NoPongSocket client = new NoPongSocket(socket);
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        String request = "GET /" + LiveSocket.PATH + "?client_key=" + LiveSocket.clientKey("Bearer " + token)
                + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        client.out.write(request.getBytes(StandardCharsets.US_ASCII));
        client.out.flush();
        String head = client.head();
        assertTrue(head.startsWith("HTTP/1.1 101 "), () -> "no upgrade: " + head);
        return client;
    }

    private String head() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int next = in.read();
            if (next < 0) {
                throw new EOFException("the handshake's answer ended early: " + head);
            }
            head.write(next);
            matched = next == "\r\n\r\n".charAt(matched) ? matched + 1 : next == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** The next frame; pings are counted and left unanswered. */
    Frame next() throws IOException {
        while (true) {
            Frame frame = read();
            if (frame.opcode() != 0x9) {
                return frame;
            }
            pingsIgnored++;
        }
    }

    private Frame read() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(first & 0x0f, payload);
    }

    /**
     * Reads until the server ends the connection (end of stream or reset), leaving pings unanswered; a close
     * frame, should one come, is answered at once. Fails the test if the connection is still open after the read
     * timeout.
     */
    Ended awaitEnd() throws IOException {
        Closed close = null;
        int other = 0;
        try {
            while (true) {
                Frame frame = next();
                if (frame.isClose() && close == null) {
                    close = new Closed(frame.code(), frame.reason(), System.nanoTime());
                    send(0x8, new byte[] {frame.payload()[0], frame.payload()[1]});
                } else if (pingsIgnored > 0) {
                    other++;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not end the connection within " + TIMEOUT_MILLIS + " ms", e);
        } catch (EOFException | java.net.SocketException ended) {
            // end of stream, or a reset
        }
        return new Ended(System.nanoTime(), close, other);
    }

    /**
     * Starts sending {@code {"type":"ping"}} text messages (the protocol's own ping, not a ping frame) every
     * {@value #CHATTER_PAUSE_MILLIS} ms, at most {@value #CHATTER_LIMIT}, until a write fails or {@link #close()}.
     */
    void startChatter() {
        byte[] message = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        Thread thread = new Thread(() -> {
            try {
                for (int i = 0; i < CHATTER_LIMIT && !socket.isClosed(); i++) {
                    send(0x1, message);
                    Thread.sleep(CHATTER_PAUSE_MILLIS);
                }
            } catch (IOException | InterruptedException stopped) {
                // the connection ended, or the test is done
            }
        }, "no-pong-chatter");
        thread.setDaemon(true);
        chatter = thread;
        thread.start();
    }

    private synchronized void send(int opcode, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        out.write(frame);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        Thread talking = chatter;
        if (talking != null) {
            talking.interrupt();
            try {
                talking.join(TIMEOUT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
