package dev.latchkey.bench;

import dev.latchkey.tokens.control.ClientPrincipal;
import dev.latchkey.tokens.control.JwtCodec;
import dev.latchkey.tokens.control.SigningAlgorithm;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What each signing algorithm costs the codec, side by side ({@code alg}: HS256, ES256, EdDSA), in one run:
 * <ul>
 *   <li>{@code mint}: signing a client token (the JWS part of {@code POST /generate_access_token}).</li>
 *   <li>{@code firstPresentation}: reading a token never presented before (shape, signature, claims), cycling
 *       through {@value #UNSEEN} distinct tokens, four times what the codec remembers.</li>
 *   <li>{@code presentedAgain}: the same token read again: the remembered verification, whatever the
 *       algorithm.</li>
 *   <li>{@code assertion}: signing the {@code X-Latchkey-Assertion} of one forwarded request (none with HS256).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SigningBenchmark {

    static final int UNSEEN = 4 * 50_000;

    @Param({"HS256", "ES256", "EdDSA"})
    public String alg;

    private JwtCodec codec;
    private String token;
    private long now;
    private ClientPrincipal client;

    /** The tokens never presented before: made only for {@code firstPresentation} (signing them takes a while). */
    @State(Scope.Benchmark)
    public static class Unseen {
        String[] tokens;
        int next;

        @Setup(Level.Trial)
        public void setUp(SigningBenchmark keys) {
            tokens = new String[UNSEEN];
            for (int i = 0; i < UNSEEN; i++) {
                tokens[i] = keys.codec.sign("org-1", "client-1", UUID.randomUUID().toString(), keys.now,
                        keys.now + 3_600_000);
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        codec = BenchKeys.codec(BenchKeys.generate(SigningAlgorithm.named(alg)));
        now = System.currentTimeMillis();
        token = codec.sign("org-1", "client-1", UUID.randomUUID().toString(), now, now + 3_600_000);
        client = new ClientPrincipal("org-1", "client-1", "token-1", now, now + 3_600_000);
        if (!codec.decode(token).isValid()) {
            throw new IllegalStateException("the codec does not accept its own token");
        }
    }

    @Benchmark
    public String mint() {
        return codec.sign("org-1", "client-1", "token-1", now, now + 3_600_000);
    }

    @Benchmark
    public JwtCodec.Decoded firstPresentation(Unseen unseen) {
        unseen.next = unseen.next + 1 == UNSEEN ? 0 : unseen.next + 1;
        return codec.decode(unseen.tokens[unseen.next]);
    }

    @Benchmark
    public JwtCodec.Decoded presentedAgain() {
        return codec.decode(token);
    }

    @Benchmark
    public String assertion() {
        return codec.assertion(client, "GET", "/orders/7", now);
    }
}
