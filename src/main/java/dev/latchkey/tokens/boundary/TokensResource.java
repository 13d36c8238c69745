package dev.latchkey.tokens.boundary;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import dev.latchkey.platform.json.JsonBody;
import static dev.latchkey.platform.json.JsonFactory.JSON;

import dev.latchkey.tokens.control.ClientAccess;
import dev.latchkey.tokens.control.TokenFailure;
import dev.latchkey.tokens.control.Verdict;
import dev.latchkey.orgs.boundary.OrgAuthenticated;
import dev.latchkey.orgs.control.OrgPrincipal;
import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.json.JsonBodies;
import dev.latchkey.platform.config.Settings;
import dev.latchkey.platform.json.Timestamps;
import dev.latchkey.tokens.control.JwtCodec;
import dev.latchkey.tokens.control.Revocation;
import dev.latchkey.tokens.control.TokenMeters;
import dev.latchkey.tokens.control.SigningKeys;
import dev.latchkey.tokens.control.TokenRequests;
import dev.latchkey.tokens.control.TokenStore;
import dev.latchkey.tokens.entity.ClientToken;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.io.InputStream;
import java.io.StringReader;
import java.util.List;
import java.util.logging.Logger;

/** The organization endpoints (mint, revoke, introspect, list), all behind an org API key. */
@Path("")
@OrgAuthenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tokens")
@SecurityRequirement(name = "orgKey")
public class TokensResource {

    static final String TOKEN_NOT_FOUND = "Token not found";
    static final String INVALID_TOKEN_FORMAT = "Invalid token format";
    private static final Logger LOG = Logger.getLogger(TokensResource.class.getName());

    @Inject
    TokenStore store;

    @Inject
    SigningKeys signingKeys;

    @Inject
    ClientAccess access;

    @Inject
    Settings settings;

    @Inject
    Event<Revocation> revocations;

    @Inject
    TokenMeters meters;

    @Context
    SecurityContext security;

