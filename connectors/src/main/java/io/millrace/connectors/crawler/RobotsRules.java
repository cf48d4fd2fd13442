package io.millrace.connectors.crawler;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A host's robots.txt as it applies to this crawler: the group for its user agent, or else the group for {@code *};
 * the longest matching Allow or Disallow rule wins (an Allow on a tie), {@code *} and {@code $} in paths as Google reads
 * them; Crawl-delay is honoured as a least delay between requests.
 */
public final class RobotsRules {

    /** No robots.txt (404), or one that says nothing for us: everything may be fetched. */
    public static final RobotsRules ALLOW_ALL = new RobotsRules(List.of(), 0);
    /** A robots.txt that could not be read for a server error: nothing is fetched until it can be read. */
    public static final RobotsRules DISALLOW_ALL = new RobotsRules(List.of(new Rule("/", false)), 0);

    private record Rule(String path, boolean allow) {
    }

    private final List<Rule> rules;
    private final long crawlDelayMs;

    private RobotsRules(List<Rule> rules, long crawlDelayMs) {
        this.rules = rules;
        this.crawlDelayMs = crawlDelayMs;
    }

    public static RobotsRules parse(String robotsTxt, String userAgent) {
        String agent = userAgent.toLowerCase(Locale.ROOT);
        List<Rule> ours = null;
        List<Rule> anyone = null;
        long oursDelay = 0;
        long anyoneDelay = 0;
        List<String> groupAgents = new ArrayList<>();
        List<Rule> group = new ArrayList<>();
        long groupDelay = 0;
        boolean inRules = false;
        for (String raw : (robotsTxt + "\nuser-agent: \u0000end").split("\r?\n|\r")) {
            String line = raw.replaceAll("#.*", "").trim();
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String field = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (field.equals("user-agent")) {
                if (inRules) {
                    for (String name : groupAgents) {
                        if (name.equals("*")) {
                            anyone = anyone == null ? new ArrayList<>(group) : anyone;
                            anyoneDelay = groupDelay;
                        } else if (!name.isEmpty() && agent.contains(name)) {
                            ours = ours == null ? new ArrayList<>(group) : ours;
                            oursDelay = groupDelay;
                        }
                    }
                    groupAgents.clear();
                    group.clear();
                    groupDelay = 0;
                    inRules = false;
                }
                groupAgents.add(value.toLowerCase(Locale.ROOT));
            } else if (field.equals("disallow") || field.equals("allow")) {
                inRules = true;
                if (!value.isEmpty()) {
                    group.add(new Rule(value, field.equals("allow")));
                }
            } else if (field.equals("crawl-delay")) {
                inRules = true;
                try {
                    groupDelay = (long) (Double.parseDouble(value) * 1000);
                } catch (NumberFormatException e) {
                    groupDelay = 0;
                }
            }
        }
        if (ours != null) {
            return new RobotsRules(List.copyOf(ours), oursDelay);
        }
        return anyone != null ? new RobotsRules(List.copyOf(anyone), anyoneDelay) : ALLOW_ALL;
    }

    /** Whether a path (with its query) may be fetched. */
    public boolean allows(String pathAndQuery) {
        Rule best = null;
        for (Rule rule : rules) {
            if (matches(rule.path(), pathAndQuery)
                    && (best == null || rule.path().length() > best.path().length() || rule.path().length() == best.path().length() && rule.allow())) {
                best = rule;
            }
        }
        return best == null || best.allow();
    }

    public long crawlDelayMs() {
        return crawlDelayMs;
    }

    private static boolean matches(String pattern, String path) {
        boolean anchored = pattern.endsWith("$");
        String body = anchored ? pattern.substring(0, pattern.length() - 1) : pattern;
        StringBuilder regex = new StringBuilder();
        for (String part : body.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".*");
            }
            regex.append(java.util.regex.Pattern.quote(part));
        }
        return path.matches(regex + (anchored ? "" : ".*"));
    }
}
