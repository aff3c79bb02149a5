/**
 * The switch's persistent state behind interfaces: facilities, inmates, numbers, blocks, accounts,
 * call records, incidents, audit, tokens, and the {@link io.kinline.store.Ledger} for billing. Domain
 * records are the canonical types the rest of the switch uses.
 */
package io.kinline.store;
