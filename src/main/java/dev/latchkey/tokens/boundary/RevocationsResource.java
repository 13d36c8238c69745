package dev.latchkey.tokens.boundary;

import static dev.latchkey.platform.json.JsonFactory.JSON;

import dev.latchkey.orgs.boundary.OrgAuthenticated;
import dev.latchkey.orgs.control.OrgPrincipal;
import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.http.ErrorBodies;
import dev.latchkey.tokens.control.FeedEntry;
import dev.latchkey.tokens.control.FeedStore;
import dev.latchkey.tokens.control.RevocationFeed;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The organization's revocation feed ({@code docs/revocations.md}): its entries as one JSON answer, held open
 * up to {@code wait_secs} when there is nothing yet (long-poll), or as server-sent events (WHATWG HTML,
 * "Server-sent events") with {@code Last-Event-ID} resumption.
 */
@Path("revocations")
@OrgAuthenticated
@Tag(name = "tokens")
@SecurityRequirement(name = "orgKey")
public class RevocationsResource {

    /** The longest a long-poll may wait, in seconds. */
    static final int MAX_WAIT_SECS = 30;
    static final String BAD_WAIT = "wait_secs must be an integer from 0 to " + MAX_WAIT_SECS;
    private static final Pattern CURSOR = Pattern.compile("0|[1-9][0-9]{0,17}");
    private static final Pattern WAIT = Pattern.compile("[0-9]{1,2}");

    @Inject
    FeedStore store;

    @Inject
    RevocationFeed feed;

    @Inject
    Clock clock;

    @Context
    SecurityContext security;

