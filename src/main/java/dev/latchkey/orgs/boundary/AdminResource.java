package dev.latchkey.orgs.boundary;

import dev.latchkey.platform.JsonBody;
import static dev.latchkey.platform.JsonFactory.JSON;

import dev.latchkey.orgs.control.ApiKeys;
import dev.latchkey.orgs.control.OrgKeyRevoked;
import dev.latchkey.orgs.control.OrgKeys;
import dev.latchkey.orgs.control.Organizations;
import dev.latchkey.orgs.entity.ApiKey;
import dev.latchkey.orgs.entity.Organization;
import dev.latchkey.platform.ApiError;
import dev.latchkey.platform.JsonBodies;
import dev.latchkey.platform.Timestamps;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Set;
import java.util.logging.Logger;

/** The admin API for organizations and their keys; signing-key rotation is the tokens feature's own resource. */
@Path("admin")
@AdminAuthenticated
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    static final String ORG_NOT_FOUND = "Organization not found";
    static final String KEY_NOT_FOUND = "API key not found";
    private static final int MAX_NAME_LENGTH = 255;
    private static final Logger LOG = Logger.getLogger(AdminResource.class.getName());

    @Inject
    Organizations organizations;

    @Inject
    OrgKeys orgKeys;

    @Inject
    Event<OrgKeyRevoked> revocations;

    /** Creates an organization with its first key; the key text is in this answer and nowhere else. */
    @POST
    @Path("orgs")
    @JsonBody
    public Response createOrg(InputStream body) {
        JsonObject request = JsonBodies.readObject(body);
        JsonBodies.requireOnly(request, Set.of("name"));
        String name = JsonBodies.label("name", JsonBodies.requiredString(request, "name"), MAX_NAME_LENGTH);
        if (organizations.byName(name).isPresent()) {
            throw new ApiError(409, "An organization with this name already exists");
        }
        String keyText = ApiKeys.generate();
        Organizations.Created created = organizations.createWithKey(name, keyText);
        LOG.info(() -> "Created organization " + created.org().orgId() + " with key " + created.key().keyPrefix() + "...");
        return Response.status(Response.Status.CREATED).entity(JSON.createObjectBuilder()
                .add("org_id", created.org().orgId())
                .add("name", created.org().name())
                .add("api_key", keyText)
                .add("key_id", created.key().keyId())
                .build()).build();
    }

    /** A further key for an organization: both work until one is revoked. */
    @POST
    @Path("orgs/{orgId}/api_keys")
    public Response addKey(@PathParam("orgId") String orgId) {
        Organization org = organizations.find(orgId).orElseThrow(() -> ApiError.notFound(ORG_NOT_FOUND));
        String keyText = ApiKeys.generate();
        ApiKey key = organizations.addKey(org.orgId(), keyText);
        LOG.info(() -> "Issued key " + key.keyPrefix() + "... for organization " + org.orgId());
        return Response.status(Response.Status.CREATED).entity(JSON.createObjectBuilder()
                .add("api_key", keyText)
                .add("key_id", key.keyId())
                .build()).build();
    }

    @GET
    @Path("orgs/{orgId}/api_keys")
    public JsonObject listKeys(@PathParam("orgId") String orgId) {
        Organization org = organizations.find(orgId).orElseThrow(() -> ApiError.notFound(ORG_NOT_FOUND));
        JsonArrayBuilder keys = JSON.createArrayBuilder();
        for (ApiKey key : organizations.keys(org.orgId())) {
            JsonObjectBuilder item = JSON.createObjectBuilder()
                    .add("key_id", key.keyId())
                    .add("prefix", key.keyPrefix())
                    .add("created_at", Timestamps.iso(key.createdAt()));
            optionalTime(item, "last_used_at", key.lastUsedAt());
            optionalTime(item, "revoked_at", key.revokedAt());
            keys.add(item);
        }
        return JSON.createObjectBuilder().add("org_id", org.orgId()).add("api_keys", keys).build();
    }

    /** Revokes an org key: the very next request with it is refused. Revoking again succeeds. */
    @DELETE
    @Path("api_keys/{keyId}")
    public JsonObject revokeKey(@PathParam("keyId") String keyId) {
        if (!orgKeys.revoke(keyId)) {
            throw ApiError.notFound(KEY_NOT_FOUND);
        }
        revocations.fire(new OrgKeyRevoked(keyId));
        LOG.info(() -> "Revoked org key " + keyId);
        return JSON.createObjectBuilder().add("status", "success").add("message", "API key revoked").build();
    }

    private static void optionalTime(JsonObjectBuilder item, String field, Long epochMillis) {
        if (epochMillis == null) {
            item.addNull(field);
        } else {
            item.add(field, Timestamps.iso(epochMillis));
        }
    }
}
