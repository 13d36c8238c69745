package dev.latchkey.tokens.control;

import dev.latchkey.platform.config.Settings;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.logging.Logger;

/**
 * Every ten minutes: deletes tokens that expired more than {@code LATCHKEY_RETENTION_DAYS} ago, in batches of
 * {@value #BATCH_SIZE}, each its own short transaction so validation never waits behind a long delete; deletes the
 * revocation feed's oldest entries whose tokens expired as long ago (a prefix of each organization's feed, in the
 * same batches); then retires signing keys that no unexpired token can carry any more.
 */
@Singleton
public class Housekeeping {

    static final int BATCH_SIZE = 500;
    private static final long DAY_MILLIS = 86_400_000L;
    private static final Logger LOG = Logger.getLogger(Housekeeping.class.getName());

    @Inject
    TokenStore store;

    @Inject
    SigningKeys signingKeys;

    @Inject
    FeedStore feed;

    @Inject
    Settings settings;

    @Inject
    Clock clock;

    @Schedule(hour = "*", minute = "*/10", persistent = false)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void scheduled() {
        run(clock.millis());
    }

    /** One housekeeping pass as of {@code now}; returns the number of tokens deleted. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int run(long now) {
        long cutoff = now - settings.retentionDays() * DAY_MILLIS;
        int deleted = 0;
        int batch;
        do {
            batch = store.purgeBatch(cutoff, BATCH_SIZE);
            deleted += batch;
        } while (batch == BATCH_SIZE);
        for (String orgId : feed.orgs()) {
            while (feed.prune(orgId, cutoff, BATCH_SIZE) == BATCH_SIZE) {
                // the next batch, in a transaction of its own
            }
        }
        signingKeys.retireUnused(now, settings.maxDurationSecs() * 1000);
        if (deleted > 0) {
            int total = deleted;
            LOG.info(() -> "Deleted " + total + " tokens that expired more than " + settings.retentionDays() + " days ago");
        }
        return deleted;
    }
}
