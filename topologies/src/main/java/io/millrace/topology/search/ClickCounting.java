package io.millrace.topology.search;

import io.millrace.schemas.search.ClickProfile;
import io.millrace.schemas.search.SearchClick;
import java.util.HashMap;
import java.util.Map;

/** A user's clicks counted per URL and per host; the least clicked URLs make way past a bound. */
final class ClickCounting {

    /** URLs kept per user: a profile stays small enough to read on every search. */
    static final int MAX_URLS = 200;

    private ClickCounting() {
    }

    static ClickProfile empty() {
        return ClickProfile.newBuilder().setUser("").setUrls(new HashMap<>()).setHosts(new HashMap<>()).setTimestamp(0).build();
    }

    static ClickProfile add(String user, SearchClick click, ClickProfile profile) {
        String url = Urls.normalize(click.getUrl()).orElse(click.getUrl());
        Map<String, Long> urls = new HashMap<>(profile.getUrls());
        Map<String, Long> hosts = new HashMap<>(profile.getHosts());
        urls.merge(url, 1L, Long::sum);
        hosts.merge(Urls.host(url), 1L, Long::sum);
        if (urls.size() > MAX_URLS) {
            urls.entrySet().stream().min(Map.Entry.comparingByValue()).map(Map.Entry::getKey).ifPresent(urls::remove);
        }
        return ClickProfile.newBuilder().setUser(user).setUrls(urls).setHosts(hosts).setTimestamp(click.getTimestamp()).build();
    }
}
