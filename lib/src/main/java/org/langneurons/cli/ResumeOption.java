package org.langneurons.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.langneurons.io.EmbeddedResources;
import org.langneurons.io.RunCheckpoint;
import org.langneurons.report.JsonFiles;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code --checkpoint DIR}: where a long command keeps its finished units until it completes, so that the same
 * command continues after Ctrl-C, a kill or a crash. The run's settings are every option's value as given (or its
 * default), except those that only shape the printed output, plus fingerprints of input files' contents.
 */
final class ResumeOption {
    /** Options that change only what is printed, not what is computed. */
    private static final Set<String> PRESENTATION = Set.of("--checkpoint", "--help", "--version", "--show",
            "--markdown", "--json", "--quiet");

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "Where finished units are kept until the run completes; a stopped run (Ctrl-C, a kill) "
                    + "continues from them when run again with the same options (default: OUT/checkpoint with --out,"
                    + " else a folder named for the options under $LANGNEURONS_CACHE or ~/.cache/langneurons/runs).")
    Path dir;

    /**
     * The run's checkpoint: in {@code --checkpoint}, else {@code out/checkpoint} when {@code out} is not null, else
     * a folder of the cache named for the settings; stopping when {@code exit} is requested.
     */
    RunCheckpoint open(Path out, StopOnExit exit, Map<String, String> fingerprints) {
        Map<String, String> settings = new TreeMap<>(fingerprints);
        for (OptionSpec o : spec.options()) {
            if (PRESENTATION.contains(o.longestName())) {
                continue;
            }
            var given = spec.commandLine().getParseResult().matchedOption(o.longestName());
            settings.put(o.longestName(), given != null ? String.join(" ", given.originalStringValues())
                    : String.valueOf(o.defaultValue()));
        }
        Path folder = dir != null ? dir : out != null ? out.resolve("checkpoint") : EmbeddedResources.cacheRoot()
                .resolve("runs").resolve(spec.name() + "-" + RunCheckpoint.fingerprint(settings.toString()));
        return RunCheckpoint.open(folder, settings, exit::requested);
    }

    /** A short hash of {@code value}'s JSON: inputs read from files enter the settings by their content. */
    static String fingerprint(Object value) {
        return RunCheckpoint.fingerprint(JsonFiles.GSON.toJson(value));
    }

    /** What a command prints when it stopped early. */
    static void stopped(RunCheckpoint.Stopped e) {
        System.out.println(e.getMessage() + ": run the same command to resume");
    }

    /** What a command prints when it completed a resumed run. */
    static void completed(RunCheckpoint checkpoint) {
        if (checkpoint.unitsRead() > 0 || checkpoint.partialsRead() > 0) {
            System.err.printf("resumed: %d units read from %s, %d continued from partial sums, %d computed%n",
                    checkpoint.unitsRead(), checkpoint.folder(), checkpoint.partialsRead(),
                    checkpoint.unitsWritten());
        }
        checkpoint.finish();
    }
}
