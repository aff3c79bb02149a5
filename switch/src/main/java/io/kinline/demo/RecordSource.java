package io.kinline.demo;

import java.time.Duration;
import java.util.Optional;

/** Where the demo reads call records and lifts the block it causes: the store, the admin API, or nowhere. */
interface RecordSource extends AutoCloseable {

    /** Waits up to {@code bound} for the record of {@code callId} (it is written at hangup). */
    Optional<Cdr> await(String callId, Duration bound) throws InterruptedException;

    /** Lifts active keypad blocks on {@code number} in the demo facility; returns how many. */
    int liftKeypadBlocks(String number);

    /** Whether records can be read at all. */
    default boolean available() {
        return true;
    }

    /** In plain words, e.g. "the store in ./kinline-data". */
    String describe();

    @Override
    default void close() {
    }

    /** No store, no token: the demo can only say what the phones saw. */
    static RecordSource none(String why) {
        return new RecordSource() {
            @Override
            public Optional<Cdr> await(String callId, Duration bound) {
                return Optional.empty();
            }

            @Override
            public int liftKeypadBlocks(String number) {
                return 0;
            }

            @Override
            public boolean available() {
                return false;
            }

            @Override
            public String describe() {
                return why;
            }
        };
    }
}
