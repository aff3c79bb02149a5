package io.kinline.store;

/** RTP receive quality of one call leg, as measured at hangup. */
public record LegQuality(long packetsLost, double lossFraction, double jitterMs) {
}
