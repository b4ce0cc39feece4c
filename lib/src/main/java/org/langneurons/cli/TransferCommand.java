package org.langneurons.cli;

import java.nio.file.Path;
import org.langneurons.finetune.TransferGrid;
import org.langneurons.finetune.TransferResults;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.LoadOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code langneurons transfer}: Mondal et al.'s zero-shot transfer grid from one config file, resumable. */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = {"Run (or continue) a zero-shot transfer grid: fine-tuning setups x target languages x neuron"
                + " sets x test-time interventions, as --config FILE (JSON) names them: model, device, task, data,"
                + " languages, setups (none, source, target, both, random, all), values (none, zero, mean, p5 ..."
                + " p95), neuron_sets {name: file}, stats (a `stats` folder), tensor (act or gate), resamples, seed,"
                + " max_steps, max_test.",
            "--out DIR gets adapters/, one file of per-example scores a cell under cells/ (a killed run continues"
                + " with the missing cells), results.json and one table a metric (mean, 95% bootstrap interval,"
                + " * where the paired bootstrap test against No Int gives p < 0.05)."})
final class TransferCommand implements Runnable, Main.LongRunning {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The grid (JSON).")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--dtype", defaultValue = "fp32", paramLabel = "TYPE", description = "fp32 (fine-tuning needs"
            + " it; default: ${DEFAULT-VALUE}).")
    String dtype;

    @Override
    public void run() {
        TransferGrid.Config grid = TransferGrid.Config.read(config);
        try (StopOnExit exit = new StopOnExit();
                LanguageModel model = LanguageModel.open(grid.model(), LoadOptions.parse(grid.device(), dtype))) {
            exit.onRequest(() -> System.err.println("stopping after the cell or steps in progress"));
            if (!TransferGrid.run(model, grid, out, System.out::println, exit::requested)) {
                System.out.println("stopped: the cells done are kept in " + out + "; run the same command to"
                        + " continue");
                return;
            }
            // inside the try: a stop request during the last cell still gets the results written
            TransferResults results = TransferResults.read(out, grid);
            results.save(out.resolve("results.json"));
            for (String metric : results.metrics()) {
                System.out.println(results.table(metric).print(1000));
                System.out.println(results.significance(metric));
            }
        }
    }
}
