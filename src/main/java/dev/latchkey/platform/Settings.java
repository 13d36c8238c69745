package dev.latchkey.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Every configuration value of the contract's section 5, read once through MicroProfile Config. */
@ApplicationScoped
public class Settings {

    @Inject
    @ConfigProperty(name = "LATCHKEY_ORG_API_KEY")
    Optional<String> orgApiKey;

    @Inject
    @ConfigProperty(name = "LATCHKEY_JWT_SECRET")
    Optional<String> jwtSecret;

    @Inject
    @ConfigProperty(name = "LATCHKEY_MAX_DURATION_SECS", defaultValue = "86400")
    long maxDurationSecs;

    @Inject
    @ConfigProperty(name = "LATCHKEY_ADMIN_KEY")
    Optional<String> adminKey;

    @Inject
    @ConfigProperty(name = "LATCHKEY_RETENTION_DAYS", defaultValue = "7")
    int retentionDays;

    public Optional<String> orgApiKey() {
        return orgApiKey.filter(value -> !value.isBlank());
    }

    public Optional<String> jwtSecret() {
        return jwtSecret.filter(value -> !value.isBlank());
    }

    public long maxDurationSecs() {
        return maxDurationSecs;
    }

    /** The admin API is enabled only when this is set. */
    public Optional<String> adminKey() {
        return adminKey.filter(value -> !value.isBlank());
    }

    public int retentionDays() {
        return retentionDays;
    }
}
