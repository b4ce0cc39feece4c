package org.langneurons.cli;

import java.nio.file.Path;
import java.util.List;
import org.langneurons.corpus.Language;
import org.langneurons.model.ModelConfig;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.neurons.TangFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code neurons}: import published neuron masks, export neuron sets as such masks, and show neuron sets. */
@Command(name = "neurons", mixinStandardHelpOptions = true, description = "Neuron sets (neurons.json).",
        subcommands = {NeuronsCommand.Import.class, NeuronsCommand.Export.class, NeuronsCommand.Show.class})
final class NeuronsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Prints neurons per language and per layer. */
    static void printCounts(NeuronSet set) {
        StringBuilder head = new StringBuilder(String.format("%-6s %7s", "lang", "total"));
        for (int l = 0; l < set.layers(); l++) {
            head.append(String.format(" %5s", "L" + l));
        }
        System.out.println(head);
        for (String lang : set.languages()) {
            StringBuilder row = new StringBuilder(String.format("%-6s %7d", lang, set.count(lang)));
            for (int c : set.countPerLayer(lang)) {
                row.append(String.format(" %5d", c));
            }
            System.out.println(row);
        }
        System.out.printf("%s: %d unique neurons of %d x %d%n", set.method(), set.uniqueCount(), set.layers(),
                set.neuronsPerLayer());
    }

    /** {@code neurons import}: Tang et al.'s published {@code .neuron.pth} masks to neurons.json. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Convert Tang et al.'s published masks (*.neuron.pth: a list over languages of lists over "
                    + "layers of index tensors) to neurons.json, read without running any pickled code.",
                "The files do not name their languages: --langs gives them in the file's order (the published "
                    + "seven-language files: en,zh,fr,es,vi,id,ja)."})
    static final class Import implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--tang-masks", required = true, paramLabel = "FILE", description = "A .neuron.pth file.")
        Path masks;

        @Option(names = "--langs", defaultValue = "en,zh,fr,es,vi,id,ja", paramLabel = "L,L",
                description = "The file's languages, in order (default: ${DEFAULT-VALUE}).")
        String langs;

        @Option(names = "--neurons-per-layer", paramLabel = "I",
                description = "The model's intermediate size (e.g. 11008 for Llama 2 7B).")
        Integer neuronsPerLayer;

        @Option(names = "--model", paramLabel = "DIR", description = "Or: take it from this checkpoint's config.json.")
        Path model;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "neurons.json to write.")
        Path out;

        @Option(names = "--trailing-empty", description = "Languages of --langs past the file's end get no neurons "
                + "(identify.py leaves out trailing languages it found none for); without it the file must hold "
                + "exactly --langs, unless --langs is the published seven (the 70B and Mistral files lack ja).")
        boolean trailingEmpty;

        @Override
        public void run() {
            if ((neuronsPerLayer == null) == (model == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "give exactly one of --neurons-per-layer and --model");
            }
            int perLayer = neuronsPerLayer != null ? neuronsPerLayer
                    : ModelConfig.read(model).neuronsPerLayer();
            List<String> languages;
            try {
                languages = Language.parseCodes(langs);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--langs: " + e.getMessage());
            }
            NeuronSet set = TangFiles.readMasks(masks, languages, perLayer,
                    trailingEmpty || languages.equals(TangFiles.PUBLISHED_LANGUAGES));
            set.save(out);
            printCounts(set);
            System.out.println("wrote " + out);
        }
    }

    /** {@code neurons export}: a neurons.json as a Tang et al. {@code .neuron.pth}, for their scripts. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write a neurons.json as Tang et al.'s mask format (*.neuron.pth: a torch.save list over "
                    + "languages of lists over layers of int64 index tensors), which their generation.py and ppl.py "
                    + "read with torch.load.",
                "Their scripts take the lists as en,zh,fr,es,vi,id,ja in that order: --langs picks and orders the "
                    + "set's languages."})
    static final class Export implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "neurons.json")
        Path file;

        @Option(names = "--tang-masks", required = true, paramLabel = "FILE", description = ".neuron.pth to write.")
        Path masks;

        @Option(names = "--langs", paramLabel = "L,L",
                description = "Languages to write, in this order (default: all of the set's, in its order).")
        String langs;

        @Override
        public void run() {
            NeuronSet set = NeuronSet.load(file);
            List<String> languages = set.languages();
            if (langs != null) {
                try {
                    languages = Language.parseCodes(langs);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--langs: " + e.getMessage());
                }
                List<String> missing = languages.stream().filter(l -> !set.languages().contains(l)).toList();
                if (!missing.isEmpty()) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--langs: " + missing + " not in "
                            + file + " (it has " + set.languages() + ")");
                }
            }
            TangFiles.writeMasks(set, languages, masks);
            printCounts(set.only(languages));
            System.out.println("wrote " + masks + " (languages in order: " + String.join(",", languages) + ")");
        }
    }

    /** {@code neurons show}: counts per language and layer of a neurons.json. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Neurons per language and layer.")
    static final class Show implements Runnable {
        @Parameters(paramLabel = "FILE", description = "neurons.json")
        Path file;

        @Override
        public void run() {
            printCounts(NeuronSet.load(file));
        }
    }
}
