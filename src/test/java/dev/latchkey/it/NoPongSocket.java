package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client on a raw socket that never answers pings (RFC 6455 says it must) and answers a close frame
 * at once, with the same code: the one kind of client that still made server-side closes race with the container
 * before closes without a pong were sent as a frame alone (decision D7 of the {@code access} package). Every read
 * has a timeout.
 */
final class NoPongSocket implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int TIMEOUT_MILLIS = (int) LiveSocket.WAIT.toMillis();

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

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** How many pings the server sent that this client left unanswered. */
    int pingsIgnored;

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
     * Reads until the server's close frame, skipping other frames and leaving pings unanswered, and answers it at
     * once with the same code.
     */
    Closed awaitCloseAndAnswer() throws IOException {
        Frame frame = next();
        while (!frame.isClose()) {
            frame = next();
        }
        long at = System.nanoTime();
        send(0x8, new byte[] {frame.payload()[0], frame.payload()[1]});
        return new Closed(frame.code(), frame.reason(), at);
    }

    /**
     * After the close was answered: waits until the server ends the connection (end of stream or reset), and
     * returns when that happened ({@link System#nanoTime()}); frames still arriving (the server's echo of the
     * answer) are skipped. Fails the test if the connection is still open after the read timeout.
     */
    long awaitEnd() throws IOException {
        InputStream raw = in;
        byte[] sink = new byte[256];
        try {
            while (raw.read(sink) >= 0) {
                // frames after the close: skipped
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not end the connection within " + TIMEOUT_MILLIS + " ms", e);
        } catch (IOException reset) {
            // ended with a reset
        }
        return System.nanoTime();
    }

    private void send(int opcode, byte[] payload) throws IOException {
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
    }
}
