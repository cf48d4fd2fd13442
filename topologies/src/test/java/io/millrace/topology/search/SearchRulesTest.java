package io.millrace.topology.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchRulesTest {

    @Test
    void normalizesUrlsToOneForm() {
        assertThat(Urls.normalize("HTTP://Docs.Example.org:80/a/./b/../c.html#frag")).contains("http://docs.example.org/a/c.html");
        assertThat(Urls.normalize("https://example.org")).contains("https://example.org/");
        assertThat(Urls.normalize("http://127.0.0.1:8080/x?q=1")).contains("http://127.0.0.1:8080/x?q=1");
        assertThat(Urls.normalize("mailto:someone@example.org")).isEmpty();
        assertThat(Urls.normalize("/relative/path")).isEmpty();
        assertThat(Urls.hostAndPort("http://example.org/")).isEqualTo("example.org:80");
    }

    @Test
    void answersArithmetic() {
        assertThat(InstantAnswers.answer("12*7")).hasValueSatisfying(a -> assertThat(a.value()).isEqualTo(84));
        assertThat(InstantAnswers.answer("(3 + 4)^2 - 1")).hasValueSatisfying(a -> assertThat(a.text()).isEqualTo("(3 + 4)^2 - 1 = 48"));
        assertThat(InstantAnswers.answer("10 / 4")).hasValueSatisfying(a -> assertThat(a.value()).isEqualTo(2.5));
        assertThat(InstantAnswers.answer("1/0")).isEmpty();
        assertThat(InstantAnswers.answer("2024")).isEmpty();
        assertThat(InstantAnswers.answer("kafka streams")).isEmpty();
    }

    @Test
    void convertsUnits() {
        assertThat(InstantAnswers.answer("10 km in miles")).hasValueSatisfying(a -> {
            assertThat(a.value()).isCloseTo(6.213711922, within(1e-8));
            assertThat(a.text()).isEqualTo("10 km = 6.213711922 miles");
        });
        assertThat(InstantAnswers.answer("100 celsius to fahrenheit")).hasValueSatisfying(a -> assertThat(a.value()).isCloseTo(212, within(1e-9)));
        assertThat(InstantAnswers.answer("3 lb in kg")).hasValueSatisfying(a -> assertThat(a.value()).isCloseTo(1.36077711, within(1e-8)));
        assertThat(InstantAnswers.answer("10 km in kg")).isEmpty();
    }

    @Test
    void correctsToTheNearestFrequentWord() {
        assertThat(Spelling.distance("recieve", "receive")).isEqualTo(1);
        assertThat(Spelling.best("recieve", 0, Map.of("receive", 40L, "deceive", 90L, "relieve", 10L))).contains("receive");
        assertThat(Spelling.best("brokr", 1, Map.of("broker", 2L))).isEmpty();
    }

    @Test
    void pageRankOfACycleIsUniformAndAStarFavoursItsCentre() {
        PageRankGraph cycle = new PageRankGraph();
        cycle.put("a", List.of("b"));
        cycle.put("b", List.of("c"));
        cycle.put("c", List.of("a"));
        assertThat(cycle.compute().values()).allSatisfy(rank -> assertThat(rank).isCloseTo(1.0 / 3, within(1e-9)));

        PageRankGraph star = new PageRankGraph();
        star.put("centre", List.of("x", "y"));
        star.put("x", List.of("centre"));
        star.put("y", List.of("centre"));
        Map<String, Double> ranks = star.compute();
        // centre = 0.15/3 + 0.85 (x + y), x = y = 0.15/3 + 0.85 centre / 2  →  centre = 0.48649, x = y = 0.25676
        assertThat(ranks.get("centre")).isCloseTo(0.486486, within(1e-5));
        assertThat(ranks.get("x")).isCloseTo(0.256757, within(1e-5));
    }
}
