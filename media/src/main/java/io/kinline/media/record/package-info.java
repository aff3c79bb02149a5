/**
 * Call recording: the stereo WAV recorder (inmate left, called party right) and its shared background
 * writer, which never blocks an event loop.
 */
package io.kinline.media.record;
