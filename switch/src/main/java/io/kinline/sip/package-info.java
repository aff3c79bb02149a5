/**
 * The SIP user agent's API, what the call layer uses: the server, inbound and outbound calls, dialogs
 * and their listeners, failures and reason phrases, metrics. Knows nothing of calls, media or storage.
 */
package io.kinline.sip;
