package io.millrace.bench.recommendations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    private static final long T = 1_767_225_600_000L;

    private static TasteWorld.Split split(List<TasteWorld.Event> training) {
        return new TasteWorld.Split(List.of(), training, Map.of(), T, T + 1_000);
    }

    private static TasteWorld.Event view(String user, String item) {
        return new TasteWorld.Event(user, item, "VIEW", T);
    }

    @Test
    void itemKnnRanksTheItemViewedWithMoreOfTheSameUsersFirst() {
        TasteWorld.Split split = split(List.of(view("u1", "a"), view("u1", "b"), view("u2", "a"), view("u2", "b"), view("u3", "a"),
                view("u3", "c"), view("u4", "a")));

        // cos(a, b) = 2 / sqrt(4 * 2) = 0.71 beats cos(a, c) = 1 / sqrt(4 * 1) = 0.5; a itself was seen.
        assertThat(Baselines.itemKnn(split, 50).recommend("u4", 10)).containsExactly("b", "c");
    }

    @Test
    void trendingOffersTheMostInteractedItemsTheUserHasNotSeen() {
        TasteWorld.Split split = split(List.of(view("u1", "a"), view("u2", "a"), view("u3", "a"), view("u1", "b"), view("u2", "b"),
                view("u1", "c"), new TasteWorld.Event("u4", "b", "DISMISS", T)));

        assertThat(Baselines.trending(split, 3_600_000).recommend("u4", 10)).containsExactly("a", "c");
        assertThat(Baselines.trending(split, 3_600_000).recommend("u9", 2)).containsExactly("a", "b");
    }

    @Test
    void ndcgGivesAHitAtRankTwoOneOverLogTwoOfThree() {
        assertThat(Judgement.ndcg(List.of("x", "b", "y"), List.of("b"))).isCloseTo(1 / (Math.log(3) / Math.log(2)), within(1e-12));
        assertThat(Judgement.ndcg(List.of("b", "a"), List.of("a", "b"))).isCloseTo(1.0, within(1e-12));
        assertThat(Judgement.ndcg(List.of("x"), List.of("a"))).isZero();
    }

    @Test
    void theWorldIsTheSameForTheSameSeedAndHoldsOutOnlyItemsPublishedByTheCutoff() {
        TasteWorld.Split one = TasteWorld.generate(TasteWorld.Size.SMALL, 7);
        TasteWorld.Split two = TasteWorld.generate(TasteWorld.Size.SMALL, 7);

        assertThat(one.training()).isEqualTo(two.training());
        assertThat(one.training()).allSatisfy(event -> assertThat(event.timestamp()).isLessThan(one.cutoff()));
        List<String> catalog = one.catalog().stream().map(TasteWorld.Item::id).toList();
        assertThat(one.future().values()).allSatisfy(opened -> assertThat(catalog).containsAll(opened));
    }

    @Test
    void theWorldHasTastesToLearnItemKnnBeatsTrendingOnIt() {
        TasteWorld.Split world = TasteWorld.generate(TasteWorld.Size.SMALL, 7);

        Judgement trending = Judgement.of(Baselines.trending(world, TasteWorld.DAY), world.future());
        Judgement knn = Judgement.of(Baselines.itemKnn(world, 50), world.future());

        assertThat(trending.users()).isGreaterThan(100);
        assertThat(knn.ndcg()).isGreaterThan(trending.ndcg() * 1.2);
    }
}
