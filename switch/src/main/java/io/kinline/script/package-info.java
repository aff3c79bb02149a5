/**
 * The inmate call script and the called party's consent menu: language, PIN, number, policy, funding,
 * name, ringing, consent, bridge, reminders, cut-off, the record. Reads and writes through {@link
 * io.kinline.script.CallServices}, drives the legs through {@link io.kinline.script.CallControl}.
 */
package io.kinline.script;
