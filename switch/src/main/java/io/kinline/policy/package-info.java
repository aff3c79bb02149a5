/**
 * Facility policy as pure rules: numbers (E.164, NANP, destinations), phone schedules, one small rule
 * per check, and denials with their reason codes and prompts. No I/O.
 */
package io.kinline.policy;
