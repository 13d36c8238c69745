/**
 * Cross-cutting plumbing: configuration, the database and its schema, JSON bodies and the JSON error shape,
 * bearer-credential extraction, and the {@link dev.latchkey.platform.CacheLease} under which caches answer from
 * memory. Nothing here knows about tokens or organizations.
 */
package dev.latchkey.platform;
