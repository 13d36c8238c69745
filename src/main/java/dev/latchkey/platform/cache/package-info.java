/**
 * Answering from memory safely: the lease under which this node may answer from its caches at all
 * ({@code CacheLease}: in a cluster, renewed against the database before the change log is read) and the cache of
 * database rows that is never stale on this node once invalidated ({@code FreshCache}).
 */
package dev.latchkey.platform.cache;
