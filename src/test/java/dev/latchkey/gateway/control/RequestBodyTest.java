package dev.latchkey.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

    private final ExecutorService readers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        readers.shutdownNow();
    }

    /**
     * Plays the HTTP client's part: calls {@code produce} as its I/O thread would (at the start, and whenever the body
     * asks for output), takes at most {@link #takes} bytes per write, and records what it was given.
     */
    private static final class Connection implements DataStreamChannel {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        final Semaphore asked = new Semaphore(0);
        volatile int takes = Integer.MAX_VALUE;

        @Override
        public void requestOutput() {
            asked.release();
        }

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(src.remaining(), takes);
            src.position(src.position() + n);
            if (n > 0) {
                events.add(n);
            }
            return n;
        }

        @Override
        public void endStream(List<? extends Header> trailers) {
            events.add("end");
        }

        @Override
        public void endStream() {
            endStream(null);
        }

        /** Produces until the body hands over something (a piece, the end, a failure), for 5 s at most. */
        Object next(RequestBody body) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (events.isEmpty()) {
                try {
                    body.produce(this);
                } catch (IOException e) {
                    return e;
                }
                if (events.isEmpty()) {
                    assertTrue(asked.tryAcquire(until - System.nanoTime(), TimeUnit.NANOSECONDS), "nothing within 5 s");
                }
            }
            return events.take();
        }
    }

    @Test
    void aPieceIsHandedOnBeforeTheNextOneArrives() throws Exception {
        CountDownLatch more = new CountDownLatch(1);
        InputStream paused = new InputStream() {
            int reads;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                reads++;
                if (reads == 1) {
                    return 100;
                }
                try {
                    more.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return reads == 2 ? 50 : -1;
            }
        };
        Connection connection = new Connection();
        RequestBody body = new RequestBody(paused, readers, 150);
        assertEquals(100, connection.next(body)); // while the stream waits for more
        more.countDown();
        assertEquals(50, connection.next(body));
        assertEquals("end", connection.next(body));
    }

    @Test
    void everyByteArrivesInOrderAndThenTheEnd() throws Exception {
        byte[] bytes = new byte[100_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        Connection connection = new Connection();
        RequestBody body = new RequestBody(new ByteArrayInputStream(bytes), readers, -1);
        int total = 0;
        for (Object event = connection.next(body); !"end".equals(event); event = connection.next(body)) {
            total += (Integer) event;
        }
        assertEquals(bytes.length, total);
    }

    @Test
    void theNextPieceIsReadOnlyOnceTheConnectionTookTheLast() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                reads.incrementAndGet();
                return len;
            }
        };
        Connection connection = new Connection();
        connection.takes = 0; // an upstream that reads nothing
        RequestBody body = new RequestBody(endless, readers, -1);
        body.produce(connection);
        assertTrue(connection.asked.tryAcquire(5, TimeUnit.SECONDS), "the first piece was read");
        body.produce(connection);
        Thread.sleep(200);
        assertEquals(1, reads.get(), "one piece held, no more read");
        assertEquals(RequestBody.PIECE, body.available(), "the piece waits for the connection");

        connection.takes = Integer.MAX_VALUE;
        assertEquals(RequestBody.PIECE, connection.next(body));
        assertEquals(RequestBody.PIECE, connection.next(body));
        body.stop(1000);
    }

    @Test
    void aFailedReadFailsTheCall() throws Exception {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("client went away");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new IOException("client went away");
            }
        };
        assertInstanceOf(IOException.class, new Connection().next(new RequestBody(broken, readers, 10)));
    }

    @Test
    void stopInterruptsAReadTheClientKeepsWaitingAndNoReadFollows() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        AtomicInteger reads = new AtomicInteger();
        InputStream stalled = new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (reads.incrementAndGet() == 1) {
                    return 10;
                }
                reading.countDown();
                try {
                    Thread.sleep(30_000); // a client that stopped sending
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException("interrupted");
                }
                return 10;
            }
        };
        Connection connection = new Connection();
        RequestBody body = new RequestBody(stalled, readers, 100);
        assertEquals(10, connection.next(body));
        body.produce(connection); // the second read starts
        assertTrue(reading.await(5, TimeUnit.SECONDS));

        long start = System.nanoTime();
        body.stop(5_000);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5_000, "the blocked read was ended");
        body.produce(connection);
        Thread.sleep(200);
        assertEquals(2, reads.get(), "no read after stop");
        assertEquals(null, connection.events.poll(), "the HTTP client gets nothing more");
        assertEquals(0, body.available());
    }

    @Test
    void theClientsFramingIsKeptAndTheBodyIsNeverRepeated() {
        RequestBody sized = new RequestBody(InputStream.nullInputStream(), readers, 5);
        assertEquals(5, sized.getContentLength());
        assertFalse(sized.isChunked());
        RequestBody chunked = new RequestBody(InputStream.nullInputStream(), readers, -1);
        assertEquals(-1, chunked.getContentLength());
        assertTrue(chunked.isChunked());
        assertFalse(chunked.isRepeatable(), "the HTTP client may never send it twice");
    }
}
