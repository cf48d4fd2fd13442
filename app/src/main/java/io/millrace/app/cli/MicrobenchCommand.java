package io.millrace.app.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code millrace microbench [JMH options]}: the JMH benchmarks of hot code (serde, fraud scoring, sketch merge). */
@Command(name = "microbench",
        description = "Run the JMH benchmarks of hot code; arguments go to JMH (e.g. a name regex, -f 1 -wi 2 -i 3).")
public final class MicrobenchCommand implements Callable<Integer> {

    @Unmatched
    List<String> jmhArguments = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(jmhArguments.toArray(String[]::new));
        return 0;
    }
}
