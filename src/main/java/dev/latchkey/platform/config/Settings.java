package dev.latchkey.platform.config;

import dev.latchkey.platform.operations.NodeName;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Every configuration value (the README's configuration table), read once through MicroProfile Config. */
@ApplicationScoped
public class Settings {

    @Inject
    @ConfigProperty(name = "LATCHKEY_ORG_API_KEY")
    Optional<String> orgApiKey;

    @Inject
    @ConfigProperty(name = "LATCHKEY_JWT_SECRET")
    Optional<String> jwtSecret;

    @Inject
    @ConfigProperty(name = "LATCHKEY_SIGNING_ALG", defaultValue = "ES256")
    String signingAlg;

    @Inject
    @ConfigProperty(name = "LATCHKEY_ISSUER", defaultValue = "latchkey")
    String issuer;

    @Inject
    @ConfigProperty(name = "LATCHKEY_MAX_DURATION_SECS", defaultValue = "86400")
    long maxDurationSecs;

    @Inject
    @ConfigProperty(name = "LATCHKEY_ADMIN_KEY")
    Optional<String> adminKey;

    @Inject
    @ConfigProperty(name = "LATCHKEY_RETENTION_DAYS", defaultValue = "7")
    int retentionDays;

    @Inject
    @ConfigProperty(name = "LATCHKEY_WS_EXPIRY_WARNING_SECS", defaultValue = "60")
    long wsExpiryWarningSecs;

    @Inject
    @ConfigProperty(name = "LATCHKEY_ALLOWED_ORIGINS")
    Optional<String> allowedOriginsText;

    @Inject
    @ConfigProperty(name = "LATCHKEY_CLUSTER_MEMBERS")
    Optional<String> clusterMembers;

    /** Set by latchkey-micro.jar's launcher when Payara Micro clusters through its own discovery flags. */
    @Inject
    @ConfigProperty(name = "latchkey.clustered", defaultValue = "false")
    boolean launcherClustered;

    @Inject
    @ConfigProperty(name = "LATCHKEY_DB_URL")
    Optional<String> databaseUrl;

    @Inject
    @ConfigProperty(name = "LATCHKEY_LOG_FORMAT", defaultValue = "text")
    String logFormat;

    @Inject
    @ConfigProperty(name = "LATCHKEY_ACCESS_LOG", defaultValue = "on")
    String accessLog;

    @Inject
    @ConfigProperty(name = "LATCHKEY_UPSTREAM_URL")
    Optional<String> upstreamUrl;

    @Inject
    @ConfigProperty(name = "LATCHKEY_MESSAGES_URL")
    Optional<String> messagesUrl;

    @Inject
    @ConfigProperty(name = "LATCHKEY_UPSTREAM_TIMEOUT_SECS", defaultValue = "30")
    long upstreamTimeoutSecs;

    @Inject
    @ConfigProperty(name = "LATCHKEY_NODE_NAME")
    Optional<String> nodeName;

    private AllowedOrigins allowedOrigins;

    @PostConstruct
    void parse() {
        allowedOrigins = AllowedOrigins.parse(allowedOriginsText.orElse(null));
        nodeName().filter(name -> !NodeName.isValid(name)).ifPresent(name -> {
            throw new IllegalStateException("LATCHKEY_NODE_NAME must be 1 to " + NodeName.MAX_LENGTH
                    + " letters, digits, '.', '-', '_' or ':'");
        });
    }

    /** This node's name in the {@value NodeName#HEADER} header ({@code LATCHKEY_NODE_NAME}); empty: host:port. */
    public Optional<String> nodeName() {
        return nodeName.map(String::strip).filter(value -> !value.isEmpty());
    }

    public Optional<String> orgApiKey() {
        return orgApiKey.filter(value -> !value.isBlank());
    }

    public Optional<String> jwtSecret() {
        return jwtSecret.filter(value -> !value.isBlank());
    }

    /** The JWS algorithm of signing keys made from now on: {@code ES256} (default), {@code EdDSA} or {@code HS256}. */
    public String signingAlg() {
        return signingAlg.isBlank() ? "ES256" : signingAlg.strip();
    }

    /** The {@code iss} of every token, and the only one accepted. */
    public String issuer() {
        return issuer.isBlank() ? "latchkey" : issuer.strip();
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

    /** How long before its token expires a live connection gets {@code token_expiring}; never negative. */
    public long wsExpiryWarningSecs() {
        return Math.max(0, wsExpiryWarningSecs);
    }

    /** Unset or empty: any origin. */
    public AllowedOrigins allowedOrigins() {
        return allowedOrigins;
    }

    /**
     * Whether this node is one of a cluster: {@code LATCHKEY_CLUSTER_MEMBERS} is set (the launcher checked its
     * form), or the launcher saw Payara's own discovery flags ({@code --clustermode dns:...}, {@code kubernetes}).
     */
    public boolean clustered() {
        return launcherClustered || clusterMembers.filter(value -> !value.isBlank()).isPresent();
    }

    /** The access log is on unless {@code LATCHKEY_ACCESS_LOG} is {@code off} (or {@code false}, {@code 0}). */
    /** Whether log lines are JSON objects ({@code LATCHKEY_LOG_FORMAT=json}; the launcher checked the value). */
    public boolean jsonLogs() {
        return "json".equalsIgnoreCase(logFormat.trim());
    }

    public boolean accessLog() {
        String value = accessLog.trim().toLowerCase(java.util.Locale.ROOT);
        return !(value.equals("off") || value.equals("false") || value.equals("0"));
    }

    /** Whether the database is PostgreSQL (otherwise it is H2, embedded or given by URL). */
    public boolean isPostgres() {
        return databaseUrl.filter(url -> url.startsWith("jdbc:postgresql:")).isPresent();
    }

    /** The {@code default} organization's upstream API; other organizations set theirs through the admin API. */
    public Optional<String> upstreamUrl() {
        return upstreamUrl.filter(value -> !value.isBlank());
    }

    /** Where the {@code default} organization's clients' WebSocket messages are POSTed. */
    public Optional<String> messagesUrl() {
        return messagesUrl.filter(value -> !value.isBlank());
    }

    /** How long an upstream may take to start answering (status and headers) before 504; at least 1 second. */
    public java.time.Duration upstreamTimeout() {
        return java.time.Duration.ofSeconds(Math.max(1, upstreamTimeoutSecs));
    }
}
