/**
 * The UA core on one event loop: routing to dialogs, admission and overload, dialogs (target refresh,
 * offer/answer), 2xx reliability, RFC 4028 session timers, digest, and message building on JAIN-SIP's
 * factories ({@link io.kinline.sip.core.SipMessages}).
 */
package io.kinline.sip.core;
