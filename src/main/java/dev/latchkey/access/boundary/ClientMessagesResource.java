package dev.latchkey.access.boundary;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import dev.latchkey.platform.json.JsonBody;
import static dev.latchkey.platform.json.JsonFactory.JSON;

import dev.latchkey.access.control.ClientMessage;
import dev.latchkey.access.control.ClientPush;
import dev.latchkey.orgs.boundary.OrgAuthenticated;
import dev.latchkey.orgs.control.OrgPrincipal;
import dev.latchkey.platform.json.JsonBodies;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.io.InputStream;
import java.util.logging.Logger;

/**
 * {@code POST /client_messages}: an organization pushes a JSON message to the live connections of its client, on
 * this node and, in a cluster, on every node ({@link ClientPush}).
 */
@Path("client_messages")
@OrgAuthenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tokens")
@SecurityRequirement(name = "orgKey")
public class ClientMessagesResource {

    private static final Logger LOG = Logger.getLogger(ClientMessagesResource.class.getName());

    @Inject
    Event<ClientPush> pushes;

    @Context
    SecurityContext security;

    @POST
    @JsonBody
    @Operation(summary = "Push a message to every open /client_ws connection of a client, on every node")
    @APIResponse(responseCode = "200", description = "How many connections it was handed to",
            content = @Content(mediaType = "application/json", example = "{\"delivered\": 1}"))
    @APIResponse(responseCode = "401", ref = "OrgUnauthorized")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public JsonObject push(@RequestBody(required = true, content = @Content(mediaType = "application/json", example = "{\"client_id\": \"user-42\", \"data\": {\"text\": \"hello\"}}")) InputStream body) {
        ClientMessage message = ClientMessage.from(JsonBodies.readObject(body));
        String orgId = ((OrgPrincipal) security.getUserPrincipal()).orgId();
        ClientPush push = new ClientPush(orgId, message.clientId(), message.data());
        pushes.fire(push);
        int delivered = push.delivered();
        LOG.fine(() -> "Pushed a message to " + delivered + " live connections of a client of org " + orgId);
        return JSON.createObjectBuilder().add("delivered", delivered).build();
    }
}
