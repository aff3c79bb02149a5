/**
 * Logging conventions shared by every module: the call id in the MDC ({@link io.kinline.log.CallMdc}).
 * {@link io.kinline.log.SafeText} escapes values from outside before they are logged.
 * It sits in the media module, the one every other module builds on, and imports nothing of Kinline.
 */
package io.kinline.log;
