/**
 * DTMF in both forms: RFC 4733 events and the in-band Q.24 Goertzel detector, merged and de-duplicated
 * by {@link io.kinline.media.dtmf.DtmfReceiver}.
 */
package io.kinline.media.dtmf;
