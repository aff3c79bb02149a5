package io.kinline.demo;

import io.kinline.store.Block;
import io.kinline.store.CallRecord;
import io.kinline.store.DemoData;
import io.kinline.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Call records straight from the store of the in-process switch. */
final class StoreRecords implements RecordSource {

    private final Store store;
    private final String where;

    StoreRecords(Store store, String where) {
        this.store = store;
        this.where = where;
    }

    @Override
    public Optional<Cdr> await(String callId, Duration bound) throws InterruptedException {
        long end = System.nanoTime() + bound.toNanos();
        while (true) {
            // The newest call whose inmate leg used this SIP Call-ID (the switch keys calls by its own id).
            Optional<CallRecord> r = store.calls().search(io.kinline.store.CallQuery.all().withSipCallId(callId))
                    .stream().findFirst();
            if (r.isPresent()) {
                CallRecord c = r.get();
                return Optional.of(new Cdr(c.callId(), c.outcome().wireName(), c.reason(),
                        c.funding().name().toLowerCase(java.util.Locale.ROOT), c.billedSeconds(), c.charge(),
                        c.recording()));
            }
            if (System.nanoTime() - end > 0) {
                return Optional.empty();
            }
            Thread.sleep(100);
        }
    }

    @Override
    public int liftKeypadBlocks(String number) {
        int n = 0;
        for (Block b : store.blocks().list(number, DemoData.FACILITY, null, true)) {
            if (b.type() == Block.Type.KEYPAD && store.blocks().lift(b.id(), "kinline-demo", Instant.now()).isPresent()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String describe() {
        return where;
    }
}
