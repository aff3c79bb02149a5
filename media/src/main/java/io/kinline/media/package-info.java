/**
 * The media engine's API, which the switch drives with SDP strings: {@link
 * io.kinline.media.MediaEngine}, {@link io.kinline.media.MediaEndpoint} (one leg), {@link
 * io.kinline.media.Bridge} (two legs of a call), their events and configuration. Knows nothing of SIP.
 */
package io.kinline.media;
