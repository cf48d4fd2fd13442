package io.millrace.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The millrace command line. */
@Command(name = "millrace", mixinStandardHelpOptions = true, version = "millrace 0.1.0",
        description = "Kafka Streams pipelines with interactive queries and a live dashboard.",
        subcommands = {RunCommand.class, TokenCommand.class, SimulateCommand.class, BenchCommand.class, MicrobenchCommand.class,
            DlqCommand.class})
public final class Millrace {

    public static void main(String[] args) {
        int exit = new CommandLine(new Millrace()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(exit);
    }
}
