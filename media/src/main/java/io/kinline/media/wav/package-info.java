/**
 * WAV files: 8 kHz 16-bit PCM, μ-law and A-law, read and written with explicit limits.
 */
package io.kinline.media.wav;
