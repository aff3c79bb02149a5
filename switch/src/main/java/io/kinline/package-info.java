/**
 * One Kinline node ({@link io.kinline.KinlineSwitch}): store, billing, prompts, media, SIP, the B2BUA
 * and the admin API, started in dependency order and closed in reverse.
 */
package io.kinline;
