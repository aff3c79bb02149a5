/**
 * Money for calls: rates and call types, reservations (holds) before a call rings, settlement with the
 * call record in one transaction, and reconciliation after a crash. The arithmetic and the order of
 * the steps live here; the SQL is the store's ({@link io.kinline.store.Ledger}).
 */
package io.kinline.billing;
