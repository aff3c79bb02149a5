/**
 * SIP over UDP and TCP on Netty: framing by Content-Length with explicit limits, parsing with JAIN-
 * SIP, keep-alives, rport, rate-limited logging of bad input.
 */
package io.kinline.sip.transport;
