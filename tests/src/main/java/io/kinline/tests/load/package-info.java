/**
 * Load drivers for the media engine (RTP engine load, bencode control).
 */
package io.kinline.tests.load;