    @Context
    UriInfo uri;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The organization's revocations in commit order: without after, every one still relevant "
            + "(a verifier's whole deny-list); with after=<cursor>, those after it. wait_secs (0 to 30) holds an empty "
            + "answer open until one arrives. Accept: text/event-stream gives the same entries as server-sent events "
            + "(id: the cursor; Last-Event-ID resumes).")
    @APIResponse(responseCode = "200", description = "The entries, at most 1000, and the cursor to read after them",
            content = {
                @Content(mediaType = "application/json", example = "{\"revocations\": [{\"cursor\": \"7\", \"kind\": \"token\", \"token_id\": \"...\", \"client_id\": \"user-42\", \"revoked_at\": \"2030-01-01T00:30:00.000Z\", \"expires_at\": \"2030-01-01T01:00:00.000Z\"}], \"next_cursor\": \"7\"}"),
                @Content(mediaType = "text/event-stream", example = "id: 8\ndata: {\"cursor\": \"8\", \"kind\": \"client\", \"client_id\": \"user-42\", \"revoked_at\": \"2030-01-01T00:40:00.000Z\", \"issued_before\": \"2030-01-01T00:39:58.000Z\"}\n\n")
            })
    @APIResponse(responseCode = "401", ref = "OrgUnauthorized")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "410", description = "The cursor is older than what is kept (or not one of this feed)",
            content = @Content(mediaType = "application/json", example = "{\"detail\": \"" + FeedStore.CURSOR_EXPIRED + "\"}"))
    @APIResponse(responseCode = "503", description = "This node holds as many waiting readers as it may")
    public void read(@QueryParam("after") String after, @QueryParam("wait_secs") String waitSecs,
                     @Suspended AsyncResponse async) {
        try {
            Long cursor = cursor("after", single("after", after));
            int wait = waitSecs(single("wait_secs", waitSecs));
            FeedStore.Page page = store.read(org().orgId(), cursor, clock.millis(), RevocationFeed.PAGE_SIZE);
            if (!page.entries().isEmpty() || wait == 0) {
                async.resume(answer(page.entries(), page.next()));
                return;
            }
            feed.follow(org().orgId(), org().keyId(), page, wait * 1000L, new LongPoll(async));
        } catch (ApiError e) {
            async.resume(e);
        }
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS + ";qs=0.5") // only when asked for: JSON wins an Accept of */* or none
    @Operation(hidden = true) // documented with the JSON answer: one path, one operation
    public void stream(@QueryParam("after") String after, @QueryParam("wait_secs") String waitSecs,
                       @HeaderParam("Last-Event-ID") String lastEventId, @Context SseEventSink sink,
                       @Context Sse sse, @Context HttpServletResponse response) {
        // Last-Event-ID, when sent, wins over after: an EventSource reconnects to its first URL with the newest id
        Long cursor = lastEventId == null || lastEventId.isEmpty()
                ? cursor("after", single("after", after)) : cursor("Last-Event-ID", lastEventId);
        waitSecs(single("wait_secs", waitSecs)); // checked like the JSON answer's; a stream waits anyway
        FeedStore.Page page = store.read(org().orgId(), cursor, clock.millis(), RevocationFeed.PAGE_SIZE);
        response.setHeader("X-Accel-Buffering", "no"); // nginx: pass each event on at once
        feed.follow(org().orgId(), org().keyId(), page, 0, new EventStream(sink, sse));
    }

    static JsonObject answer(List<FeedEntry> entries, long next) {
        JsonArrayBuilder revocations = JSON.createArrayBuilder();
        entries.forEach(entry -> revocations.add(entry.json()));
        return JSON.createObjectBuilder().add("revocations", revocations).add("next_cursor", Long.toString(next))
                .build();
    }

    private String single(String name, String value) {
        List<String> values = uri.getQueryParameters().get(name);
        if (values != null && values.size() > 1) {
            throw ApiError.badRequest(name + " is given more than once");
        }
        return value;
    }

    private static Long cursor(String name, String value) {
        if (value == null) {
            return null;
        }
        if (!CURSOR.matcher(value).matches()) {
            throw ApiError.badRequest(name + " is not a cursor of this feed: use a cursor it returned");
        }
        return Long.parseLong(value);
    }

    private static int waitSecs(String value) {
        if (value == null) {
            return 0;
        }
        if (!WAIT.matcher(value).matches() || Integer.parseInt(value) > MAX_WAIT_SECS) {
            throw ApiError.badRequest(BAD_WAIT);
        }
        return Integer.parseInt(value);
    }

    private OrgPrincipal org() {
        return (OrgPrincipal) security.getUserPrincipal();
    }

    /** A JSON answer held open until an entry commits or the wait is over. */
    private record LongPoll(AsyncResponse async) implements RevocationFeed.Follower {

        @Override
        public void started() {
            // answered when an entry arrives or the wait is over
        }

        @Override
        public boolean deliver(FeedStore.Page page) {
            async.resume(answer(page.entries(), page.next()));
            return false;
        }

        @Override
        public boolean idle() {
            return true;
        }

        @Override
        public void end(RevocationFeed.Ending why, long cursor) {
            switch (why) {
                case KEY_REVOKED -> async.resume(ErrorBodies.response(401, "Invalid API key"));
                case CURSOR_EXPIRED -> async.resume(new ApiError(410, FeedStore.CURSOR_EXPIRED));
                default -> async.resume(answer(List.of(), cursor));
            }
        }
    }

    /** Server-sent events: one per entry ({@code id:} its cursor, {@code data:} its JSON), comments to keep alive. */
    private record EventStream(SseEventSink sink, Sse sse) implements RevocationFeed.Follower {

        @Override
        public void started() {
            send(sse.newEventBuilder().comment("revocations of this organization follow").build());
        }

        @Override
        public boolean deliver(FeedStore.Page page) {
            for (FeedEntry entry : page.entries()) {
                if (!send(sse.newEventBuilder().id(Long.toString(entry.seq())).data(entry.json().toString()).build())) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean idle() {
            return send(sse.newEventBuilder().comment("keep-alive").build());
        }

        @Override
        public void end(RevocationFeed.Ending why, long cursor) {
            sink.close();
        }

        private boolean send(OutboundSseEvent event) {
            if (sink.isClosed()) {
                return false;
            }
            CompletableFuture<?> sent = sink.send(event).toCompletableFuture();
            if (sent.isCompletedExceptionally()) {
                sink.close();
                return false;
            }
            return true;
        }
    }
}
