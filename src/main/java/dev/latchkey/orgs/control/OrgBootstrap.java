package dev.latchkey.orgs.control;

import dev.latchkey.orgs.entity.ApiKey;
import dev.latchkey.orgs.entity.Organization;
import dev.latchkey.platform.database.ChangeLog;
import dev.latchkey.platform.config.Settings;
import dev.latchkey.platform.operations.StartupFailure;
import dev.latchkey.platform.database.StartupLock;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptors;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Makes sure a first user has an org key: {@code LATCHKEY_ORG_API_KEY} becomes the one active key of the
 * organization {@code default}; without it, an empty database gets {@code default} with a fresh key that is
 * printed once, here, and never again.
 */
@Singleton
@Startup
@Interceptors(StartupFailure.class)
@DependsOn("SchemaMigrations")
public class OrgBootstrap {

    static final String DEFAULT_ORG = "default";
    private static final Logger LOG = Logger.getLogger(OrgBootstrap.class.getName());

    @Inject
    Settings settings;

    @Inject
    Organizations organizations;

    @Inject
    StartupLock startupLock;

    @Inject
    ChangeLog changeLog;

    @PersistenceContext
    EntityManager em;

    /** One transaction, under the startup lock: nodes starting together create one {@code default} and one key. */
    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    void bootstrap() {
        startupLock.holdForTransaction(em);
        Optional<String> configured = settings.orgApiKey();
        if (configured.isPresent()) {
            holdExactly(configured.get());
        } else if (organizations.count() == 0) {
            String key = ApiKeys.generate();
            organizations.createWithKey(DEFAULT_ORG, key);
            LOG.info("Created organization 'default'. Its API key is shown only this once, store it now: " + key);
        }
    }

    private void holdExactly(String key) {
        if (!ApiKeys.isWellFormed(key)) {
            throw new IllegalStateException(
                    "LATCHKEY_ORG_API_KEY must be 'fl-' followed by at least 32 characters of [A-Za-z0-9_-]");
        }
        Organization org = organizations.byName(DEFAULT_ORG).orElseGet(() -> organizations.create(DEFAULT_ORG));
        Optional<ApiKey> existing = organizations.keyByText(key);
        if (existing.isPresent() && !existing.get().orgId().equals(org.orgId())) {
            throw new IllegalStateException("LATCHKEY_ORG_API_KEY already belongs to another organization");
        }
        String keepId = existing.map(ApiKey::keyId)
                .orElseGet(() -> organizations.addKey(org.orgId(), key).keyId());
        long now = organizations.now();
        for (ApiKey other : organizations.activeKeys(org.orgId())) {
            if (!other.keyId().equals(keepId)) {
                other.revoke(now);
                changeLog.record(em, ChangeLog.Kind.ORG_KEY, org.orgId(), other.keyId());
                LOG.info("Revoked org key " + other.keyPrefix() + "... of 'default': LATCHKEY_ORG_API_KEY replaces it");
            }
        }
        if (existing.isEmpty()) {
            LOG.info("Organization 'default' now holds the key from LATCHKEY_ORG_API_KEY (" + ApiKeys.prefix(key) + "...)");
        }
    }
}
