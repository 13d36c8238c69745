package dev.latchkey.tokens.boundary;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import static dev.latchkey.platform.json.JsonFactory.JSON;

import dev.latchkey.orgs.boundary.AdminAuthenticated;
import dev.latchkey.tokens.control.SigningKeyRotated;
import dev.latchkey.tokens.control.SigningKeys;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import dev.latchkey.platform.json.Timestamps;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /admin/signing_keys}, behind the admin key: the key ring (kid, algorithm, state), for the console;
 * never key material. {@code POST /admin/signing_keys/rotate}, behind the admin key: the next key (published in
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

    @GET
    @Operation(summary = "The key ring: each signing key's kid, algorithm and state (current, next, retired); "
            + "never key material")
    @APIResponse(responseCode = "200", description = "The keys that sign or verify, oldest first",
            content = @Content(mediaType = "application/json", example = "{\"keys\": [{\"kid\": \"...\", "
                    + "\"alg\": \"ES256\", \"state\": \"current\", \"created_at\": \"2030-01-01T00:00:00.000Z\"}]}"))
    @APIResponse(responseCode = "401", ref = "AdminUnauthorized")
    public JsonObject ring() {
        JsonArrayBuilder keys = JSON.createArrayBuilder();
        for (SigningKeys.RingEntry entry : signingKeys.entries()) {
            JsonObjectBuilder key = JSON.createObjectBuilder()
                    .add("kid", entry.kid())
                    .add("alg", entry.alg())
                    .add("state", entry.state());
            if (entry.createdAt() == null) {
                key.addNull("created_at");
            } else {
                key.add("created_at", Timestamps.iso(entry.createdAt()));
            }
            keys.add(key);
        }
        return JSON.createObjectBuilder().add("keys", keys).build();
    }

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
