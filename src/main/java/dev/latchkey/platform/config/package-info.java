/**
 * Configuration: the {@code LATCHKEY_*} settings read through MicroProfile Config ({@code Settings}), the allowed web
 * origins, and the clock every bean reads time from ({@code Clocks}, replaced in tests).
 */
package dev.latchkey.platform.config;
