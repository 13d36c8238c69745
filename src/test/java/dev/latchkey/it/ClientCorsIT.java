package dev.latchkey.it;

import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * CORS over real HTTP: client endpoints answer preflights and let an allowed page read every answer, 401s
 * included; org and admin endpoints send no CORS header at all; a disallowed origin gets none anywhere.
 * The server runs with {@code LATCHKEY_ALLOWED_ORIGINS=http://app.example} (see the failsafe configuration).
 */
class ClientCorsIT extends BlackBoxTest {

    private static final String CLIENT_API = "api/v1/client_api";
    private static final String ALLOWED = "http://app.example";
    private static final String DISALLOWED = "http://evil.example";
    private static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";

    private Api.Reply preflight(String path, String origin, String method) {
        return api.send(api.request(path, null)
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", "authorization")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    }

    private Api.Reply getFrom(String path, String origin, String authorization) {
        return api.send(api.request(path, authorization).header("Origin", origin).GET());
    }

    private static String header(Api.Reply reply, String name) {
        return reply.headers().firstValue(name).orElse(null);
    }

    private static boolean varyHasOrigin(Api.Reply reply) {
        return reply.headers().allValues("Vary").stream()
                .anyMatch(value -> value.toLowerCase(Locale.ROOT).contains("origin"));
    }

    @Test
    void preflightFromAnAllowedOriginIsAnsweredWithoutAToken() {
        for (String path : List.of(CLIENT_API, CLIENT_API + "/", CLIENT_API + "/orders/42")) {
            Api.Reply reply = preflight(path, ALLOWED, "GET");
            assertEquals(204, reply.status(), () -> path + ": " + reply.body());
            assertEquals(ALLOWED, header(reply, ALLOW_ORIGIN), path);
            assertTrue(header(reply, "Access-Control-Allow-Methods").contains("GET"), path);
            assertTrue(header(reply, "Access-Control-Allow-Headers").toLowerCase(Locale.ROOT).contains("authorization"),
                    path);
            assertEquals(List.of("Origin"), reply.headers().allValues("Vary"), path);
            assertEquals(null, header(reply, "WWW-Authenticate"), "a preflight asks for no token");
        }
        assertEquals(204, preflight(CLIENT_API, ALLOWED, "POST").status());
    }

    @Test
    void everyClientAnswerCarriesAllowOriginForAnAllowedOrigin() {
        String token = api.mintToken(Api.uniqueClient(), 600);
        Api.Reply ok = getFrom(CLIENT_API, ALLOWED, bearer(token));
        assertEquals(200, ok.status(), ok.body());
        assertEquals(ALLOWED, header(ok, ALLOW_ORIGIN));
        assertEquals(List.of("Origin"), ok.headers().allValues("Vary"), "the CORS filter runs once per request");

        Api.Reply missing = getFrom(CLIENT_API, ALLOWED, null).assertError(401, "Authorization header is missing");
        assertEquals(ALLOWED, header(missing, ALLOW_ORIGIN));
        assertEquals(List.of("Origin"), missing.headers().allValues("Vary"));
        assertTrue(header(missing, "Access-Control-Expose-Headers").contains("WWW-Authenticate"));

        Api.Reply garbage = getFrom(CLIENT_API + "/anything", ALLOWED, "Bearer garbage")
                .assertError(401, "Invalid token format");
        assertEquals(ALLOWED, header(garbage, ALLOW_ORIGIN));

        assertEquals(200, api.revoke(token).status());
        Api.Reply revoked = getFrom(CLIENT_API, ALLOWED, bearer(token)).assertError(401, "Token has been revoked");
        assertEquals(ALLOWED, header(revoked, ALLOW_ORIGIN));

        Api.Reply unknownPath = getFrom(CLIENT_API + "/no/such/path", ALLOWED, bearer(api.mintToken(Api.uniqueClient(), 60)));
        assertEquals(404, unknownPath.status(), unknownPath.body());
        assertEquals(ALLOWED, header(unknownPath, ALLOW_ORIGIN));
    }

    @Test
    void aDisallowedOriginGetsNoCorsHeaders() {
        Api.Reply refused = preflight(CLIENT_API, DISALLOWED, "GET").assertError(403, "Origin not allowed");
        assertEquals(null, header(refused, ALLOW_ORIGIN));
        assertTrue(varyHasOrigin(refused));
        assertEquals(null, header(refused, "Access-Control-Allow-Headers"));

        Api.Reply answered = getFrom(CLIENT_API, DISALLOWED, bearer(api.mintToken(Api.uniqueClient(), 60)));
        assertEquals(null, header(answered, ALLOW_ORIGIN));
        Api.Reply error = getFrom(CLIENT_API, DISALLOWED, null).assertError(401, "Authorization header is missing");
        assertEquals(null, header(error, ALLOW_ORIGIN));
    }

    @Test
    void orgAndAdminEndpointsSendNoCorsHeadersAndAnswerNoPreflight() {
        List<String> orgPaths = List.of("api/v1/generate_access_token", "api/v1/revoke_token",
                "api/v1/revoke_client_tokens", "api/v1/introspect", "api/v1/client_tokens?client_id=x",
                "api/v1/client_messages", "api/v1/admin/orgs", "api/v1/admin/signing_keys/rotate",
                "api/v1/client_api_not_a_client_path");
        for (String path : orgPaths) {
            for (String origin : List.of(ALLOWED, DISALLOWED)) {
                Api.Reply reply = preflight(path, origin, "POST");
                assertTrue(reply.status() != 204 || header(reply, ALLOW_ORIGIN) == null, path);
                assertEquals(null, header(reply, ALLOW_ORIGIN), () -> "preflight " + path + " " + reply.status());
                assertEquals(null, header(reply, "Access-Control-Allow-Headers"), path);
                assertEquals(null, header(reply, "Access-Control-Allow-Methods"), path);
            }
        }
        Api.Reply minted = api.send(api.request("api/v1/generate_access_token", bearer(Api.ORG_KEY))
                .header("Origin", ALLOWED).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"" + Api.uniqueClient()
                        + "\",\"duration_secs\":60}")));
        assertEquals(200, minted.status(), minted.body());
        assertEquals(null, header(minted, ALLOW_ORIGIN));
        Api.Reply unauthorized = getFrom("api/v1/client_tokens?client_id=x", ALLOWED, null);
        assertEquals(401, unauthorized.status());
        assertEquals(null, header(unauthorized, ALLOW_ORIGIN));
        Api.Reply admin = getFrom("api/v1/admin/orgs/x/api_keys", ALLOWED, null);
        assertEquals(null, header(admin, ALLOW_ORIGIN));
    }

    @Test
    void everyAnswerIsNosniffAndTheConsoleAndHelperCarryAStrictPolicy() {
        String policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        String token = api.mintToken(Api.uniqueClient(), 600);
        List<Api.Reply> answers = List.of(api.clientApi(token), api.get(CLIENT_API, null),
                api.get("api/v1/no-such-path", null), api.get("no-such-file.html", null),
                api.post("api/v1/generate_access_token", null, "{}"), api.get("console/", null),
                api.get("latchkey-client.js", null));
        for (Api.Reply answer : answers) {
            assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(null), answer.body());
        }
        for (String path : List.of("console/", "console/console.js", "console/console.css", "latchkey-client.js")) {
            Api.Reply page = api.get(path, null);
            assertEquals(200, page.status(), path);
            assertEquals(policy, page.headers().firstValue("Content-Security-Policy").orElse(null), path);
            assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(null), path);
        }
        assertTrue(api.clientApi(token).headers().firstValue("Content-Security-Policy").isEmpty(),
                "the JSON API needs no page policy");
    }

    @Test
    void theBrowserHelperIsServedAsAModuleThatAllowedPagesMayImport() {
        Api.Reply script = getFrom("latchkey-client.js", ALLOWED, null);
        assertEquals(200, script.status());
        assertTrue(header(script, "Content-Type").startsWith("text/javascript"), header(script, "Content-Type"));
        assertEquals(ALLOWED, header(script, ALLOW_ORIGIN));
        assertTrue(varyHasOrigin(script));
        assertTrue(script.body().contains("export class LatchkeyClient"));
        assertEquals(null, header(getFrom("latchkey-client.js", DISALLOWED, null), ALLOW_ORIGIN));
        Api.Reply console = getFrom("console/", ALLOWED, null);
        assertEquals(200, console.status());
        assertEquals(null, header(console, ALLOW_ORIGIN), "the console is same-origin only");
    }
}
