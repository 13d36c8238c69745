/**
 * Cross-cutting plumbing: configuration, the database and its schema, JSON bodies and the JSON error shape.
 * Nothing here knows about tokens or organizations.
 */
package dev.latchkey.platform;
