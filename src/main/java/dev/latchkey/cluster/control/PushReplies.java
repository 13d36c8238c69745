package dev.latchkey.cluster.control;

import java.util.HashSet;
import java.util.Set;

/** The other members' counts for one push: waits until each has answered or the time is up. */
final class PushReplies {

    private final Set<String> waitingFor;
    private int delivered;

    PushReplies(Set<String> members) {
        this.waitingFor = new HashSet<>(members);
    }

    synchronized void add(String member, int count) {
        if (waitingFor.remove(member)) {
            delivered += count;
            notifyAll();
        }
    }

    /** The sum of the counts that arrived within {@code millis}; a member that did not answer counts as 0. */
    synchronized int await(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!waitingFor.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return delivered;
    }
}
