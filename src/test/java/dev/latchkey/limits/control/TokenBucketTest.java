package dev.latchkey.limits.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bucket, and the cluster's bound of {@code docs/limits.md} with N nodes each holding a share. */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketAdmitsItsBurstThenOnePerRefill() {
        TokenBucket cut = new TokenBucket();
        for (int i = 0; i < 5; i++) {
            assertEquals(0, cut.take(0, 2, 5), "request " + i + " of the burst");
        }
        assertEquals(SECOND / 2, cut.take(0, 2, 5), "the next token comes in half a second");
        assertEquals(0, cut.take(SECOND / 2, 2, 5));
        assertTrue(cut.take(SECOND / 2, 2, 5) > 0);
        assertTrue(cut.isFull(10 * SECOND, 2, 5));
    }

    @Test
    void aLoweredCapacityAppliesAtOnce() {
        TokenBucket cut = new TokenBucket();
        assertEquals(0, cut.take(0, 1, 100));
        assertEquals(0, cut.take(0, 1, 1));
        assertTrue(cut.take(0, 1, 1) > 0, "99 tokens left, but the bucket now holds one at most");
    }

    /**
     * The documented bound: N nodes, each with {@code per_second / N} and {@code max(1, burst / N)}, admit together
     * at most {@code max(burst, N) + per_second × T} requests in T seconds, however the client spreads them.
     */
    @Test
    void nodesSharingTheRateNeverAdmitMoreThanTheBound() {
        Random random = new Random(33);
        for (int members : new int[] {1, 2, 3, 5}) {
            for (int[] limits : new int[][] {{10, 20}, {5, 1}, {100, 100}, {1, 3}}) {
                int perSecond = limits[0];
                int burst = limits[1];
                OrgLimits.Rate rate = new OrgLimits.Rate(perSecond, burst);
                TokenBucket[] nodes = new TokenBucket[members];
                for (int i = 0; i < members; i++) {
                    nodes[i] = new TokenBucket();
                }
                long admitted = 0;
                long now = 0;
                long duration = 3 * SECOND;
                while (now < duration) {
                    int node = random.nextInt(members);
                    if (nodes[node].take(now, perSecond / (double) members, RateLimits.capacity(rate, members)) == 0) {
                        admitted++;
                    }
                    now += random.nextInt((int) (SECOND / (20L * perSecond)) + 1);
                }
                double bound = Math.max(burst, members) + perSecond * (now / (double) SECOND);
                assertTrue(admitted <= bound, members + " nodes, " + perSecond + "/s burst " + burst
                        + ": admitted " + admitted + " > bound " + bound);
                assertTrue(admitted >= perSecond * 2, "the rate is reached: " + admitted);
            }
        }
    }
}
