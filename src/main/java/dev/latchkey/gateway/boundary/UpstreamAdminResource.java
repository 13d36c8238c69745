package dev.latchkey.gateway.boundary;

import static dev.latchkey.platform.json.JsonFactory.JSON;

import dev.latchkey.gateway.control.UpstreamStore;
import dev.latchkey.gateway.control.UpstreamTarget;
import dev.latchkey.gateway.control.Upstreams;
import dev.latchkey.gateway.entity.Upstream;
import dev.latchkey.orgs.boundary.AdminAuthenticated;
import dev.latchkey.orgs.control.Organizations;
import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.json.JsonBodies;
import dev.latchkey.platform.json.Timestamps;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import dev.latchkey.platform.json.JsonBody;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * An organization's upstream, set by the admin: {@code PUT} (body {@code {"url", "messages_url"?}}), {@code GET},
 * {@code DELETE} on {@code /admin/orgs/{org_id}/upstream}. The first {@code PUT} makes the organization's signing
 * secret and shows it in its answer, once; later ones keep it. Removing the upstream removes the secret too.
 */
@Path("admin/orgs/{org_id}/upstream")
@AdminAuthenticated
@Produces(MediaType.APPLICATION_JSON)
public class UpstreamAdminResource {

    static final String ORG_NOT_FOUND = "Organization not found";
    static final String NO_UPSTREAM = "No upstream is set for this organization";
    private static final Logger LOG = Logger.getLogger(UpstreamAdminResource.class.getName());

    @Inject
    Organizations organizations;

    @Inject
    UpstreamStore store;

    @Inject
    Upstreams upstreams;

    @PUT
    @JsonBody
    public JsonObject put(@PathParam("org_id") String orgId, InputStream body) {
        JsonObject request = JsonBodies.readObject(body);
        JsonBodies.requireOnly(request, Set.of("url", "messages_url"));
        String url = checked("url", JsonBodies.requiredString(request, "url"));
        String messagesUrl = JsonBodies.optionalString(request, "messages_url")
                .map(text -> checked("messages_url", text)).orElse(null);
        organizations.find(orgId).orElseThrow(() -> ApiError.notFound(ORG_NOT_FOUND));
        UpstreamStore.Saved saved = store.save(orgId, url, messagesUrl, organizations.now());
        upstreams.forget(orgId);
        LOG.info(() -> "Organization " + orgId + " now forwards to its upstream"
                + (saved.newSecret() != null ? " (new signing secret)" : ""));
        JsonObjectBuilder answer = describe(saved.upstream());
        if (saved.newSecret() != null) {
            answer.add("signing_secret", saved.newSecret());
        }
        return answer.build();
    }

    @GET
    public JsonObject get(@PathParam("org_id") String orgId) {
        organizations.find(orgId).orElseThrow(() -> ApiError.notFound(ORG_NOT_FOUND));
        return describe(store.find(orgId).orElseThrow(() -> ApiError.notFound(NO_UPSTREAM))).build();
    }

    @DELETE
    public JsonObject delete(@PathParam("org_id") String orgId) {
        organizations.find(orgId).orElseThrow(() -> ApiError.notFound(ORG_NOT_FOUND));
        if (!store.delete(orgId)) {
            throw ApiError.notFound(NO_UPSTREAM);
        }
        upstreams.forget(orgId);
        LOG.info(() -> "Organization " + orgId + " no longer forwards to an upstream");
        return JSON.createObjectBuilder().add("status", "success").add("message", "Upstream removed").build();
    }

    private static String checked(String field, String text) {
        try {
            return UpstreamTarget.checkUrl(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(field + " " + e.getMessage());
        }
    }

    static JsonObjectBuilder describe(Upstream upstream) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("org_id", upstream.orgId())
                .add("url", upstream.url());
        Optional.ofNullable(upstream.messagesUrl()).ifPresentOrElse(
                url -> json.add("messages_url", url), () -> json.addNull("messages_url"));
        return json.add("updated_at", Timestamps.iso(upstream.updatedAt()));
    }
}
