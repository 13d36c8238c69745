package dev.latchkey.platform.operations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Snapshot;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Latchkey's series on {@code /metrics} (MicroProfile Metrics, application scope, shown there with the
 * {@code latchkey_} prefix every name here carries). Callers resolve each counter once, at start, and keep it:
 * an increment is then one {@code LongAdder.add}, with no lookup, allocation or lock on the request's path.
 * Labels name surfaces, outcomes and close codes only: never a client_id, token_id, token or key.
 *
 * <p>On a server without MicroProfile Metrics, and in unit tests ({@link #none()}), every meter counts nothing.
 */
@ApplicationScoped
public class Meters {

    @Inject
    Instance<MetricRegistry> registries;

    private volatile MetricRegistry registry;

    /** Meters that count nothing, for code running outside the container. */
    public static Meters none() {
        return new Meters();
    }

    /** A counter (Prometheus shows it as {@code <name>_total}); {@code labels} are name, value pairs. */
    public Counter counter(String name, String help, String... labels) {
        MetricRegistry metrics = registry();
        if (metrics == null) {
            return NoCounter.INSTANCE;
        }
        return metrics.counter(Metadata.builder().withName(name).withDescription(help).build(), tags(labels));
    }

    /**
     * A distribution of durations, updated in nanoseconds; Prometheus shows it in seconds (the base unit), as a
     * summary with quantiles, a count and a sum. {@code labels} are name, value pairs.
     */
    public Histogram nanoseconds(String name, String help, String... labels) {
        MetricRegistry metrics = registry();
        if (metrics == null) {
            return NoHistogram.INSTANCE;
        }
        return metrics.histogram(Metadata.builder().withName(name).withDescription(help)
                .withUnit(MetricUnits.NANOSECONDS).build(), tags(labels));
    }

    /** A value read when {@code /metrics} is scraped. */
    public void gauge(String name, String help, Supplier<? extends Number> value) {
        MetricRegistry metrics = registry();
        if (metrics != null) {
            metrics.gauge(Metadata.builder().withName(name).withDescription(help).build(), value::get);
        }
    }

    private MetricRegistry registry() {
        MetricRegistry resolved = registry;
        if (resolved == null && registries != null && registries.isResolvable()) {
            resolved = registries.get();
            registry = resolved;
        }
        return resolved;
    }

    private static Tag[] tags(String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        Tag[] tags = new Tag[labels.length / 2];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = new Tag(labels[2 * i], labels[2 * i + 1]);
        }
        return tags;
    }

    private enum NoCounter implements Counter {
        INSTANCE;

        @Override
        public void inc() {
        }

        @Override
        public void inc(long n) {
        }

        @Override
        public long getCount() {
            return 0;
        }
    }

    private enum NoHistogram implements Histogram {
        INSTANCE;

        @Override
        public void update(int value) {
        }

        @Override
        public void update(long value) {
        }

        @Override
        public long getCount() {
            return 0;
        }

        @Override
        public long getSum() {
            return 0;
        }

        @Override
        public Snapshot getSnapshot() {
            throw new UnsupportedOperationException("no metrics here");
        }
    }
}
