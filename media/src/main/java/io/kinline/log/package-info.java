/**
 * Logging conventions shared by every module: the call id in the MDC ({@link io.kinline.log.CallMdc}).
 * It sits in the media module, the one every other module builds on, and imports nothing of Kinline.
 */
package io.kinline.log;
