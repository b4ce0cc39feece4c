package org.langneurons.cli;

import java.nio.file.Path;
import java.util.List;
import org.langneurons.tasks.DefaultTaskBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code corpus tasks}: builds the embedded default's fine-tuning tasks (module classification, heading extraction)
 * from a full corpus directory. Registered as a subcommand of {@code corpus}.
 */
@Command(name = "tasks", mixinStandardHelpOptions = true,
        description = {"Build the embedded default's fine-tuning tasks from the LibreOffice help of a full corpus "
                + "(all three splits, as `corpus build --out DIR` writes it): module-classification (writer, calc, "
                + "impress-draw, basic) and heading-extraction, English train and validation, the same test items "
                + "in every language that has the help. Deterministic: the same corpus gives the same bytes.",
            "Writes OUT/manifest.json and OUT/TASK/{train,validation}.jsonl and OUT/TASK/test/LANG.jsonl; prints the "
                + "counts."})
public final class TasksBuildCommand implements Runnable {

    @Option(names = "--corpus", required = true, paramLabel = "DIR",
            description = "A full corpus directory (with train), written by `corpus build --out DIR`.")
    Path corpus;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Tasks folder to write (the shipped one is "
                    + "lib/src/main/resources/org/langneurons/default/tasks).")
    Path out;

    @Override
    public void run() {
        List<DefaultTaskBuilder.Built> built = DefaultTaskBuilder.build(corpus, out);
        for (DefaultTaskBuilder.Built b : built) {
            System.out.printf("%s: train %,d, validation %,d, test %s%n", b.task(), b.train(), b.validation(),
                    b.test());
        }
    }
}
