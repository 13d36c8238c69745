package dev.latchkey.limits.control;

import dev.latchkey.platform.config.Settings;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A lock per client_id held until the caller's transaction completes, so that counting a client's tokens and
 * adding one cannot interleave with another mint of the same client, on any node.
 * <ul>
 *   <li>PostgreSQL: {@code pg_advisory_xact_lock} on a 64-bit hash of organization and client (two clients whose
 *       hashes collide only wait for each other);</li>
 *   <li>H2, which only one node uses (a cluster needs PostgreSQL): one of {@value #STRIPES} semaphores of this JVM,
 *       chosen by the same hash, released when the transaction completes (commit or rollback).</li>
 * </ul>
 */
@ApplicationScoped
public class ClientLock {

    static final int STRIPES = 1024;
    /** How long a mint waits for another mint of the same client on H2, in seconds. */
    static final long WAIT_SECONDS = 10;

    @Inject
    Settings settings;

    @Resource
    TransactionSynchronizationRegistry transactions;

    private final Semaphore[] stripes = new Semaphore[STRIPES];

    public ClientLock() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Semaphore(1);
        }
    }

    /**
     * Takes the client's lock inside the caller's JTA transaction; it is released when that transaction completes.
     *
     * @throws IllegalStateException when no transaction is active, or (H2) the lock was not had within
     *                               {@value #WAIT_SECONDS} seconds
     */
    public void lock(EntityManager em, String orgId, String clientId) {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException("a client's lock needs an active transaction");
        }
        long key = hash(orgId, clientId);
        if (settings.isPostgres()) {
            em.createNativeQuery("SELECT pg_advisory_xact_lock(?)").setParameter(1, key).getSingleResult();
            return;
        }
        Semaphore stripe = stripes[(int) Math.floorMod(key, (long) STRIPES)];
        try {
            if (!stripe.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Timed out waiting for another mint of the same client");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for another mint of the same client", e);
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                stripe.release();
            }
        });
    }

    /** A 64-bit FNV-1a hash of the organization and the client, with a separator no id contains. */
    static long hash(String orgId, String clientId) {
        long h = 0xcbf29ce484222325L;
        String text = orgId + '\u0000' + clientId;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
