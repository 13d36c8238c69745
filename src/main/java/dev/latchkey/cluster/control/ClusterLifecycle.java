package dev.latchkey.cluster.control;

import dev.latchkey.platform.operations.StartupFailure;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptors;

/** Starts this node's cluster part once the schema, the signing keys and the first organization are in place. */
@Singleton
@Startup
@Interceptors(StartupFailure.class)
@DependsOn({"SchemaMigrations", "SigningKeys", "OrgBootstrap"})
public class ClusterLifecycle {

    @Inject
    ClusterNode node;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void start() {
        node.start();
    }

    @PreDestroy
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void stop() {
        node.stop();
    }
}
