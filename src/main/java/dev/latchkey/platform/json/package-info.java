/**
 * JSON in and out: strict reading of request bodies ({@code JsonBodies}: a size cap, no unknown or repeated members,
 * depth limits), the media-type check bound by {@code @JsonBody}, the one JSON-P provider ({@code JsonFactory}), the
 * hand-written JSON of the hot path ({@code JsonText}) and every timestamp the API shows ({@code Timestamps}).
 */
package dev.latchkey.platform.json;
