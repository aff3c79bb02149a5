/**
 * pcap writing for SIPp scenarios (DTMF as RFC 4733).
 */
package io.kinline.tests.pcap;
