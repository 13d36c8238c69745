package dev.latchkey.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An upstream on a free loopback port that records each request exactly as it arrives on the socket: the request
 * line and every header line byte for byte, names unnormalized (a framework's server would merge
 * {@code X_Latchkey_Client_Id} into something else or drop it, which is the very thing these tests look for).
 * It reads the body by {@code Content-Length} or chunked, answers {@code 200 {"ok":true}} and keeps the
 * connection for the next request, as an HTTP/1.1 server does. The first request whose target contains
 * {@value #DROP_ONCE} is recorded and then left unanswered, its connection closed: what a server does when it closes
 * a kept-alive connection just as a request arrives on it.
 */
final class RawUpstream implements AutoCloseable {

    /** One request as received: its request line and its header lines, in order. */
    record Received(String requestLine, List<String> headerLines, String body) {

        /** The values of the headers named exactly {@code name} (compared ignoring case only). */
        List<String> values(String name) {
            List<String> values = new ArrayList<>();
            for (String line : headerLines) {
                int colon = line.indexOf(':');
                if (line.substring(0, colon).equalsIgnoreCase(name)) {
                    values.add(line.substring(colon + 1).trim());
                }
            }
            return values;
        }

        /** The header names as sent. */
        List<String> names() {
            return headerLines.stream().map(line -> line.substring(0, line.indexOf(':'))).toList();
        }

        String target() {
            return requestLine.split(" ")[1];
        }
    }

    /** Marks a request to record and then drop with its connection, the first time its target is seen. */
    static final String DROP_ONCE = "drop-once";

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "raw-upstream");
        thread.setDaemon(true);
        return thread;
    });
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final java.util.Set<String> dropped = java.util.concurrent.ConcurrentHashMap.newKeySet();

    RawUpstream() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** The requests whose request line contains the marker. */
    List<Received> requestsWith(String marker) {
        return received.stream().filter(r -> r.requestLine().contains(marker)).toList();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            socket.setSoTimeout(30_000);
            while (true) {
                String requestLine = line(in);
                if (requestLine == null) {
                    return;
                }
                List<String> headers = new ArrayList<>();
                for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
                    headers.add(line);
                }
                Received request = new Received(requestLine, headers, "");
                String body = body(in, request);
                received.add(new Received(requestLine, List.copyOf(headers), body));
                if (requestLine.contains(DROP_ONCE) && dropped.add(requestLine)) {
                    return; // closed without an answer
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
                        + "{\"ok\":true}").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException e) {
            // the proxy closed the connection
        }
    }

    private static String body(InputStream in, Received request) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> length = request.values("Content-Length");
        if (request.values("Transfer-Encoding").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
            for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                // trailer lines are read and dropped
            }
        } else if (!length.isEmpty()) {
            body.write(in.readNBytes(Integer.parseInt(length.get(0))));
        }
        return body.toString(StandardCharsets.ISO_8859_1);
    }

    /** One line without its CRLF, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                return line.length() == 0 ? null : line.toString();
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
