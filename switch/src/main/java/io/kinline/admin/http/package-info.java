/**
 * The admin API's HTTP layer on Netty: routing, authentication, bounded request bodies, problem+json
 * errors, and the live-listen WebSocket.
 */
package io.kinline.admin.http;
