package dev.latchkey.cluster.control;

import dev.latchkey.platform.database.ChangeLog;

/** One row of {@code change_log}: a committed change that every node applies to its memory, in {@code seq} order. */
record Change(long seq, ChangeLog.Kind kind, String orgId, String subject) {
}
