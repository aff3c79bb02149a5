/**
 * SDP offer/answer (RFC 3264) with javax.sdp: what we offer and answer, and what a negotiation means
 * for an endpoint.
 */
package io.kinline.media.sdp;
