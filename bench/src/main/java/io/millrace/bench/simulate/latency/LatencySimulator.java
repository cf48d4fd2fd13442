package io.millrace.bench.simulate.latency;

import io.millrace.bench.simulate.SimulatedEvent;
import io.millrace.bench.simulate.Simulator;
import io.millrace.schemas.latency.LatencySample;
import io.millrace.schemas.latency.SloDefinition;
import io.millrace.topology.PipelineContext;
import io.millrace.topology.latency.LatencyPipeline;
import io.millrace.topology.latency.LatencyTopics;
import io.millrace.topology.latency.SloPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Requests of a dozen services with log-normal latencies, skewed towards a few hot endpoints, from four
 * regions. Some services regress (five times slower for three minutes in fifteen) and some have error
 * bursts (a fifth of requests fail for two minutes in seventeen), so their SLOs — sent first — fire and
 * clear. A few samples arrive late (most within the grace period, some beyond), and a few are invalid or
 * not Avro at all.
 */
public final class LatencySimulator implements Simulator {

    private static final String[] REGIONS = {"us-east", "eu-west", "us-west", "ap-south"};
    private static final double[] REGION_TRAFFIC = cumulative(new double[] {0.4, 0.3, 0.2, 0.1});
    private static final long MINUTE_MS = 60_000;

    /** One endpoint of a service: its typical latency and how much it varies. */
    private record Endpoint(int service, String serviceName, String name, double medianMicros, double sigma) {
        long latencyMicros(SplittableRandom random, double slowdown) {
            return Math.min((long) (medianMicros * slowdown * Math.exp(sigma * random.nextGaussian())), 60_000_000L);
        }
    }

    private final LatencyTopics topics;
    private final List<String> services = new ArrayList<>();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final double[] cumulativeTraffic;
    private int slosSent;

    public LatencySimulator(PipelineContext context) {
        this.topics = new LatencyTopics(context);
        define("checkout", "cart.view", 18, "cart.add", 25, "order.place", 120, "order.status", 15);
        define("payments", "card.authorize", 180, "card.capture", 90, "refund", 140);
        define("search", "query", 45, "suggest", 8, "facets", 30);
        define("catalog", "product.get", 12, "product.list", 35, "price.get", 6, "stock.get", 9);
        define("identity", "login", 60, "token.refresh", 10, "profile.get", 14);
        define("inventory", "reserve", 40, "release", 22);
        define("shipping", "quote", 75, "label.create", 300, "track", 20);
        define("recommendations", "feed", 95, "similar", 55);
        define("reviews", "list", 28, "submit", 70);
        define("notifications", "send", 35, "preferences.get", 11);
        define("media", "image.resize", 220, "upload", 450);
        define("gateway", "route", 4, "health", 1);
        // Zipf-like: the n-th endpoint (in declaration order, shuffled by a fixed seed) gets traffic 1/n.
        double[] weights = new double[endpoints.size()];
        int[] order = new SplittableRandom(5).ints(0, Integer.MAX_VALUE).limit(endpoints.size()).toArray();
        Integer[] rank = new Integer[endpoints.size()];
        Arrays.setAll(rank, i -> i);
        Arrays.sort(rank, (a, b) -> Integer.compare(order[a], order[b]));
        for (int r = 0; r < rank.length; r++) {
            weights[rank[r]] = 1.0 / (r + 1);
        }
        double total = Arrays.stream(weights).sum();
        cumulativeTraffic = cumulative(Arrays.stream(weights).map(w -> w / total).toArray());
    }

    private void define(String service, Object... namesAndMedianMillis) {
        int index = services.size();
        services.add(service);
        for (int i = 0; i < namesAndMedianMillis.length; i += 2) {
            double medianMillis = ((Number) namesAndMedianMillis[i + 1]).doubleValue();
            endpoints.add(new Endpoint(index, service, (String) namesAndMedianMillis[i], medianMillis * 1000, 0.35 + 0.1 * (i / 2 % 3)));
        }
    }

    @Override
    public String pipeline() {
        return LatencyPipeline.NAME;
    }

    @Override
    public String outputTopic() {
        return topics.aggregates().name();
    }

