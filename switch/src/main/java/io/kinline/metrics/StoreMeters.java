package io.kinline.metrics;

import io.kinline.store.Store;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The database's meters: the pool's own ({@code hikaricp_connections_*}, through {@link Store#bindMetrics}) and
 * {@code kinline_store_up}, 1 when the database answered the last probe. The probe runs on its own thread
 * every {@link #PROBE_INTERVAL}: a scrape never waits on a database that does not answer (a pool checkout may
 * wait its full timeout).
 */
public final class StoreMeters implements MeterBinder, AutoCloseable {

    static final Duration PROBE_INTERVAL = Duration.ofSeconds(10);

    private final Store store;
    private final AtomicInteger up = new AtomicInteger(1);
    private final ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "store-probe");
        t.setDaemon(true);
        return t;
    });

    public StoreMeters(Store store) {
        this.store = store;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        store.bindMetrics(registry);
        Gauge.builder("kinline_store_up", up, AtomicInteger::get)
                .description("1 when the database answered the last probe (every 10 s), else 0").register(registry);
        probe.scheduleWithFixedDelay(() -> up.set(store.healthy() ? 1 : 0), 0, PROBE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Stops probing, letting a probe in flight finish (briefly): interrupting it would close the embedded
     * database's file channel under it (H2 reads files with interruptible NIO).
     */
    @Override
    public void close() {
        probe.shutdown();
        try {
            probe.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
