package dev.latchkey.cluster.control;

import static dev.latchkey.platform.json.JsonFactory.JSON;

import dev.latchkey.limits.control.SocketLimits;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The open sockets of every client over the cluster, for {@code max_sockets}: an {@code IMap} of strings (decision D3)
 * in which each node writes only its own entries, {@code org \n client \n node} to a JSON object of socket id to
 * opening time. A node reads a client's entries of the members it sees now, so the entries of a node that is gone
 * are never counted (they stay in the map until that node id is reused, which it never is). Each node keeps its own
 * entries in memory too and writes one key at a time under that key's lock of this JVM, so its writes of one key
 * reach the map in order. A socket over the limit on another node is closed by that node, asked over the topic.
 */
final class HazelcastSocketLedger implements SocketLimits.Ledger {

    static final String MAP = "latchkey.sockets";

    private final HazelcastBus bus;
    private final String nodeId;
    private final Consumer<String> publish;
    private final Map<String, Map<String, Long>> mine = new ConcurrentHashMap<>();

    HazelcastSocketLedger(HazelcastBus bus, String nodeId, Consumer<String> publish) {
        this.bus = bus;
        this.nodeId = nodeId;
        this.publish = publish;
    }

    @Override
    public List<SocketLimits.Open> open(String orgId, String clientId) {
        List<SocketLimits.Open> open = new ArrayList<>();
        mine.getOrDefault(key(orgId, clientId, nodeId), Map.of())
                .forEach((id, at) -> open.add(new SocketLimits.Open(id, at, "")));
        Set<String> others = new HashSet<>();
        for (String member : bus.otherIds()) {
            others.add(key(orgId, clientId, member));
        }
        if (others.isEmpty()) {
            return open;
        }
        bus.<String>map(MAP).getAll(others).forEach((key, json) -> {
            String node = key.substring(key.lastIndexOf('\n') + 1);
            try (JsonReader reader = JSON.createReader(new StringReader(json))) {
                for (Map.Entry<String, JsonValue> socket : reader.readObject().entrySet()) {
                    open.add(new SocketLimits.Open(socket.getKey(), ((JsonNumber) socket.getValue()).longValue(), node));
                }
            }
        });
        return open;
    }

    @Override
    public void opened(String orgId, String clientId, String socketId, long openedAt) {
        mine.compute(key(orgId, clientId, nodeId), (key, open) -> {
            Map<String, Long> kept = open != null ? open : new HashMap<>();
            kept.put(socketId, openedAt);
            write(key, kept);
            return kept;
        });
    }

    @Override
    public void closed(String orgId, String clientId, String socketId) {
        mine.computeIfPresent(key(orgId, clientId, nodeId), (key, open) -> {
            open.remove(socketId);
            write(key, open);
            return open.isEmpty() ? null : open;
        });
    }

    @Override
    public void closeElsewhere(SocketLimits.Open socket, String orgId, String clientId) {
        publish.accept(JSON.createObjectBuilder().add("op", "close-socket").add("from", nodeId)
                .add("to", socket.node()).add("org", orgId).add("client", clientId).add("socket", socket.socketId())
                .build().toString());
    }

    /** A {@code close-socket} message for this node: closes the socket here. */
    static void closeIfMine(JsonObject message, String nodeId, SocketLimits limits) {
        if (nodeId.equals(message.getString("to", ""))) {
            limits.closeHere(message.getString("org"), message.getString("client"), message.getString("socket"));
        }
    }

    private void write(String key, Map<String, Long> open) {
        if (open.isEmpty()) {
            bus.<String>map(MAP).delete(key);
        } else {
            JsonObjectBuilder json = JSON.createObjectBuilder();
            open.forEach(json::add);
            bus.<String>map(MAP).set(key, json.build().toString());
        }
    }

    private static String key(String orgId, String clientId, String node) {
        return orgId + '\n' + clientId + '\n' + node;
    }
}
