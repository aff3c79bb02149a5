package io.kinline.admin.api;

import io.kinline.admin.http.ApiException;
import io.kinline.store.ConflictException;
import io.kinline.store.NotFoundException;

import java.util.function.Supplier;

/** Maps store exceptions to API problems, with the field the caller should look at. */
final class StoreErrors {

    private StoreErrors() {
    }

    /**
     * Runs {@code work}; a {@link ConflictException} becomes 409 on {@code conflictField}, a
     * {@link NotFoundException} 404, and a record's {@link IllegalArgumentException} 400.
     */
    static <T> T call(String conflictField, String conflictDetail, Supplier<T> work) {
        try {
            return work.get();
        } catch (ConflictException e) {
            throw ApiException.conflict(conflictField, conflictDetail);
        } catch (NotFoundException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(null, e.getMessage());
        }
    }
}
