/**
 * Organizations and their API keys: key generation and hashing, the org-key filter,
 * and the first-start bootstrap of the {@code default} organization.
 */
package dev.latchkey.orgs;
