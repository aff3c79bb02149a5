/**
 * The B2BUA: one call is the inmate leg and the called leg, its script on a virtual thread fed by a
 * per-call event queue, its services over store and billing, live calls and monitoring for the admin
 * API, and the signalling-only relay for benchmarks. It composes everything below it; nothing below
 * imports it.
 */
package io.kinline.call;