    @POST
    @Path("generate_access_token")
    @JsonBody
    @Operation(summary = "Mint a client token")
    @APIResponse(responseCode = "200", description = "The token, shown once",
            content = @Content(mediaType = "application/json", example = "{\"access_token\": \"eyJ...\", \"expires_in\": 3600, \"token_id\": \"...\", \"expires_at\": \"2030-01-01T01:00:00.000Z\"}"))
    @APIResponse(responseCode = "401", ref = "OrgUnauthorized")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "429", ref = "TooManyTokens")
    public JsonObject generate(@RequestBody(required = true, content = @Content(mediaType = "application/json", example = "{\"client_id\": \"user-42\", \"duration_secs\": 3600, \"metadata\": {\"plan\": \"pro\"}}")) InputStream body) {
        TokenRequests.Mint request = TokenRequests.mint(JsonBodies.readObject(body), settings.maxDurationSecs());
        TokenStore.Minted minted = store.mint(orgId(), request.clientId(), request.durationSecs(), request.metadataJson());
        ClientToken token = minted.token();
        // max_active_tokens, revoke_oldest: the oldest tokens' revocation reaches every node before the mint answers
        minted.revokedIds().forEach(tokenId -> revocations.fire(Revocation.ofToken(orgId(), tokenId)));
        String jwt = signingKeys.codec().sign(token.orgId(), token.clientId(), token.tokenId(), token.issuedAt(), token.expiresAt());
        meters.minted();
        // FINE, not INFO: a line per mint was a quarter of the mint cost (the console handler writes synchronously).
        LOG.fine(() -> "Minted token " + token.tokenId() + " for a client of org " + orgId());
        return JSON.createObjectBuilder()
                .add("access_token", jwt)
                .add("expires_in", request.durationSecs())
                .add("token_id", token.tokenId())
                .add("expires_at", Timestamps.iso(token.expiresAt()))
                .build();
    }

    @POST
    @Path("revoke_token")
    @JsonBody
    @Operation(summary = "Revoke one token (idempotent)")
    @APIResponse(responseCode = "200", description = "Revoked",
            content = @Content(mediaType = "application/json", example = "{\"status\": \"success\", \"message\": \"Token successfully revoked\"}"))
    @APIResponse(responseCode = "401", ref = "OrgUnauthorized")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public JsonObject revoke(@RequestBody(required = true, content = @Content(mediaType = "application/json", example = "{\"access_token\": \"eyJ...\", \"reason\": \"lost phone\"}")) InputStream body) {
        TokenRequests.Revoke request = TokenRequests.revoke(JsonBodies.readObject(body));
        JwtCodec.Decoded decoded = signingKeys.codec().decode(request.accessToken());
        if (!decoded.isValid()) {
            throw ApiError.badRequest(INVALID_TOKEN_FORMAT);
        }
        if (!store.revoke(orgId(), decoded.tokenId(), request.reason())) {
            throw ApiError.notFound(TOKEN_NOT_FOUND);
        }
        revocations.fire(Revocation.ofToken(orgId(), decoded.tokenId()));
        meters.revokedToken();
        LOG.info(() -> "Revoked token " + decoded.tokenId() + " of org " + orgId());
        return JSON.createObjectBuilder()
                .add("status", "success")
                .add("message", "Token successfully revoked")
                .build();
    }

    @POST
    @Path("revoke_client_tokens")
    @JsonBody
    @Operation(summary = "Revoke every token of a client")
    @APIResponse(responseCode = "200", description = "Revoked",
            content = @Content(mediaType = "application/json", example = "{\"status\": \"success\", \"message\": \"All tokens for client successfully revoked\", \"revoked_count\": 2}"))
    @APIResponse(responseCode = "401", ref = "OrgUnauthorized")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public JsonObject revokeClient(@RequestBody(required = true, content = @Content(mediaType = "application/json", example = "{\"client_id\": \"user-42\", \"reason\": \"account closed\"}")) InputStream body) {
        TokenRequests.RevokeClient request = TokenRequests.revokeClient(JsonBodies.readObject(body));
        int revoked = store.revokeClient(orgId(), request.clientId(), request.reason());
        revocations.fire(Revocation.ofClient(orgId(), request.clientId()));
        meters.revokedClient();
        LOG.info(() -> "Revoked " + revoked + " tokens of one client of org " + orgId());
        return JSON.createObjectBuilder()
                .add("status", "success")
                .add("message", "All tokens for client successfully revoked")
                .add("revoked_count", revoked)
                .build();
    }

    /** RFC 7662 style: the details of an active token of this org, otherwise only {@code active: false}. */
    @POST
    @Path("introspect")
    @JsonBody
    @Operation(summary = "Introspect a token (RFC 7662 style)")
    @APIResponse(responseCode = "200", description = "Active with details, or only active false",
            content = @Content(mediaType = "application/json", example = "{\"active\": true, \"client_id\": \"user-42\", \"token_id\": \"...\", \"metadata\": {\"plan\": \"pro\"}, \"issued_at\": \"2030-01-01T00:00:00.000Z\", \"expires_at\": \"2030-01-01T01:00:00.000Z\"}"))
    @APIResponse(responseCode = "401", ref = "OrgUnauthorized")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public JsonObject introspect(@RequestBody(required = true, content = @Content(mediaType = "application/json", example = "{\"access_token\": \"eyJ...\"}")) InputStream body) {
        String accessToken = TokenRequests.introspect(JsonBodies.readObject(body));
        Verdict verdict = access.validator().validateToken(accessToken);
        if (verdict.failure() == TokenFailure.INTERNAL_ERROR) {
            throw new ApiError(500, TokenFailure.INTERNAL_ERROR.detail());
        }
        if (!verdict.isAccepted() || !verdict.principal().orgId().equals(orgId())) {
            return JSON.createObjectBuilder().add("active", false).build();
        }
        return store.findOwned(orgId(), verdict.principal().tokenId())
                .map(token -> JSON.createObjectBuilder()
                        .add("active", true)
                        .add("client_id", token.clientId())
                        .add("token_id", token.tokenId())
                        .add("metadata", parse(token.metadata()))
                        .add("issued_at", Timestamps.iso(token.issuedAt()))
                        .add("expires_at", Timestamps.iso(token.expiresAt()))
                        .build())
                .orElseGet(() -> JSON.createObjectBuilder().add("active", false).build());
    }

    /**
     * A client's tokens, or the organization's when {@code client_id} is absent, newest first; follow
     * {@code next_cursor} until it is null. {@code token_id} narrows the answer to that one token (an empty list
     * when it is not this organization's, or not that client's).
     */
    @GET
    @Path("client_tokens")
    @Operation(summary = "List tokens, newest first: a client's (client_id), the organization's (no client_id), or one (token_id); limit at most 100, cursor")
    @APIResponse(responseCode = "200", description = "One page",
            content = @Content(mediaType = "application/json", example = "{\"tokens\": [{\"token_id\": \"...\", \"client_id\": \"user-42\", \"issued_at\": \"2030-01-01T00:00:00.000Z\", \"expires_at\": \"2030-01-01T01:00:00.000Z\", \"revoked_at\": \"2030-01-01T00:30:00.000Z\", \"revocation_reason\": \"user signed out\", \"metadata\": {\"plan\": \"pro\"}}], \"next_cursor\": \"...\"}"))
    @APIResponse(responseCode = "401", ref = "OrgUnauthorized")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public JsonObject list(@QueryParam("client_id") String clientId, @QueryParam("token_id") String tokenId,
                           @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        TokenRequests.Page page = TokenRequests.page(clientId, tokenId, limit, cursor);
        List<ClientToken> rows = page.tokenId() != null
                ? store.findOwned(orgId(), page.tokenId())
                        .filter(token -> page.clientId() == null || page.clientId().equals(token.clientId()))
                        .stream().toList()
                : store.page(orgId(), page.clientId(), page.after().issuedAt(), page.after().tokenId(), page.limit() + 1);
        JsonArrayBuilder tokens = JSON.createArrayBuilder();
        rows.stream().limit(page.limit()).forEach(token -> tokens.add(describe(token)));
        JsonObjectBuilder result = JSON.createObjectBuilder().add("tokens", tokens);
        if (rows.size() > page.limit()) {
            ClientToken last = rows.get(page.limit() - 1);
            result.add("next_cursor", new TokenRequests.Cursor(last.issuedAt(), last.tokenId()).encode());
        } else {
            result.addNull("next_cursor");
        }
        return result.build();
    }

    private static JsonObject describe(ClientToken token) {
        JsonObjectBuilder item = JSON.createObjectBuilder()
                .add("token_id", token.tokenId())
                .add("client_id", token.clientId())
                .add("issued_at", Timestamps.iso(token.issuedAt()))
                .add("expires_at", Timestamps.iso(token.expiresAt()));
        if (token.revokedAt() == null) {
            item.addNull("revoked_at");
        } else {
            item.add("revoked_at", Timestamps.iso(token.revokedAt()));
        }
        if (token.revocationReason() == null) {
            item.addNull("revocation_reason");
        } else {
            item.add("revocation_reason", token.revocationReason());
        }
        return item.add("metadata", parse(token.metadata())).build();
    }

    private static JsonObject parse(String json) {
        try (JsonReader reader = JSON.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    private String orgId() {
        return ((OrgPrincipal) security.getUserPrincipal()).orgId();
    }
}
