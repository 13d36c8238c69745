package dev.latchkey.tokens.boundary;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import static dev.latchkey.platform.JsonFactory.JSON;

import dev.latchkey.orgs.boundary.AdminAuthenticated;
import dev.latchkey.tokens.control.SigningKeyRotated;
import dev.latchkey.tokens.control.SigningKeys;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /admin/signing_keys/rotate}, behind the admin key: the next key (published in
 * {@code /.well-known/jwks.json} ahead of time) signs new tokens from the answer on, and a new next key is made;
 * tokens signed with older keys stay valid until they expire.
 */
@Path("admin/signing_keys")
@AdminAuthenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = "adminKey")
public class SigningKeysResource {

    @Inject
    SigningKeys signingKeys;

    @Inject
    Event<SigningKeyRotated> rotations;

    @POST
    @Path("rotate")
    @Operation(summary = "Sign new tokens with the published next key and make a new next key; "
            + "older keys keep verifying their tokens")
    @APIResponse(responseCode = "200", description = "The new key's id",
            content = @Content(mediaType = "application/json", example = "{\"kid\": \"...\"}"))
    @APIResponse(responseCode = "401", ref = "AdminUnauthorized")
    public JsonObject rotate() {
        String kid = signingKeys.rotate();
        rotations.fire(new SigningKeyRotated(kid));
        return JSON.createObjectBuilder().add("kid", kid).build();
    }
}
