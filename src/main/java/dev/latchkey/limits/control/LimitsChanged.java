package dev.latchkey.limits.control;

/** Fired (as a CDI event) after an organization's new limits have committed; a cluster makes every node read them. */
public record LimitsChanged(String orgId) {
}
