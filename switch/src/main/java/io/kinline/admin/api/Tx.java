package io.kinline.admin.api;

import io.kinline.admin.http.ApiException;
import io.kinline.store.StoreException;
import io.kinline.store.Store;

import java.util.function.Supplier;

/**
 * Runs a change and its audit record as one unit ({@link Store#inTransaction}: repository calls made on
 * this thread join one database transaction), so a failed request leaves nothing half-applied and no
 * change is ever committed without its audit line.
 */
final class Tx {

    private Tx() {
    }

    static <T> T run(Store store, Supplier<T> work) {
        return store.inTransaction(work);
    }

    /**
     * As {@link #run(Store, Supplier)}, retried once as a whole on a store failure: two first deposits to
     * the same account race on the INSERT, and on PostgreSQL the loser's transaction is then aborted (the
     * store's own retry inside it fails with "current transaction is aborted", a plain StoreException), so
     * the retry must be a new transaction, in which the row exists and the UPDATE path applies.
     * {@link ApiException}s are not retried.
     */
    static <T> T runRetryingConflict(Store store, Supplier<T> work) {
        try {
            return run(store, work);
        } catch (StoreException first) {
            return run(store, work);
        }
    }

    static void run(Store store, Runnable work) {
        run(store, () -> {
            work.run();
            return null;
        });
    }
}
