package io.millrace.app.cli;

import io.millrace.app.DeadLetterQueue;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code millrace dlq list|replay <pipeline>}: inspect a pipeline's dead letters and send them back through it. */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "Inspect or replay a pipeline's dead-letter topic.",
        subcommands = {DlqCommand.List.class, DlqCommand.Replay.class})
public final class DlqCommand {

    /** Lists dead letters: where each came from and why it failed; never the record's contents. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List dead letters with their source and error.")
    static final class List implements Callable<Integer> {
        @Parameters(index = "0", description = "Pipeline name.") String pipeline;
        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).") int limit;
        @Mixin ConnectionOptions connection;

        @Override
        public Integer call() {
            var letters = new DeadLetterQueue(connection.clientConfig(), pipeline).list(limit);
            letters.forEach(letter -> System.out.println(letter.describe()));
            System.out.println(letters.size() + " dead letter(s) shown");
            return 0;
        }
    }

    /** Re-produces dead letters to the topic they came from, once each (progress is kept in a consumer group). */
    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Send dead letters back to their source topic, e.g. after fixing the bug that rejected them.")
    static final class Replay implements Callable<Integer> {
        @Parameters(index = "0", description = "Pipeline name.") String pipeline;
        @Option(names = "--limit", defaultValue = "1000000", description = "At most this many (default ${DEFAULT-VALUE}).") int limit;
        @Mixin ConnectionOptions connection;

        @Override
        public Integer call() {
            int replayed = new DeadLetterQueue(connection.clientConfig(), pipeline).replay(limit);
            System.out.println(replayed + " dead letter(s) replayed");
            return 0;
        }
    }
}
