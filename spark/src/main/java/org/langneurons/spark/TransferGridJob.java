package org.langneurons.spark;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.langneurons.finetune.LoraAdapter;
import org.langneurons.finetune.TransferGrid;

/**
 * Mondal et al.'s transfer grid on a Spark cluster, resumable: first one task per adapter still to fine-tune, then
 * one task per cell whose file does not exist yet, each writing the same {@code cells/ADAPTER/LANG/SET/VALUE.json}
 * (whole or not at all) and {@code adapters/NAME} folder the single-machine {@link TransferGrid#run} writes, so
 * a rerun (or the single-machine {@code transfer} command) skips what is done and {@code TransferResults} reads the
 * result. The grid's folder and its config file must be on storage every executor shares.
 *
 * <pre>{@code
 * TransferGridJob.Summary s = TransferGridJob.run(sc, ModelSpec.of("/shared/llama"), Path.of("/shared/grid.json"),
 *         Path.of("/shared/grid"));
 * TransferResults results = TransferResults.read(Path.of("/shared/grid"), TransferGrid.Config.read(...));
 * }</pre>
 */
public final class TransferGridJob {
    private TransferGridJob() {
    }

    /**
     * What a run did.
     *
     * @param adaptersTrained adapters fine-tuned (or finished) by this run
     * @param cellsComputed   cells computed by this run
     * @param cellsSkipped    cells whose file existed already
     */
    public record Summary(int adaptersTrained, int cellsComputed, int cellsSkipped) implements Serializable {
    }

    /**
     * Runs (or continues) the grid of {@code configFile} into {@code out}; the model is the config's {@code model}
     * on {@code model}'s device (pass {@code ModelSpec.of(config.model())} for the task's GPU).
     */
    public static Summary run(JavaSparkContext sc, ModelSpec model, Path configFile, Path out) {
        TransferGrid.Config config = TransferGrid.Config.read(configFile);
        String configPath = configFile.toAbsolutePath().toString(), outPath = out.toAbsolutePath().toString();
        List<TransferGrid.Adapter> adapters = TransferGrid.adapters(config);
        List<Integer> toTrain = new ArrayList<>();
        for (int a = 0; a < adapters.size(); a++) {
            if (!Files.isRegularFile(out.resolve("adapters").resolve(adapters.get(a).name())
                    .resolve(LoraAdapter.CONFIG_FILE))) {
                toTrain.add(a);
            }
        }
        // tasks get indices: the config is read again on the executor, where the adapters and cells are the same
        if (!toTrain.isEmpty()) {
            sc.parallelize(toTrain, toTrain.size()).foreach(a -> {
                TransferGrid.Config c = TransferGrid.Config.read(Path.of(configPath));
                try (ExecutorModels.Lease lease = ExecutorModels.borrow(model)) {
                    TransferGrid.trainAdapter(lease.model(), c, Path.of(outPath), TransferGrid.adapters(c).get(a),
                            line -> { });
                }
            });
        }
        List<TransferGrid.Cell> cells = TransferGrid.cells(config);
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            if (!Files.isRegularFile(cells.get(i).file(out))) {
                todo.add(i);
            }
        }
        int computed = 0;
        if (!todo.isEmpty()) {
            computed = sc.parallelize(todo, todo.size()).map(i -> {
                TransferGrid.Config c = TransferGrid.Config.read(Path.of(configPath));
                try (ExecutorModels.Lease lease = ExecutorModels.borrow(model)) {
                    return TransferGrid.runCell(lease.model(), c, Path.of(outPath), TransferGrid.cells(c).get(i))
                            ? 1 : 0;
                }
            }).reduce(Integer::sum);
        }
        return new Summary(toTrain.size(), computed, cells.size() - todo.size());
    }
}
