package io.millrace.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    @Test
    void severalRunsOnAnExternalClusterAreRefusedUnlessTheOperatorAgreesToDeleteThePipelinesTopicsThere() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int exit;
        try {
            // Nothing listens on port 9: the refusal comes before any connection.
            exit = new CommandLine(new BenchCommand()).execute("messenger", "--bootstrap-servers", "127.0.0.1:9", "--readme", "none");
        } finally {
            System.setErr(stderr);
        }

        assertThat(exit).isEqualTo(2);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("--delete-topics").contains("--runs 1 --no-warmup");
    }
}
