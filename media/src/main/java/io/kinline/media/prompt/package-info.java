/**
 * Prompts: pre-encoded recordings by language and name, playlists, and spoken numbers, money and
 * durations (en, es).
 */
package io.kinline.media.prompt;
