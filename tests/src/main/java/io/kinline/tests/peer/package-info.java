/**
 * An independent SIP peer on JAIN-SIP RI's own stack ({@link io.kinline.tests.peer.SipPeer}): the far
 * end of end-to-end tests, not a mock.
 */
package io.kinline.tests.peer;
