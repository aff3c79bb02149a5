/**
 * Three-way call detection on the called party's decoded audio (8 kHz, 20 ms frames): per-sign trackers
 * (hook flash, dial tone, dialling, call-progress tones, a change of the far-end line), each sign with its
 * time and confidence, and a {@link io.kinline.media.threeway.Decision} that scores episodes so that no
 * single sign decides alone. {@link io.kinline.media.threeway.ThreeWayMonitor} runs it on a live leg's
 * event loop; {@link io.kinline.media.threeway.ThreeWayScanner} on a recording ({@code kinline threeway}).
 * See docs/THREEWAY.md.
 */
package io.kinline.media.threeway;
