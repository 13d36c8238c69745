package dev.latchkey.gateway.boundary;

import dev.latchkey.gateway.control.UpstreamStore;
import dev.latchkey.orgs.boundary.OrgAuthenticated;
import dev.latchkey.orgs.control.OrgPrincipal;
import dev.latchkey.platform.http.ApiError;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /upstream} with the org key: where this organization's client requests are forwarded, as the admin set
 * it ({@code PUT /admin/orgs/{org_id}/upstream}), without the signing secret, which is shown to the admin once and
 * never again. 404 when no upstream is set. Read only: the admin key changes it.
 */
@Path("upstream")
@OrgAuthenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "gateway")
@SecurityRequirement(name = "orgKey")
public class UpstreamResource {

    @Inject
    UpstreamStore store;

    @Context
    SecurityContext security;

    @GET
    @Operation(summary = "This organization's upstream (never its signing secret)")
    @APIResponse(responseCode = "200", description = "The upstream",
            content = @Content(mediaType = "application/json", example = "{\"org_id\": \"...\", \"url\": \"https://api.internal.example/v2\", \"messages_url\": null, \"updated_at\": \"2030-01-01T00:00:00.000Z\"}"))
    @APIResponse(responseCode = "401", ref = "OrgUnauthorized")
    @APIResponse(responseCode = "404", description = "No upstream is set",
            content = @Content(mediaType = "application/json", example = "{\"detail\": \"No upstream is set for this organization\"}"))
    public JsonObject get() {
        String orgId = ((OrgPrincipal) security.getUserPrincipal()).orgId();
        return UpstreamAdminResource.describe(store.find(orgId)
                .orElseThrow(() -> ApiError.notFound(UpstreamAdminResource.NO_UPSTREAM))).build();
    }
}
