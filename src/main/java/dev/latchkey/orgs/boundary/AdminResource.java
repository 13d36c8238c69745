package dev.latchkey.orgs.boundary;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import dev.latchkey.platform.json.JsonBody;
import static dev.latchkey.platform.json.JsonFactory.JSON;

import dev.latchkey.orgs.control.ApiKeys;
import dev.latchkey.orgs.control.OrgKeyRevoked;
import dev.latchkey.orgs.control.OrgKeys;
import dev.latchkey.orgs.control.Organizations;
import dev.latchkey.orgs.entity.ApiKey;
import dev.latchkey.orgs.entity.Organization;
import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.json.JsonBodies;
import dev.latchkey.platform.json.Timestamps;
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
@Tag(name = "admin")
@SecurityRequirement(name = "adminKey")
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
    @Operation(summary = "Create an organization and its first key (shown once)")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = "application/json", example = "{\"org_id\": \"...\", \"name\": \"acme\", \"api_key\": \"fl-...\", \"key_id\": \"...\"}"))
    @APIResponse(responseCode = "401", ref = "AdminUnauthorized")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public Response createOrg(@RequestBody(required = true, content = @Content(mediaType = "application/json", example = "{\"name\": \"acme\"}")) InputStream body) {
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

    /** Every organization, oldest first ({@code default} among them): ids, names, creation times, never a key. */
    @GET
    @Path("orgs")
    @Operation(summary = "List organizations, oldest first")
    @APIResponse(responseCode = "200", description = "Every organization",
            content = @Content(mediaType = "application/json", example = "{\"orgs\": [{\"org_id\": \"...\", \"name\": \"default\", \"created_at\": \"...\"}]}"))
    @APIResponse(responseCode = "401", ref = "AdminUnauthorized")
    public JsonObject listOrgs() {
        JsonArrayBuilder orgs = JSON.createArrayBuilder();
        for (Organization org : organizations.all()) {
            orgs.add(JSON.createObjectBuilder()
                    .add("org_id", org.orgId())
                    .add("name", org.name())
                    .add("created_at", Timestamps.iso(org.createdAt())));
        }
        return JSON.createObjectBuilder().add("orgs", orgs).build();
    }

    /** A further key for an organization: both work until one is revoked. */
    @POST
    @Path("orgs/{org_id}/api_keys")
    @Operation(summary = "Issue a further key for an organization (rotation)")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = "application/json", example = "{\"api_key\": \"fl-...\", \"key_id\": \"...\"}"))
    @APIResponse(responseCode = "401", ref = "AdminUnauthorized")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response addKey(@PathParam("org_id") String orgId) {
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
    @Path("orgs/{org_id}/api_keys")
    @Operation(summary = "An organization's keys, never their secrets")
    @APIResponse(responseCode = "200", description = "The keys",
            content = @Content(mediaType = "application/json", example = "{\"org_id\": \"...\", \"api_keys\": [{\"key_id\": \"...\", \"prefix\": \"fl-abcd\", \"created_at\": \"...\", \"last_used_at\": \"...\", \"revoked_at\": \"...\"}]}"))
    @APIResponse(responseCode = "401", ref = "AdminUnauthorized")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public JsonObject listKeys(@PathParam("org_id") String orgId) {
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
    @Path("api_keys/{key_id}")
    @Operation(summary = "Revoke an org key at once")
    @APIResponse(responseCode = "200", description = "Revoked (again: still success)",
            content = @Content(mediaType = "application/json", example = "{\"status\": \"success\", \"message\": \"API key revoked\"}"))
    @APIResponse(responseCode = "401", ref = "AdminUnauthorized")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public JsonObject revokeKey(@PathParam("key_id") String keyId) {
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
