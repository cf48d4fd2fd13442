package io.millrace.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Grafana boards docker-compose provisions (app/docker/grafana/dashboards), and the metric names their queries use. */
final class GrafanaBoards {

    static final Path DIRECTORY = Path.of("docker", "grafana", "dashboards");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern CLAUSE = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or",
            "unless", "offset", "inf", "nan", "e");

    private GrafanaBoards() {
    }

    static List<Path> boards() throws IOException {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Every query ({@code expr}) anywhere in a board: its panels, rows and template variables. */
    static List<String> queries(JsonNode board) {
        List<String> queries = new ArrayList<>();
        board.findValues("expr").forEach(expr -> queries.add(expr.asText()));
        return queries;
    }

    /** The metric names a PromQL query reads: what is left once strings, label matchers, ranges, grouping clauses and functions go. */
    static Set<String> metricsOf(String query) {
        String bare = query.replaceAll("\"(\\\\.|[^\"])*\"", "\"\"").replaceAll("\\{[^}]*\\}", " ").replaceAll("\\[[^]]*\\]", " ");
        bare = CLAUSE.matcher(bare).replaceAll(" ");
        Set<String> metrics = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String name = identifier.group();
            boolean function = bare.substring(identifier.end()).stripLeading().startsWith("(");
            boolean number = identifier.start() > 0 && Character.isDigit(bare.charAt(identifier.start() - 1));
            if (!function && !number && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                metrics.add(name);
            }
        }
        return metrics;
    }

    /** The names of the samples in a Prometheus scrape. */
    static Set<String> metricNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }
}
