/**
 * JMH benchmarks and load drivers for the units on the hot paths: G.711, DTMF detection, the RTP
 * relay, SIP parsing.
 */
package io.kinline.bench;
