/**
 * Network test equipment: a lossy UDP relay and raw SIP over sockets.
 */
package io.kinline.tests.net;
