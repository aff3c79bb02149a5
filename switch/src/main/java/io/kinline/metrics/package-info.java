/**
 * Binds what the capabilities count to Micrometer, whose registry the admin server serves at {@code /metrics}:
 * the media engine's packets, loss, jitter and recording writer ({@link io.kinline.metrics.MediaMeters}) and the
 * database's pool and reachability ({@link io.kinline.metrics.StoreMeters}). The SIP stack binds its own
 * ({@code io.kinline.sip.SipMeters}), the call layer its calls and IVR steps. Every label set is bounded.
 * See docs/OPERATIONS.md.
 */
package io.kinline.metrics;
