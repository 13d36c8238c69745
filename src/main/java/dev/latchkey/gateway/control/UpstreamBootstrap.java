package dev.latchkey.gateway.control;

import dev.latchkey.orgs.control.Organizations;
import dev.latchkey.orgs.entity.Organization;
import dev.latchkey.platform.config.Settings;
import dev.latchkey.platform.database.StartupLock;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code LATCHKEY_UPSTREAM_URL} (and {@code LATCHKEY_MESSAGES_URL}) become the upstream of the organization
 * {@code default} at every start. The first time, a signing secret is made and printed once, here, like the
 * first org key. Without the variables, whatever the admin API set stays.
 */
@Singleton
@Startup
@DependsOn("OrgBootstrap")
public class UpstreamBootstrap {

    private static final Logger LOG = Logger.getLogger(UpstreamBootstrap.class.getName());
    private static final String DEFAULT_ORG = "default";

    @Inject
    Settings settings;

    @Inject
    Organizations organizations;

    @Inject
    UpstreamStore store;

    @Inject
    StartupLock startupLock;

    @PersistenceContext
    EntityManager em;

    /** One transaction under the startup lock: nodes starting together make one secret. */
    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    void bootstrap() {
        Optional<String> url = settings.upstreamUrl();
        Optional<String> messagesUrl = settings.messagesUrl();
        if (url.isEmpty()) {
            if (messagesUrl.isPresent()) {
                throw new IllegalStateException("LATCHKEY_MESSAGES_URL needs LATCHKEY_UPSTREAM_URL as well");
            }
            return;
        }
        String checkedUrl = check("LATCHKEY_UPSTREAM_URL", url.get());
        String checkedMessages = messagesUrl.map(text -> check("LATCHKEY_MESSAGES_URL", text)).orElse(null);
        startupLock.holdForTransaction(em);
        Organization org = organizations.byName(DEFAULT_ORG).orElseGet(() -> organizations.create(DEFAULT_ORG));
        UpstreamStore.Saved saved = store.save(org.orgId(), checkedUrl, checkedMessages, organizations.now());
        LOG.info("Organization 'default' forwards to its upstream from LATCHKEY_UPSTREAM_URL");
        if (saved.newSecret() != null) {
            LOG.info("Requests forwarded for organization 'default' are signed with a secret shown only this once,"
                    + " give it to your upstream now: " + saved.newSecret());
        }
    }

    private static String check(String variable, String text) {
        try {
            return UpstreamTarget.checkUrl(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(variable + " " + e.getMessage());
        }
    }
}
