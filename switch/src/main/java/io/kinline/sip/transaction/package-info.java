/**
 * RFC 3261 section 17 transactions with RFC 6026: client and server, INVITE and non-INVITE, timers A
 * to K.
 */
package io.kinline.sip.transaction;
