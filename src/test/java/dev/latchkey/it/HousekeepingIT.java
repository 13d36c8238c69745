package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latchkey.orgs.control.Organizations;
import dev.latchkey.platform.http.ApiError;
import dev.latchkey.tokens.control.FeedEntry;
import dev.latchkey.tokens.control.FeedStore;
import dev.latchkey.tokens.control.Housekeeping;
import dev.latchkey.tokens.control.TokenStore;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In the container: the purge job driven directly with a chosen "now", instead of waiting days.
 * Retention is the default 7 days; the longest token lifetime the default 86400 s.
 */
@ExtendWith(ArquillianExtension.class)
class HousekeepingIT {

    private static final long DAY = 86_400_000L;

    @Deployment
    static WebArchive deployment() {
        return Deployments.latchkey().addClass(ExpiredRows.class);
    }

    @Inject
    Housekeeping housekeeping;

    @Inject
    ExpiredRows rows;

    @Inject
    Organizations organizations;

    @Inject
    TokenStore tokens;

    @Inject
    FeedStore feed;

    @Test
    void deletesTokensPastRetentionInBatchesAndNothingElse() {
        long now = System.currentTimeMillis() + 365 * DAY; // far enough ahead that real test tokens are long gone
        String org = rows.someOrg();
        String client = "housekeeping-" + now;
        String pastRetention = rows.token(org, client, now - 9 * DAY, now - 8 * DAY, false);
        String revokedPastRetention = rows.token(org, client, now - 9 * DAY, now - 8 * DAY, true);
        String withinRetention = rows.token(org, client, now - 7 * DAY, now - 6 * DAY, false);
        String live = rows.token(org, client, now - DAY, now + DAY, false);
        String revokedLive = rows.token(org, client, now - DAY, now + DAY, true);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1_100; i++) {
            many.add(rows.token(org, client, now - 40 * DAY, now - 30 * DAY, false));
        }

        int deleted = housekeeping.run(now);

        assertTrue(deleted >= 1_102, "deleted " + deleted);
        assertFalse(rows.exists(pastRetention));
        assertFalse(rows.exists(revokedPastRetention));
        assertTrue(many.stream().noneMatch(rows::exists), "every batch ran");
        assertTrue(rows.exists(withinRetention), "expired less than 7 days ago: kept");
        assertTrue(rows.exists(live));
        assertTrue(rows.exists(revokedLive), "revoked but not expired: kept for the listing");
        assertEquals(0, housekeeping.run(now), "a second pass finds nothing");
    }

    @Test
    void retiresSigningKeysNoUnexpiredTokenCanCarry() {
        long now = System.currentTimeMillis() + 730 * DAY;
        String stoppedTwoDaysAgo = rows.retiredSigningKey(now - 5 * DAY, now - 2 * DAY);
        String stoppedADayAndAMinuteAgo = rows.retiredSigningKey(now - 5 * DAY, now - DAY - 60_000);
        String stoppedAnHourAgo = rows.retiredSigningKey(now - 2 * DAY, now - DAY / 24);

        housekeeping.run(now);

        assertTrue(rows.retired(stoppedTwoDaysAgo), "it stopped signing 2 days ago, tokens live at most 1 day");
        assertFalse(rows.retired(stoppedADayAndAMinuteAgo),
                "within ten minutes past the longest lifetime: a node that learnt of the rotation late may have signed");
        assertFalse(rows.retired(stoppedAnHourAgo), "tokens it signed may live");
    }

    /**
     * The revocation feed keeps an entry until its tokens expired LATCHKEY_RETENTION_DAYS (7) ago; housekeeping
     * deletes only the oldest entries, a prefix, and a cursor before what is kept is 410.
     */
    @Test
    void aCursorBeforeWhatHousekeepingKeptIs410() {
        long now = System.currentTimeMillis();
        String org = organizations.create("feed-" + UUID.randomUUID()).orgId();
        String client = "feed-housekeeping";
        for (int i = 0; i < 3; i++) {
            assertTrue(tokens.revoke(org, rows.token(org, client, now - 10 * DAY, now - 9 * DAY, false), "old"));
        }
        String live = rows.token(org, client, now - 1000, now + DAY, false);
        assertTrue(tokens.revoke(org, live, "live"));
        assertTrue(tokens.revoke(org, rows.token(org, client, now - 10 * DAY, now - 9 * DAY, false), "old"));

        housekeeping.run(now);

        assertEquals(410, assertThrows(ApiError.class, () -> feed.read(org, 0L, now, 10)).status());
        assertEquals(FeedStore.CURSOR_EXPIRED, assertThrows(ApiError.class, () -> feed.read(org, 2L, now, 10)).detail());
        List<FeedEntry> kept = feed.read(org, 3L, now, 10).entries();
        assertEquals(List.of(4L, 5L), kept.stream().map(FeedEntry::seq).toList(), "only a prefix is deleted");
        assertEquals(List.of(live), feed.read(org, null, now, 10).entries().stream().map(FeedEntry::tokenId).toList(),
                "the whole list: what is still relevant");
        assertEquals(5L, feed.read(org, null, now, 10).next());
        assertEquals(410, assertThrows(ApiError.class, () -> feed.read(org, 6L, now, 10)).status(), "ahead of the feed");
    }
}
