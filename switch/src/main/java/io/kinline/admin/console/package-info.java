/**
 * The staff console (issue 15): people sign in with a username and password (Argon2id), get a session
 * cookie, and use server-rendered pages whose light JavaScript calls the same admin API as machines do, so
 * every role, facility-scope and privileged-call rule, and every audit line, has one implementation.
 */
package io.kinline.admin.console;
