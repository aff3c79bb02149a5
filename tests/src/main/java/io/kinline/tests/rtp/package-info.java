/**
 * An independent RTP peer with its own packet parsing, G.711 and Goertzel: checks the media engine
 * against a second implementation.
 */
package io.kinline.tests.rtp;
