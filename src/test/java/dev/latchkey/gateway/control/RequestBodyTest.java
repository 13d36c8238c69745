package dev.latchkey.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

    private final ExecutorService readers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        readers.shutdownNow();
    }

    /** Records what it is given and asks for one piece at a time, as the JDK's HTTP client does. */
    private static final class Recorder implements Flow.Subscriber<ByteBuffer> {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(ByteBuffer piece) {
            events.add(piece.remaining());
            subscription.request(1);
        }

        @Override
        public void onError(Throwable failure) {
            events.add(failure);
        }

        @Override
        public void onComplete() {
            events.add("complete");
        }

        Object next() throws InterruptedException {
            Object event = events.poll(5, TimeUnit.SECONDS);
            assertTrue(event != null, "nothing within 5 s");
            return event;
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
        Recorder recorder = new Recorder();
        new RequestBody(paused, readers).subscribe(recorder);
        assertEquals(100, recorder.next()); // while the stream waits for more
        more.countDown();
        assertEquals(50, recorder.next());
        assertEquals("complete", recorder.next());
    }

    @Test
    void everyByteArrivesInOrderAndThenTheEnd() throws Exception {
        byte[] body = new byte[100_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        Recorder recorder = new Recorder();
        new RequestBody(new ByteArrayInputStream(body), readers).subscribe(recorder);
        int total = 0;
        for (Object event = recorder.next(); !"complete".equals(event); event = recorder.next()) {
            total += (Integer) event;
        }
        assertEquals(body.length, total);
    }

    @Test
    void aFailedReadEndsTheBodyWithTheError() throws Exception {
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
        Recorder recorder = new Recorder();
        new RequestBody(broken, readers).subscribe(recorder);
        assertInstanceOf(IOException.class, recorder.next());
    }

    @Test
    void stopInterruptsAReadTheClientKeepsWaitingAndNoReadFollows() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
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
        Recorder recorder = new Recorder();
        RequestBody body = new RequestBody(stalled, readers);
        body.subscribe(recorder);
        assertEquals(10, recorder.next());
        assertTrue(reading.await(5, TimeUnit.SECONDS));

        long start = System.nanoTime();
        body.stop(5_000);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5_000, "the blocked read was ended");
        recorder.subscription.request(1);
        Thread.sleep(200);
        assertEquals(2, reads.get(), "no read after stop");
        assertEquals(null, recorder.events.poll(), "the subscriber hears nothing more");
    }
}
