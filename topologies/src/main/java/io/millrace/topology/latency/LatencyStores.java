package io.millrace.topology.latency;

import java.util.List;

/** The latency pipeline's state stores: one-minute windows per series, the latest figures per service, alerts, SLOs. */
public final class LatencyStores {

    /** Live and closed one-minute windows per service|endpoint|region, partitioned by service. */
    public static final String ENDPOINT_MINUTES = "latency-endpoint-minutes";
    /** Latest closed five-minute figures per service. */
    public static final String SERVICES = "latency-services";
    /** Latest alert change per SLO key. */
    public static final String ALERTS = "latency-alerts";
    /** Every SLO, on every instance. */
    public static final String SLOS = "latency-slos";
    static final String PENDING_ROLLUPS = "latency-pending-rollups";
    static final String GLOBAL_MINUTES = "latency-global-minutes";
    static final String GLOBAL_FIVE_MINUTES = "latency-global-five-minutes";

    /** The stores the HTTP API reads. */
    public static final List<String> QUERYABLE = List.of(ENDPOINT_MINUTES, SERVICES, ALERTS, SLOS);

    private LatencyStores() {
    }
}
