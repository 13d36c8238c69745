package dev.latchkey.limits.boundary;

import dev.latchkey.limits.control.LimitStore;
import dev.latchkey.limits.control.Limits;
import dev.latchkey.limits.control.LimitsChanged;
import dev.latchkey.limits.control.OrgLimits;
import dev.latchkey.orgs.boundary.AdminAuthenticated;
import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.json.JsonBodies;
import dev.latchkey.platform.json.JsonBody;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.time.Clock;
import java.util.logging.Logger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * An organization's limits per client ({@code API.md} section 11, {@code docs/limits.md}), set by the admin:
 * {@code PUT} replaces them all (a member left out is unlimited, so {@code {}} removes every limit), {@code GET}
 * reads them in the same shape. The answer to a {@code PUT} means every node applies the new limits: a cluster
 * waits until every node holding a lease has replayed the change (at most a second).
 */
@Path("admin/orgs/{org_id}/limits")
@AdminAuthenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = "adminKey")
public class LimitsResource {

    static final String ORG_NOT_FOUND = "Organization not found";
    private static final Logger LOG = Logger.getLogger(LimitsResource.class.getName());

    @Inject
    LimitStore store;

    @Inject
    Limits limits;

    @Inject
    Clock clock;

    @Inject
    Event<LimitsChanged> changes;

    @PUT
    @JsonBody
    @Operation(summary = "Set an organization's limits per client (absent members are unlimited)")
    public JsonObject put(@PathParam("org_id") String orgId, InputStream body) {
        OrgLimits requested = OrgLimits.parse(JsonBodies.readObject(body));
        limits.existing(orgId).orElseThrow(() -> ApiError.notFound(ORG_NOT_FOUND));
        store.save(orgId, requested, clock.millis());
        limits.forget(orgId);
        changes.fire(new LimitsChanged(orgId));
        LOG.info(() -> "Organization " + orgId + " now has the limits per client " + requested.toJson().build());
        return requested.toJson().build();
    }

    @GET
    @Operation(summary = "An organization's limits per client (absent members are unlimited)")
    public JsonObject get(@PathParam("org_id") String orgId) {
        limits.existing(orgId).orElseThrow(() -> ApiError.notFound(ORG_NOT_FOUND));
        return limits.read(orgId).toJson().build();
    }
}
