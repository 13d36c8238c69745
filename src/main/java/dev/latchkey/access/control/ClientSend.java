package dev.latchkey.access.control;

import dev.latchkey.tokens.control.ClientPrincipal;
import jakarta.json.JsonValue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A client's {@code {"type": "send", "id", "data"}} on {@code /client_ws}, fired as a CDI event for whatever
 * forwards it to the organization (the gateway feature). The observer that takes it ({@link #take()}) must answer
 * it exactly once, from any thread, with {@link #reply} or {@link #fail}; a message nobody takes is answered
 * "Messages are not enabled" by the connection itself.
 */
public final class ClientSend {

    private final ClientPrincipal from;
    private final String id;
    private final JsonValue data;
    private final Consumer<String> answer;
    private final AtomicBoolean taken = new AtomicBoolean();

    ClientSend(ClientPrincipal from, String id, JsonValue data, Consumer<String> answer) {
        this.from = from;
        this.id = id;
        this.data = data;
        this.answer = answer;
    }

    /** The client, as the token governing its connection when the message arrived. */
    public ClientPrincipal from() {
        return from;
    }

    public String id() {
        return id;
    }

    public JsonValue data() {
        return data;
    }

    /** Claims the message; true for the first caller only, who then owes the answer. */
    public boolean take() {
        return taken.compareAndSet(false, true);
    }

    boolean isTaken() {
        return taken.get();
    }

    /** Answers {@code {"type": "reply", "id", "data"}}. */
    public void reply(JsonValue replyData) {
        answer.accept(SocketMessages.reply(id, replyData));
    }

    /** Answers {@code {"type": "error", "id", "detail"}}. */
    public void fail(String detail) {
        answer.accept(SocketMessages.error(id, detail));
    }
}
