/**
 * The Main-Class of latchkey-micro.jar, not part of the WAR: reads the LATCHKEY_CLUSTER_ variables, refuses what it
 * can't honour in one line (exit status 2), and boots Payara Micro with the matching cluster flags.
 */
package dev.latchkey.launcher;
