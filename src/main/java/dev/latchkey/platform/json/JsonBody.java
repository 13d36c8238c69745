package dev.latchkey.platform.json;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method that reads a JSON body; binds {@link JsonBodyFilter}, which answers 415 for another
 * media type. Used instead of {@code @Consumes}: JAX-RS refuses a {@code @Consumes} mismatch while matching the
 * request, before any authentication filter runs, so an unauthenticated caller would learn about the endpoint.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface JsonBody {
}
