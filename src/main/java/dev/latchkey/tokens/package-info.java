/**
 * Client tokens as the organization sees them: minting, revoking, listing, introspecting,
 * the JWT codec and the signing keys.
 */
package dev.latchkey.tokens;
