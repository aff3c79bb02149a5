package io.kinline.admin.api;

import io.kinline.store.Store;

import java.util.function.Supplier;

/**
 * Runs a change and its audit record as one unit. With the JDBC store the work runs inside one
 * database transaction (repository calls made on this thread join it), so a failed request leaves
 * nothing half-applied and no change is ever committed without its audit line.
 */
final class Tx {

    private Tx() {
    }

    static <T> T run(Store store, Supplier<T> work) {
        return store.inTransaction(work);
    }

    static void run(Store store, Runnable work) {
        run(store, () -> {
            work.run();
            return null;
        });
    }
}
