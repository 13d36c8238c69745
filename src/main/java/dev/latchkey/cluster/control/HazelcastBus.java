package dev.latchkey.cluster.control;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The one place that touches Hazelcast: Payara Micro's own instance (JNDI {@code payara/Hazelcast}), one topic
 * of JSON text. Not a CDI bean, so a server without Hazelcast never loads these types unless clustering is on.
 * Topics are fire-and-forget (no acknowledgement, dropped under load): whatever needs an answer says so in its
 * message and waits for one, bounded in time.
 */
final class HazelcastBus {

    static final String TOPIC = "latchkey.cluster";

    private final HazelcastInstance hazelcast;
    private final ITopic<String> topic;
    private UUID listener;
    private UUID membership;

    HazelcastBus() throws NamingException {
        hazelcast = InitialContext.doLookup("payara/Hazelcast");
        topic = hazelcast.getTopic(TOPIC);
    }

    /** Hands every message of the topic to {@code receiver}, on Hazelcast's event thread. */
    void listen(Consumer<String> receiver) {
        listener = topic.addMessageListener(message -> receiver.accept(message.getMessageObject()));
    }

    /** Calls {@code changed} after every join and leave, on Hazelcast's event thread (open-source edition). */
    void watchMembers(Runnable changed) {
        membership = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                changed.run();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                changed.run();
            }
        });
    }

    /** This member's id, unique for the life of the process. */
    String localId() {
        return hazelcast.getCluster().getLocalMember().getUuid().toString();
    }

    /** The ids of the other members this node sees now. */
    Set<String> otherIds() {
        Member local = hazelcast.getCluster().getLocalMember();
        return hazelcast.getCluster().getMembers().stream()
                .filter(member -> !member.equals(local))
                .map(member -> member.getUuid().toString())
                .collect(Collectors.toSet());
    }

    /** The cluster's map of this name (open-source {@code IMap}); only strings go in it (decision D3). */
    <V> IMap<String, V> map(String name) {
        return hazelcast.getMap(name);
    }

    /** Sends to every member, this one included; returns before anyone has received it. */
    void publish(String json) {
        topic.publish(json);
    }

    void close() {
        if (listener != null) {
            topic.removeMessageListener(listener);
        }
        if (membership != null) {
            hazelcast.getCluster().removeMembershipListener(membership);
        }
    }
}
