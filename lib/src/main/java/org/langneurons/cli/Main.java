package org.langneurons.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line interface: {@code java -jar langneurons.jar COMMAND --help}. Results go to standard output
 * (JSON where asked), errors to standard error with exit status 1, usage mistakes with status 2.
 */
@Command(name = "langneurons", mixinStandardHelpOptions = true, version = "langneurons 0.1.0",
        description = "Find, steer and fine-tune the language-specific neurons of decoder-only LLMs.",
        subcommands = {InfoCommand.class, LogitsCommand.class, ActivationsCommand.class, GenerateCommand.class,
            PerplexityCommand.class, BenchCommand.class, TokenizerCommand.class, TrainCommand.class,
            EvaluateCommand.class, PplChangeCommand.class, SteerCommand.class, CorpusCommand.class,
            StatsCommand.class, IdentifyCommand.class, NeuronsCommand.class, FinetuneCommand.class,
            EvaluateTaskCommand.class, MergeAdapterCommand.class, TransferCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Runs the command line and returns its exit status. */
    public static int run(String... args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            String natives = org.langneurons.model.TorchNatives.explain(e);
            commandLine.getErr().println("error: " + (natives != null ? natives
                    : e.getMessage() != null ? e.getMessage() : e.toString()));
            if (System.getenv("LANGNEURONS_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        int status;
        try {
            status = cli.execute(args);
        } catch (Error e) {                     // e.g. an UnsatisfiedLinkError from DJL's glue: one line, not a trace
            String natives = org.langneurons.model.TorchNatives.explain(e);
            if (natives == null) {
                throw e;
            }
            cli.getErr().println("error: " + natives);
            if (System.getenv("LANGNEURONS_DEBUG") != null) {
                e.printStackTrace(cli.getErr());
            }
            return 1;
        }
        CommandLine.ParseResult parsed = cli.getParseResult();
        while (parsed != null && parsed.hasSubcommand()) {
            parsed = parsed.subcommand();       // the command that ran: `corpus build`, not `corpus`
        }
        if (parsed != null && parsed.commandSpec().userObject() instanceof LongRunning
                && !parsed.isUsageHelpRequested() && !parsed.isVersionHelpRequested()) {
            String peak = PeakMemory.line();
            if (peak != null) {
                cli.getErr().println(peak);
            }
        }
        return status;
    }

    /** A command that can run for minutes or hours: its peak memory is printed when it ends. */
    interface LongRunning {
    }

    /** Entry point of the runnable jar. */
    public static void main(String[] args) {
        System.exit(run(args));
    }
}
