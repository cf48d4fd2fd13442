package io.millrace.bench.recommendations;

import java.util.List;

/** Something that recommends items to a user, judged offline on a {@link TasteWorld.Split}. */
public interface Recommender {

    String name();

    /** Up to {@code k} items for {@code user}, best first, none the user has already interacted with. */
    List<String> recommend(String user, int k);
}
