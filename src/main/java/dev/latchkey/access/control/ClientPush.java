package dev.latchkey.access.control;

import jakarta.json.JsonValue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An organization's message for the live connections of one of its clients, fired as a CDI event by
 * {@code POST /client_messages}. Each observer hands it to the connections it reaches (this node's, other
 * nodes') and adds how many; the answer's {@code delivered} is the sum once every observer has returned.
 */
public final class ClientPush {

    private final String orgId;
    private final String clientId;
    private final JsonValue data;
    private final AtomicInteger delivered = new AtomicInteger();

    public ClientPush(String orgId, String clientId, JsonValue data) {
        this.orgId = orgId;
        this.clientId = clientId;
        this.data = data;
    }

    public String orgId() {
        return orgId;
    }

    public String clientId() {
        return clientId;
    }

    public JsonValue data() {
        return data;
    }

    /** Adds connections the message was handed to. */
    public void delivered(int connections) {
        delivered.addAndGet(connections);
    }

    /** How many connections the message was handed to, so far. */
    public int delivered() {
        return delivered.get();
    }
}