    @Override
    public SimulatedEvent next(SplittableRandom random, long nowMillis) {
        if (slosSent < services.size()) {
            return slo(slosSent++, nowMillis);
        }
        double roll = random.nextDouble();
        if (roll < 0.0005) {
            return SimulatedEvent.garbage(topics.samples().name(), services.get(random.nextInt(services.size())));
        }
        Endpoint endpoint = endpoints.get(pick(cumulativeTraffic, random.nextDouble()));
        long eventTime = nowMillis - delayMillis(random);
        long minute = eventTime / MINUTE_MS;
        double slowdown = regressing(endpoint.service(), minute) ? 5 : 1;
        double errorShare = errorBurst(endpoint.service(), minute) ? 0.2 : 0.004;
        long micros = endpoint.latencyMicros(random, slowdown);
        if (roll < 0.001) {
            micros = -micros;
        }
        LatencySample sample = LatencySample.newBuilder()
                .setService(endpoint.serviceName())
                .setEndpoint(endpoint.name())
                .setRegion(REGIONS[pick(REGION_TRAFFIC, random.nextDouble())])
                .setDurationMicros(micros)
                .setStatusCode(status(random, errorShare))
                .setTimestamp(eventTime)
                .build();
        return SimulatedEvent.of(topics.samples(), endpoint.serviceName(), sample);
    }

    /** A third of the services regress now and then: three minutes in fifteen, staggered. */
    static boolean regressing(int service, long minute) {
        return service % 3 == 0 && Math.floorMod(minute + service * 5L, 15) < 3;
    }

    /** A quarter of the services have error bursts: two minutes in seventeen, staggered. */
    static boolean errorBurst(int service, long minute) {
        return service % 4 == 1 && Math.floorMod(minute + service * 7L, 17) < 2;
    }

    // 1% of samples are a few seconds late (mostly within the 30 s grace), 0.05% minutes late (dropped).
    private static long delayMillis(SplittableRandom random) {
        double roll = random.nextDouble();
        if (roll < 0.0005) {
            return 120_000 + random.nextLong(180_000);
        }
        return roll < 0.01 ? 2_000 + random.nextLong(25_000) : 0;
    }

    private static int status(SplittableRandom random, double errorShare) {
        double roll = random.nextDouble();
        if (roll < errorShare) {
            return new int[] {500, 502, 503, 504}[random.nextInt(4)];
        }
        return roll < errorShare + 0.03 ? new int[] {400, 404, 429}[random.nextInt(3)] : 200;
    }

    // Objectives a healthy service meets: p99 twice its usual p99 (sampled from its traffic mix), at most 5% errors.
    private SimulatedEvent slo(int service, long nowMillis) {
        String name = services.get(service);
        SloDefinition slo = SloDefinition.newBuilder()
                .setService(name)
                .setP99ThresholdMicros(2 * usualP99Micros(service))
                .setErrorRateThreshold(0.05)
                .setWindow(service % 2 == 0 ? "1m" : "5m")
                .setTimestamp(nowMillis)
                .build();
        return SimulatedEvent.of(topics.slos(), SloPolicy.key(name, null), slo);
    }

    private long usualP99Micros(int service) {
        List<Endpoint> own = new ArrayList<>();
        List<Double> traffic = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            if (endpoints.get(i).service() == service) {
                own.add(endpoints.get(i));
                traffic.add(cumulativeTraffic[i] - (i == 0 ? 0 : cumulativeTraffic[i - 1]));
            }
        }
        double total = traffic.stream().mapToDouble(Double::doubleValue).sum();
        double[] mix = cumulative(traffic.stream().mapToDouble(t -> t / total).toArray());
        SplittableRandom random = new SplittableRandom(service);
        long[] latencies = new long[20_000];
        for (int i = 0; i < latencies.length; i++) {
            latencies[i] = own.get(pick(mix, random.nextDouble())).latencyMicros(random, 1);
        }
        Arrays.sort(latencies);
        return latencies[(int) (latencies.length * 0.99)];
    }

    private static int pick(double[] cumulative, double roll) {
        int index = Arrays.binarySearch(cumulative, roll);
        int slot = index >= 0 ? index : -index - 1;
        return Math.min(slot, cumulative.length - 1);
    }

    private static double[] cumulative(double[] shares) {
        double[] cumulative = new double[shares.length];
        double running = 0;
        for (int i = 0; i < shares.length; i++) {
            running += shares[i];
            cumulative[i] = running;
        }
        return cumulative;
    }
}
