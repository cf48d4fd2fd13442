package io.millrace.topology.latency;

import io.millrace.schemas.latency.AggregateScope;
import io.millrace.schemas.latency.LatencySample;
import java.util.List;

/**
 * Names one latency series at one roll-up level: {@code service|endpoint|region}, {@code service|endpoint},
 * {@code service}, or {@code *} for everything. Every level of a service starts with the service name, so a
 * service's series sort together and live on the service's partition.
 */
public record SeriesKey(AggregateScope scope, String service, String endpoint, String region) {

    public static final char SEPARATOR = '|';
    public static final String GLOBAL_KEY = "*";
    private static final SeriesKey GLOBAL = new SeriesKey(AggregateScope.GLOBAL, null, null, null);

    public static SeriesKey global() {
        return GLOBAL;
    }

    public static SeriesKey service(String service) {
        return new SeriesKey(AggregateScope.SERVICE, service, null, null);
    }

    public static SeriesKey endpoint(String service, String endpoint) {
        return new SeriesKey(AggregateScope.ENDPOINT, service, endpoint, null);
    }

    public static SeriesKey endpointRegion(String service, String endpoint, String region) {
        return new SeriesKey(AggregateScope.ENDPOINT_REGION, service, endpoint, region);
    }

    public static SeriesKey of(LatencySample sample) {
        return endpointRegion(sample.getService(), sample.getEndpoint(), sample.getRegion());
    }

    /** Every key of a service's series starts with this, and no other service's does. */
    public static String prefix(String service) {
        return service + SEPARATOR;
    }

    /** The prefix shared by every region of one endpoint of a service. */
    public static String prefix(String service, String endpoint) {
        return service + SEPARATOR + endpoint + SEPARATOR;
    }

    public static SeriesKey parse(String key) {
        if (GLOBAL_KEY.equals(key)) {
            return GLOBAL;
        }
        int first = key.indexOf(SEPARATOR);
        if (first < 0) {
            return service(key);
        }
        int second = key.indexOf(SEPARATOR, first + 1);
        if (second < 0) {
            return endpoint(key.substring(0, first), key.substring(first + 1));
        }
        return endpointRegion(key.substring(0, first), key.substring(first + 1, second), key.substring(second + 1));
    }

    public String key() {
        return switch (scope) {
            case GLOBAL -> GLOBAL_KEY;
            case SERVICE -> service;
            case ENDPOINT -> service + SEPARATOR + endpoint;
            case ENDPOINT_REGION -> service + SEPARATOR + endpoint + SEPARATOR + region;
        };
    }

    /** This series and the coarser ones of its service it rolls up into, finest first (not the global one). */
    public List<SeriesKey> withRollUps() {
        return switch (scope) {
            case ENDPOINT_REGION -> List.of(this, endpoint(service, endpoint), service(service));
            case ENDPOINT -> List.of(this, service(service));
            case SERVICE -> List.of(this);
            case GLOBAL -> List.of();
        };
    }

    @Override
    public String toString() {
        return key();
    }
}
