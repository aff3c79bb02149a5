/**
 * Logback converters ({@code %safeMsg}, {@code %safeMdc}) that escape control and bidi characters in every
 * logged value, so a name or Call-ID from outside cannot forge log lines ({@link io.kinline.log.SafeText}).
 */
package io.kinline.log.logback;
