package io.millrace.api.dashboard;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What the platform gives the dashboard beyond the API context: the pipelines' own pages and the dead letters to browse. */
public record Dashboard(List<DashboardPage> pages, DeadLetterBrowser deadLetters) {

    public Dashboard {
        pages = List.copyOf(pages);
    }

    /** The pages by the pipeline they belong to. */
    public Map<String, DashboardPage> byPipeline() {
        return pages.stream().collect(Collectors.toUnmodifiableMap(DashboardPage::pipeline, page -> page));
    }

    /** No pipeline pages and no dead letters to browse (tests of the HTTP layer itself). */
    public static Dashboard none() {
        return new Dashboard(List.of(), DeadLetterBrowser.none());
    }
}
