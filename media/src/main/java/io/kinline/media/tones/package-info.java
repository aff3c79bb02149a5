/**
 * Tones: the faded sum-of-sines synthesiser, call-progress tones, and the scanner that finds DTMF in a
 * recording.
 */
package io.kinline.media.tones;
