package dev.latchkey.platform.operations;

/**
 * Fired (as a CDI event) when the node has been told to stop (SIGTERM to latchkey-micro.jar): it is no longer
 * ready, and whatever holds long-lived connections closes them now, while the server still runs.
 */
public record ShuttingDown() {
}
