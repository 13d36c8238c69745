package dev.latchkey.tokens.control;

import java.security.Provider;
import java.security.Security;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jose4j.jca.ProviderContext;

/**
 * Bouncy Castle as the JCA provider of every ES256 and EdDSA signature Latchkey makes or checks (tokens and upstream
 * assertions; HS256 keeps the JDK's HMAC). On Java 17 the JDK's providers take 450-650 µs to sign with either
 * algorithm and up to a millisecond to verify ES256; Bouncy Castle's take 30-100 µs with keys of its own
 * ({@code docs/performance.md}, "Signing"). The signatures are the standard ones: any verifier, the JDK's included,
 * checks them.
 *
 * <p>The provider is added at the end of the JVM's list ({@link Security#addProvider}) and named wherever it is
 * used, so code asking for an algorithm without naming a provider gets what it got before. Building it takes about
 * half a second of class loading; that starts on a thread of its own the first time this class is touched
 * ({@link #prepare()}, called as CDI starts by {@link SignatureProviderStart}), and the first key or signature
 * that needs it waits for it.
 */
public final class SignatureProvider {

    /** The name jose4j looks the provider up by. */
    static final String NAME = BouncyCastleProvider.PROVIDER_NAME;
    private static final CompletableFuture<Provider> READY = CompletableFuture.supplyAsync(SignatureProvider::register,
            task -> {
                Thread thread = new Thread(task, "latchkey-signature-provider");
                thread.setDaemon(true);
                thread.start();
            });
    private static final ProviderContext CONTEXT = new ProviderContext();

    static {
        CONTEXT.getSuppliedKeyProviderContext().setSignatureProvider(NAME);
        CONTEXT.getGeneralProviderContext().setSignatureProvider(NAME);
    }

    private SignatureProvider() {
    }

    /** Starts building the provider, if it has not started yet; returns at once. */
    public static void prepare() {
        // loading this class started it
    }

    /** The provider, once built and registered (waits for it the first time). */
    static Provider get() {
        return READY.join();
    }

    /** jose4j's settings naming the provider for signatures; the provider is registered when this returns. */
    static ProviderContext context() {
        get();
        return CONTEXT;
    }

    private static Provider register() {
        synchronized (Security.class) {
            Provider known = Security.getProvider(NAME);
            if (known != null) {
                return known;
            }
            Provider provider = new BouncyCastleProvider();
            Security.addProvider(provider);
            return provider;
        }
    }
}
